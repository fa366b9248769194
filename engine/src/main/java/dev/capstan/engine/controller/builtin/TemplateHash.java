package dev.capstan.engine.controller.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.capstan.model.Json;
import dev.capstan.model.PodTemplateSpec;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The {@code pod-template-hash} of a pod template: 10 characters from Kubernetes' safe alphabet (no vowels,
 * no look-alikes), computed over the template's JSON with map keys sorted, so every member and every JVM
 * computes the same value for the same template.
 */
public final class TemplateHash {
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final ObjectMapper CANONICAL = Json.MAPPER.copy()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private TemplateHash() {
    }

    public static String of(PodTemplateSpec template) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256")
                    .digest(CANONICAL.writeValueAsString(template).getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long v = ByteBuffer.wrap(digest).getLong() & Long.MAX_VALUE;
        StringBuilder sb = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            sb.append(ALPHABET.charAt((int) (v % ALPHABET.length())));
            v /= ALPHABET.length();
        }
        return sb.toString();
    }
}
