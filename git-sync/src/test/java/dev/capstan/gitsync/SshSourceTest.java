package dev.capstan.gitsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.model.Kinds;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UploadPack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source over SSH: an Apache MINA sshd server on loopback that runs JGit's upload-pack for one bare repository,
 * with public-key authentication; the client trusts only the host key in its known_hosts file.
 */
class SshSourceTest {
    private static HazelcastStateStore store;

    @TempDir
    Path tmp;
    private SshServer sshd;
    private KeyPair hostKey;
    private Path clientKey;
    private Path bare;

    @BeforeAll
    static void startStore() {
        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName("ssh-" + UUID.randomUUID())
                .withBackupCount(0));
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        bare = tmp.resolve("host/shop.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        try (Git work = Git.init().setDirectory(tmp.resolve("work").toFile()).setInitialBranch("main").call()) {
            Files.writeString(tmp.resolve("work/shop.cap"), "namespace shop { }\n" + GitRepos.service("web", 2));
            work.add().addFilepattern(".").call();
            work.commit().setMessage("first").setAuthor("T", "t@example.com").setCommitter("T", "t@example.com")
                    .setSign(false).call();
            work.push().setRemote(bare.toUri().toString()).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"))
                    .call();
        }
        hostKey = ec();
        KeyPair client = ec();
        clientKey = tmp.resolve("deploy-key");
        try (OutputStream out = Files.newOutputStream(clientKey)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(client, "deploy", null, out);
        }
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, client.getPublic()));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setCommandFactory((channel, command) -> new UploadPackCommand(bare, command));
        sshd.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        sshd.stop(true);
    }

    @Test
    void fetchesOverSshWithAKeyAndAKnownHost() throws Exception {
        Path knownHosts = knownHosts(hostKey);
        SourceSpec spec = new SourceSpec("shop", url(), "main", "", null,
                new SourceAuth(null, null, null, clientKey, knownHosts));

        try (RemoteMirror mirror = new RemoteMirror(spec, tmp.resolve("cache"), Map.of())) {
            mirror.fetch();
            GitSource source = mirror.source();
            try (GitWatcher w = new GitWatcher(new GitReader(source), new CapCompiler(),
                    new RevisionApplier(store, source), Duration.ofHours(1), o -> { }).fetchingWith(mirror::fetch)) {
                assertThat(w.syncOnce().orElseThrow().result()).isEqualTo(SyncOutcome.Result.APPLIED);
            }
        }
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web")).isPresent();
    }

    @Test
    void refusesAHostWhoseKeyIsNotKnown() throws Exception {
        Path knownHosts = knownHosts(ec()); // some other host's key
        SourceSpec spec = new SourceSpec("shop", url(), "main", "", null,
                new SourceAuth(null, null, null, clientKey, knownHosts));

        try (RemoteMirror mirror = new RemoteMirror(spec, tmp.resolve("cache"), Map.of())) {
            assertThatThrownBy(mirror::fetch).isInstanceOf(GitSyncException.class)
                    .hasMessageStartingWith("cannot fetch source 'shop' from " + url());
        }
    }

    @Test
    void sshNeedsAKeyAndKnownHosts() {
        assertThatThrownBy(() -> new RemoteMirror(new SourceSpec("shop", url(), "main", "", null,
                new SourceAuth(null, null, null, clientKey, null)), tmp, Map.of()))
                .hasMessageContaining("give it a known_hosts file");
    }

    private String url() {
        return "ssh://git@127.0.0.1:" + sshd.getPort() + "/shop.git";
    }

    private Path knownHosts(KeyPair host) throws Exception {
        Path f = tmp.resolve("known_hosts-" + UUID.randomUUID());
        Files.writeString(f, "[127.0.0.1]:" + sshd.getPort() + " " + PublicKeyEntry.toString(host.getPublic()) + "\n");
        return f;
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        return gen.generateKeyPair();
    }

    /** {@code git-upload-pack '/shop.git'} served by JGit on the channel's streams. */
    private static final class UploadPackCommand implements Command {
        private final Path bare;
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        UploadPackCommand(Path bare, String command) {
            this.bare = bare;
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            Thread t = new Thread(() -> {
                int code = 0;
                try (Repository repo = new FileRepositoryBuilder().setGitDir(bare.toFile()).build()) {
                    if (!command.startsWith("git-upload-pack")) {
                        err.write(("only git-upload-pack here, not " + command + "\n").getBytes());
                        code = 1;
                    } else {
                        new UploadPack(repo).upload(in, out, err);
                    }
                } catch (Exception e) {
                    code = 1;
                } finally {
                    try {
                        out.flush();
                    } catch (Exception ignored) {
                        // channel gone
                    }
                    exit.onExit(code);
                }
            }, "upload-pack");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void destroy(ChannelSession channel) {
        }
    }

}
