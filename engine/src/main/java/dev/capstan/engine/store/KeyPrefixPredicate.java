package dev.capstan.engine.store;

import com.hazelcast.query.Predicate;
import java.util.Map;

/** Selects map entries whose key starts with a prefix ({@code namespace/}); evaluated on the members. */
final class KeyPrefixPredicate implements Predicate<String, String> {
    private static final long serialVersionUID = 1L;
    private final String prefix;

    KeyPrefixPredicate(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public boolean apply(Map.Entry<String, String> entry) {
        return entry.getKey().startsWith(prefix);
    }
}
