package dev.capstan.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code POST /webhooks/git} on the API pipeline: GitHub, Gitea and GitLab pushes, good and bad signatures. */
class WebhookReceiverTest {
    private static final String SECRET = "s3cret-webhook-key";
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    private final List<WebhookListener.Push> pushes = new CopyOnWriteArrayList<>();
    private final EmbeddedApi api = new EmbeddedApi(new InMemoryStateStore(),
            b -> b.webhook(SECRET, "main", pushes::add));
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(WebhookReceiver.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void close() {
        logger.detachAppender(logs);
        api.close();
    }

    private static String payload(String ref) {
        return "{\"ref\":\"" + ref + "\",\"before\":\"" + "0".repeat(40) + "\",\"after\":\"" + SHA
                + "\",\"repository\":{\"name\":\"app\"},\"commits\":[]}";
    }

    private static String hmacHex(String key, String body) {
        return HexFormat.of().formatHex(WebhookReceiver.hmacSha256(key.getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8)));
    }

    private EmbeddedApi.Response post(String body, Map<String, String> headers) {
        return api.call("POST", "/webhooks/git", null, null, body, headers);
    }

    private EmbeddedApi.Response github(String event, String body, String key) {
        return post(body, Map.of("X-GitHub-Event", event, "X-Hub-Signature-256", "sha256=" + hmacHex(key, body)));
    }

    @Test
    void signedGithubPushToTheFollowedBranchSyncsAtOnce() {
        String body = payload("refs/heads/main");
        EmbeddedApi.Response r = github("push", body, SECRET);

        assertThat(r.status).as(r.toString()).isEqualTo(202);
        assertThat(r.json().path("message").asText()).isEqualTo("sync started for main at " + SHA);
        assertThat(pushes).containsExactly(new WebhookListener.Push("github", "main", SHA));
    }

    @Test
    void githubPushWithAWrongSignatureIsRefusedAndLoggedWithoutTheSecret() {
        String body = payload("refs/heads/main");
        EmbeddedApi.Response r = github("push", body, "not-the-secret");

        assertThat(r.status).isEqualTo(401);
        assertThat(r.json().path("kind").asText()).isEqualTo("Status");
        assertThat(pushes).isEmpty();
        assertThat(logs.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel().toString()).isEqualTo("WARN");
            assertThat(e.getFormattedMessage()).contains("refused a request from embedded", "github",
                    "X-Hub-Signature-256 does not match the body").doesNotContain(SECRET);
        });
    }

    @Test
    void githubPushSignedForAnotherBodyOrUnsignedIsRefused() {
        String body = payload("refs/heads/main");
        String signedOther = post(body, Map.of("X-GitHub-Event", "push",
                "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body + " "))).toString();
        EmbeddedApi.Response unsigned = post(body, Map.of("X-GitHub-Event", "push"));
        EmbeddedApi.Response sha1 = post(body, Map.of("X-GitHub-Event", "push",
                "X-Hub-Signature-256", hmacHex(SECRET, body)));

        assertThat(signedOther).startsWith("401");
        assertThat(unsigned.status).isEqualTo(401);
        assertThat(sha1.status).isEqualTo(401);
        assertThat(pushes).isEmpty();
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("no X-Hub-Signature-256 header"))
                .anySatisfy(m -> assertThat(m).contains("does not start with sha256="));
    }

    @Test
    void giteaPushIsCheckedWithItsOwnSignatureHeader() {
        String body = payload("refs/heads/main");
        EmbeddedApi.Response good = post(body, Map.of("X-Gitea-Event", "push",
                "X-Gitea-Signature", hmacHex(SECRET, body)));
        EmbeddedApi.Response bad = post(body, Map.of("X-Gitea-Event", "push",
                "X-Gitea-Signature", hmacHex("wrong", body)));

        assertThat(good.status).as(good.toString()).isEqualTo(202);
        assertThat(bad.status).isEqualTo(401);
        assertThat(pushes).containsExactly(new WebhookListener.Push("gitea", "main", SHA));
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("(gitea)", "X-Gitea-Signature does not match"));
    }

    @Test
    void gitlabPushIsCheckedByItsToken() {
        String body = payload("refs/heads/main");
        EmbeddedApi.Response good = post(body, Map.of("X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", SECRET));
        EmbeddedApi.Response bad = post(body, Map.of("X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", SECRET + "x"));
        EmbeddedApi.Response missing = post(body, Map.of("X-Gitlab-Event", "Push Hook"));

        assertThat(good.status).as(good.toString()).isEqualTo(202);
        assertThat(bad.status).isEqualTo(401);
        assertThat(missing.status).isEqualTo(401);
        assertThat(pushes).containsExactly(new WebhookListener.Push("gitlab", "main", SHA));
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .allSatisfy(m -> assertThat(m).doesNotContain(SECRET));
    }

    @Test
    void otherEventsAndOtherBranchesAreIgnored() {
        EmbeddedApi.Response ping = github("ping", "{\"zen\":\"hi\"}", SECRET);
        EmbeddedApi.Response other = github("push", payload("refs/heads/feature"), SECRET);
        EmbeddedApi.Response tag = github("push", payload("refs/tags/v1"), SECRET);
        EmbeddedApi.Response mr = post("{}", Map.of("X-Gitlab-Event", "Merge Request Hook", "X-Gitlab-Token", SECRET));

        assertThat(ping.status).isEqualTo(202);
        assertThat(ping.json().path("message").asText()).contains("ignored", "'ping'");
        assertThat(other.status).isEqualTo(202);
        assertThat(other.json().path("message").asText())
                .isEqualTo("ignored: push to branch 'feature'; Capstan follows 'main'");
        assertThat(tag.json().path("message").asText()).contains("not a branch");
        assertThat(mr.status).isEqualTo(202);
        assertThat(pushes).isEmpty();
    }

    @Test
    void malformedPayloadsAreBadRequests() {
        EmbeddedApi.Response notJson = github("push", "{\"ref\": ", SECRET);
        EmbeddedApi.Response noRef = github("push", "{\"after\":\"abc\"}", SECRET);

        assertThat(notJson.status).isEqualTo(400);
        assertThat(notJson.json().path("message").asText()).startsWith("the push payload is not valid JSON");
        assertThat(noRef.status).isEqualTo(400);
        assertThat(noRef.json().path("message").asText()).contains("has no \"ref\"");
        assertThat(pushes).isEmpty();
    }

    @Test
    void onlyPostIsServedAndLargeBodiesAreRefused() {
        assertThat(api.call("GET", "/webhooks/git", null, null, null).status).isEqualTo(405);
        String huge = "{\"ref\":\"refs/heads/main\",\"pad\":\"" + "x".repeat(WebhookReceiver.MAX_BODY_BYTES) + "\"}";
        assertThat(github("push", huge, SECRET).status).isEqualTo(413);
        assertThat(pushes).isEmpty();
    }

    @Test
    void withoutASecretTheEndpointSaysHowToEnableIt() {
        try (EmbeddedApi plain = new EmbeddedApi()) {
            String body = payload("refs/heads/main");
            EmbeddedApi.Response r = plain.call("POST", "/webhooks/git", null, null, body,
                    Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, body)));

            assertThat(r.status).isEqualTo(404);
            assertThat(r.json().path("message").asText()).contains("--webhook-secret-file", "CAPSTAN_WEBHOOK_SECRET");
        }
    }

    @Test
    void otherPathsStillNeedAToken() {
        assertThat(api.call("GET", "/api/v1/pods", null, null, null).status).isEqualTo(401);
    }
}
