package dev.capstan.engine.store;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * Adds one to a {@code Long} map entry and returns the new value; runs on the entry's partition thread, so
 * concurrent increments never interleave. The backup applies the same increment.
 */
final class IncrementProcessor implements EntryProcessor<String, Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long process(Map.Entry<String, Long> entry) {
        Long current = entry.getValue();
        long next = (current == null ? 0L : current) + 1L;
        entry.setValue(next);
        return next;
    }
}
