package dev.capstan.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.engine.store.StoreException;
import dev.capstan.model.Json;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/git}: push notifications from GitHub, Gitea and GitLab. There is no bearer token;
 * the request is authenticated by its signature instead: {@code X-Hub-Signature-256: sha256=HEX}
 * (GitHub), {@code X-Gitea-Signature: HEX} (Gitea), both an HMAC-SHA256 of the raw body with the shared
 * secret, or {@code X-Gitlab-Token: SECRET} (GitLab). Every comparison takes constant time. An
 * authenticated push to the followed branch calls the {@link WebhookListener}; anything else is answered
 * and ignored. Thread-safe.
 */
final class WebhookReceiver {
    static final String PATH = "/webhooks/git";
    /** Push payloads are small; a larger body is refused before any parsing. */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final String NOT_ENABLED = "the Git webhook receiver is not enabled: start 'capstan up' with "
            + "--webhook-secret-file PATH (or set CAPSTAN_WEBHOOK_SECRET) and give the Git host the same secret";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);

    private final byte[] secret;
    private final String branch;
    private final WebhookListener listener;

    /**
     * @param secret   the shared secret; null or empty disables the receiver (every request gets a 404)
     * @param branch   the followed branch (without {@code refs/heads/}); null accepts pushes to any branch
     */
    WebhookReceiver(String secret, String branch, WebhookListener listener) {
        this.secret = secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.branch = branch;
        this.listener = listener;
    }

    boolean enabled() {
        return secret != null && listener != null;
    }

    /** What the receiver answers: an HTTP code and a one-line message. */
    record Reply(int code, String message) {
    }

    /**
     * Checks and handles one request; throws {@link StoreException} for refusals (404, 405, 413, 401, 400).
     *
     * @param remote who sent it, for the log
     */
    Reply receive(FullHttpRequest req, String remote) {
        if (!enabled()) {
            throw new StoreException(404, "NotFound", NOT_ENABLED);
        }
        if (!req.method().equals(HttpMethod.POST)) {
            throw ApiErrors.methodNotAllowed();
        }
        if (req.content().readableBytes() > MAX_BODY_BYTES) {
            throw new StoreException(413, "RequestEntityTooLarge",
                    "a webhook body is limited to " + MAX_BODY_BYTES + " bytes");
        }
        byte[] body = ByteBufUtil.getBytes(req.content());
        HttpHeaders h = req.headers();
        String provider = provider(h);
        String refusal = verify(provider, h, body);
        if (refusal != null) {
            LOG.warn("webhook: refused a request from {} ({}): {}", remote, provider, refusal);
            throw ApiErrors.unauthorized();
        }
        String event = event(provider, h);
        if (!isPush(provider, event)) {
            return new Reply(202, "ignored: " + (event == null ? "no event type given" : "event '" + event + "'")
                    + "; only pushes trigger a sync");
        }
        JsonNode payload;
        try {
            payload = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiErrors.badRequest("the push payload is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (payload == null || !payload.isObject() || !payload.path("ref").isTextual()) {
            throw ApiErrors.badRequest("the push payload has no \"ref\" (expected a " + provider + " push event)");
        }
        String ref = payload.path("ref").asText();
        if (!ref.startsWith("refs/heads/")) {
            return new Reply(202, "ignored: " + ref + " is not a branch");
        }
        String pushed = ref.substring("refs/heads/".length());
        if (branch != null && !branch.equals(pushed)) {
            return new Reply(202, "ignored: push to branch '" + pushed + "'; Capstan follows '" + branch + "'");
        }
        String after = payload.path("after").asText("");
        listener.onPush(new WebhookListener.Push(provider, pushed, after));
        LOG.info("webhook: {} push to {} ({}) from {}; syncing now", provider, pushed,
                after.length() > 7 ? after.substring(0, 7) : after, remote);
        return new Reply(202, "sync started for " + pushed + (after.isEmpty() ? "" : " at " + after));
    }

    /** Which host sent it, from its headers; Gitea also sends GitHub's headers, so it is looked at first. */
    static String provider(HttpHeaders h) {
        if (h.contains("X-Gitlab-Token") || h.contains("X-Gitlab-Event")) {
            return "gitlab";
        }
        if (h.contains("X-Gitea-Signature") || h.contains("X-Gitea-Event")) {
            return "gitea";
        }
        return "github";
    }

    /** Null when the request carries a good signature or token; otherwise why not (never the secret). */
    private String verify(String provider, HttpHeaders h, byte[] body) {
        switch (provider) {
            case "gitlab" -> {
                String token = h.get("X-Gitlab-Token");
                if (token == null) {
                    return "no X-Gitlab-Token header";
                }
                return MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), secret) ? null
                        : "X-Gitlab-Token does not match the secret";
            }
            case "gitea" -> {
                String sig = h.get("X-Gitea-Signature");
                if (sig == null) {
                    return "no X-Gitea-Signature header";
                }
                return hexEquals(sig, hmac(body)) ? null : "X-Gitea-Signature does not match the body";
            }
            default -> {
                String sig = h.get("X-Hub-Signature-256");
                if (sig == null) {
                    return "no X-Hub-Signature-256 header";
                }
                if (!sig.startsWith("sha256=")) {
                    return "X-Hub-Signature-256 does not start with sha256=";
                }
                return hexEquals(sig.substring("sha256=".length()), hmac(body)) ? null
                        : "X-Hub-Signature-256 does not match the body";
            }
        }
    }

    private static String event(String provider, HttpHeaders h) {
        return switch (provider) {
            case "gitlab" -> h.get("X-Gitlab-Event");
            case "gitea" -> h.get("X-Gitea-Event", h.get("X-GitHub-Event"));
            default -> h.get("X-GitHub-Event");
        };
    }

    private static boolean isPush(String provider, String event) {
        return event != null && (provider.equals("gitlab") ? event.equals("Push Hook") : event.equals("push"));
    }

    /** Compares lower-cased hex in time independent of where they differ. */
    private static boolean hexEquals(String given, byte[] expected) {
        byte[] want = HexFormat.of().formatHex(expected).getBytes(StandardCharsets.US_ASCII);
        byte[] got = given.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(got, want);
    }

    private byte[] hmac(byte[] body) {
        return hmacSha256(secret, body);
    }

    /** HMAC-SHA256 of {@code body} with {@code key}, as Git hosts sign webhooks. */
    static byte[] hmacSha256(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage(), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
