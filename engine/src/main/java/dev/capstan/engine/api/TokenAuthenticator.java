package dev.capstan.engine.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Bearer tokens to identities; compares in constant time. */
final class TokenAuthenticator {
    private final Map<byte[], Identity> tokens = new LinkedHashMap<>();

    TokenAuthenticator(Map<String, Identity> tokens) {
        tokens.forEach((t, who) -> {
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException("an API token must not be blank");
            }
            this.tokens.put(t.getBytes(StandardCharsets.UTF_8), who);
        });
    }

    /** The identity an {@code Authorization} header names, or null when it names none. */
    Identity authenticate(String authorization) {
        if (authorization == null) {
            return null;
        }
        String h = authorization.trim();
        if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        byte[] given = h.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        Identity found = null;
        for (Map.Entry<byte[], Identity> e : tokens.entrySet()) {
            if (MessageDigest.isEqual(e.getKey(), given)) {
                found = e.getValue();
            }
        }
        return found;
    }
}
