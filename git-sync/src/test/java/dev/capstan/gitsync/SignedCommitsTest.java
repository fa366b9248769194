package dev.capstan.gitsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.model.Kinds;
import dev.capstan.model.Revision;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.UUID;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.GpgConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --verify-signatures: only commits signed (SSH) by a trusted key are applied; keys are made here. */
class SignedCommitsTest {
    private static HazelcastStateStore store;

    @TempDir
    Path tmp;
    private Git git;
    private Path trustedKey;
    private Path strangerKey;
    private GitWatcher watcher;

    @BeforeAll
    static void startStore() {
        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName("signed-" + UUID.randomUUID())
                .withBackupCount(0));
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        for (var k : Kinds.ALL) {
            for (var o : store.list(k, null)) {
                store.delete(k, o.metadata().namespace(), o.metadata().name(), null);
            }
        }
        Path keys = tmp.resolve("keys");
        Path trusted = tmp.resolve("trusted");
        Files.createDirectories(keys);
        Files.createDirectories(trusted);
        trustedKey = keyPair(keys, "release", trusted);
        strangerKey = keyPair(keys, "stranger", null);
        git = Git.init().setDirectory(tmp.resolve("repo").toFile()).setInitialBranch("main").call();
        write(GitRepos.service("web", 2));
        commit("first, signed", trustedKey);
        GitSource source = GitSource.discover(tmp.resolve("repo"));
        watcher = new GitWatcher(new GitReader(source), new CapCompiler(), new RevisionApplier(store, source),
                Duration.ofHours(1), o -> { }).verifyingWith(CommitVerifier.trusting(trusted, tmp.resolve("work")));
    }

    @Test
    void appliesASignedCommitAndRejectsAnUnsignedOneKeepingThePrevious() throws Exception {
        assertThat(watcher.syncOnce().orElseThrow().result()).isEqualTo(SyncOutcome.Result.APPLIED);
        write(GitRepos.service("web", 5));
        String unsigned = commit("not signed", null);

        SyncOutcome o = watcher.syncOnce().orElseThrow();

        assertThat(o.result()).isEqualTo(SyncOutcome.Result.REJECTED);
        assertThat(o.diagnostics()).singleElement().asString()
                .startsWith("error[E080] commit " + unsigned.substring(0, 7) + " is not signed; --verify-signatures");
        assertThat(replicas()).isEqualTo(2);
        Revision r = store.get(Kinds.REVISION, null, unsigned.substring(0, 12)).orElseThrow();
        assertThat(r.status().phase()).isEqualTo(Revision.REJECTED);
    }

    @Test
    void rejectsACommitSignedByAKeyThatIsNotTrusted() throws Exception {
        watcher.syncOnce();
        write(GitRepos.service("web", 7));
        String forged = commit("signed by a stranger", strangerKey);

        SyncOutcome o = watcher.syncOnce().orElseThrow();

        assertThat(o.result()).isEqualTo(SyncOutcome.Result.REJECTED);
        assertThat(o.diagnostics()).singleElement().asString()
                .startsWith("error[E082] commit " + forged.substring(0, 7) + " is signed, but not by a key in ");
        assertThat(replicas()).isEqualTo(2);

        write(GitRepos.service("web", 3));
        commit("signed again", trustedKey);
        assertThat(watcher.syncOnce().orElseThrow().result()).isEqualTo(SyncOutcome.Result.APPLIED);
        assertThat(replicas()).isEqualTo(3);
    }

    @Test
    void saysWhatIsWrongWithTrustedKeys() {
        assertThatThrownBy(() -> CommitVerifier.trusting(tmp.resolve("nothing"), tmp.resolve("w")))
                .hasMessageContaining("no such file or directory");
        assertThatThrownBy(() -> CommitVerifier.trusting(tmp.resolve("keys/empty"), tmp.resolve("w")))
                .isInstanceOf(GitSyncException.class);
    }

    private int replicas() {
        return store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().spec().replicas();
    }

    /** An ECDSA key pair in OpenSSH files; the public key also copied into {@code trustedDir} when given. */
    private static Path keyPair(Path dir, String name, Path trustedDir) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = gen.generateKeyPair();
        Path priv = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(priv)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, name, null, out);
        }
        String pub = PublicKeyEntry.toString(kp.getPublic()) + " " + name + "@example.com\n";
        Files.writeString(dir.resolve(name + ".pub"), pub);
        if (trustedDir != null) {
            Files.writeString(trustedDir.resolve(name + ".pub"), pub);
        }
        Files.writeString(dir.resolve("empty"), "# no keys\n");
        return priv;
    }

    private void write(String service) throws Exception {
        Files.writeString(tmp.resolve("repo/shop.cap"), "namespace shop { }\n" + service);
    }

    private String commit(String message, Path key) throws Exception {
        git.add().addFilepattern(".").call();
        var c = git.commit().setMessage(message).setAuthor("T", "t@example.com").setCommitter("T", "t@example.com");
        if (key == null) {
            c.setSign(false);
        } else {
            Config cfg = new Config();
            cfg.setString("gpg", null, "format", "ssh");
            c.setSign(true).setSigningKey(key.toString()).setGpgConfig(new GpgConfig(cfg));
        }
        return c.call().name();
    }
}
