package dev.capstan.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.cli.Main;
import dev.capstan.cli.up.AllInOne;
import dev.capstan.cli.up.UpOptions;
import dev.capstan.engine.client.Kubeconfig;
import dev.capstan.gitsync.DriftController;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.model.Deployment;
import dev.capstan.model.Event;
import dev.capstan.model.Kinds;
import dev.capstan.model.Revision;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signed GitHub push webhook, over real HTTPS to {@code capstan up}'s API, makes git-sync apply the new
 * commit at once although it polls only once an hour; a badly signed one changes nothing. Then
 * {@code capstan status} and {@code history} read it back over HTTPS, and a Deployment changed behind Git's
 * back is put back.
 */
class WebhookSyncIT {
    private static final String SECRET = "it-webhook-secret";

    @TempDir
    Path tmp;

    @Test
    void signedPushIsAppliedLongBeforeThePollInterval() throws Exception {
        Path repo = tmp.resolve("repo");
        Path app = repo.resolve("apps/web");
        Files.createDirectories(app);
        Files.writeString(app.resolve("web.cap"), cap(0));
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            RevCommit first = commit(git, "web at zero");
            UpOptions opts = new UpOptions(app, 1, "process", null, Duration.ofHours(1), "127.0.0.1", 0,
                    tmp.resolve("kubeconfig"), tmp.resolve("state"), 46000, "it-" + UUID.randomUUID(),
                    Duration.ofSeconds(10)).withWebhookSecret(SECRET).withoutRefWatch(); // only the webhook syncs
            try (AllInOne system = AllInOne.start(opts, new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> applied(system, first.name()));
                HttpClient http = HttpClient.newBuilder().sslContext(trusting(opts.kubeconfig()))
                        .connectTimeout(Duration.ofSeconds(5)).build();
                URI hook = URI.create(system.apiUrl() + "/webhooks/git");

                Files.writeString(app.resolve("web.cap"), cap(2));
                RevCommit second = commit(git, "web at two");
                String body = "{\"ref\":\"refs/heads/main\",\"after\":\"" + second.name() + "\"}";
                HttpResponse<String> bad = post(http, hook, body, sign("wrong-secret", body));
                assertThat(bad.statusCode()).as(bad.body()).isEqualTo(401);
                Thread.sleep(1000);
                assertThat(applied(system, second.name())).as("a refused webhook syncs nothing").isFalse();

                long t0 = System.nanoTime();
                HttpResponse<String> good = post(http, hook, body, sign(SECRET, body));
                assertThat(good.statusCode()).as(good.body()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                        .until(() -> applied(system, second.name()));
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
                assertThat(system.store().get(Kinds.DEPLOYMENT, "demo", "web").orElseThrow().spec().replicas())
                        .isEqualTo(2);

                String kc = opts.kubeconfig().toString();
                assertThat(capstan("status", "--kubeconfig", kc)).contains(
                        "Applied:        " + second.name().substring(0, 7) + "  web at two\n",
                        "Newest seen:    the applied commit (up to date)\n");
                assertThat(capstan("history", "--kubeconfig", kc).lines().toList()).hasSize(3)
                        .element(1).asString().matches(second.name().substring(0, 7) + " +Applied +T <t@example.com> .*");

                driftIsPutBack(system);
            }
        }
    }

    /** A Deployment changed in the store behind Git's back gets Git's spec back, with an event. */
    private static void driftIsPutBack(AllInOne system) {
        assertThat(drift(system)).as("no drift before anyone changed anything").isEmpty();
        await().atMost(Duration.ofSeconds(10)).ignoreException(ConflictException.class).until(() -> {
            // read-modify-write, as any client must: the controllers write this Deployment's status meanwhile
            Deployment live = system.store().get(Kinds.DEPLOYMENT, "demo", "web").orElseThrow();
            system.store().update(live.withSpec(live.spec().withReplicas(7)));
            return true;
        });
        await().atMost(Duration.ofSeconds(10)).until(() ->
                system.store().get(Kinds.DEPLOYMENT, "demo", "web").orElseThrow().spec().replicas() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> !drift(system).isEmpty());
        assertThat(drift(system)).singleElement().asString()
                .startsWith("Deployment demo/web was changed outside Git; restored from revision");
    }

    private static List<String> drift(AllInOne system) {
        return system.store().list(Kinds.EVENT, "demo").stream()
                .filter(e -> DriftController.REASON.equals(e.reason())).map(Event::message).toList();
    }

    /** Runs {@code capstan ARGS} in this JVM and returns what it printed (exit code 0 required). */
    private static synchronized String capstan(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(args)).as(String.join(" ", args)).isZero();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String cap(int replicas) {
        return "namespace demo { }\n\nservice web in demo {\n  image \"capstan.local/busybox:1.35\"\n"
                + "  command [\"sh\", \"-c\", \"exec sleep 600\"]\n  replicas " + replicas + "\n}\n";
    }

    private static RevCommit commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor("T", "t@example.com").setCommitter("T", "t@example.com")
                .setSign(false).call();
    }

    private static boolean applied(AllInOne system, String sha) {
        return system.store().get(Kinds.REVISION, null, sha.substring(0, 12))
                .map(r -> r.status() != null && Revision.APPLIED.equals(r.status().phase())).orElse(false);
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, String body, String signature)
            throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
                .header("X-Hub-Signature-256", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(String key, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Trusts the API server's self-signed certificate, as written into the kubeconfig. */
    private static SSLContext trusting(Path kubeconfig) throws Exception {
        String pem = Kubeconfig.read(kubeconfig).certificateAuthorityPem();
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("api", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
