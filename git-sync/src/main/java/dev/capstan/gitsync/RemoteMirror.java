package dev.capstan.gitsync;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * A remote source ({@code file://}, {@code http(s)://}, {@code ssh://}, {@code user@host:path}) mirrored into a
 * bare repository under a cache directory: every {@link #fetch()} brings its branches up to date, force-pushes
 * included ({@code +refs/heads/*:refs/heads/*}), and removes branches the remote no longer has, so a
 * {@link GitReader} over {@link #source()} sees exactly what the remote has. Credentials come from
 * {@link SourceAuth} and are read at each fetch; the URL used is always the one without user info, so no
 * message or Revision carries a secret. Fetches are serialized.
 */
public final class RemoteMirror implements AutoCloseable {
    private final SourceSpec spec;
    private final Path dir;
    private final Path sshHome;
    private final Map<String, String> env;
    private final String url;
    private final String urlUser;
    private final String urlPassword;
    private volatile String branch;
    private SshdSessionFactory ssh;

    /**
     * @param cacheRoot where mirrors live, one bare repository per source ({@code NAME-HASH.git})
     * @param env       the environment credentials named by variable are read from
     */
    public RemoteMirror(SourceSpec spec, Path cacheRoot, Map<String, String> env) throws GitSyncException {
        if (!spec.remote()) {
            throw new IllegalArgumentException(spec.url() + " is a local path, not a remote");
        }
        this.spec = spec;
        this.env = env;
        this.branch = spec.branch();
        this.dir = cacheRoot.resolve(spec.name() + "-" + hash(spec.displayUrl()) + ".git");
        this.sshHome = cacheRoot.resolve(".ssh-" + spec.name());
        this.url = spec.displayUrl();
        String[] info = userInfo(spec.url());
        this.urlUser = info[0];
        this.urlPassword = info[1];
        if (spec.ssh()) {
            if (spec.auth().knownHostsFile() == null) {
                throw new GitSyncException("source '" + spec.name() + "' is reached over SSH: give it a known_hosts "
                        + "file (knownHostsFile) so that the server's key can be checked");
            }
            if (spec.auth().sshKeyFile() == null) {
                throw new GitSyncException("source '" + spec.name() + "' is reached over SSH: give it a private key "
                        + "file (sshKeyFile)");
            }
        }
    }

    /** The mirror as a source to read: the bare repository, the branch, the path. Call after {@link #fetch()}. */
    public GitSource source() {
        String b = branch == null ? "main" : branch;
        return new GitSource(dir, spec.path(), Constants.R_HEADS + b, spec.name(), url);
    }

    public Path directory() {
        return dir;
    }

    /**
     * Brings the mirror up to date. The first fetch also learns the remote's default branch when none was given.
     * A branch deleted on the remote disappears here too (the reader then finds no head).
     */
    public synchronized void fetch() throws GitSyncException {
        try {
            if (!Files.isDirectory(dir.resolve("objects"))) {
                Files.createDirectories(dir.getParent());
                Git.init().setBare(true).setDirectory(dir.toFile()).call().close();
            }
            try (Git git = Git.open(dir.toFile())) {
                FetchCommand f = git.fetch().setRemote(url).setTagOpt(TagOpt.NO_TAGS).setRemoveDeletedRefs(true)
                        .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"));
                configure(f);
                FetchResult r = f.call();
                if (branch == null) {
                    Ref head = r.getAdvertisedRef(Constants.HEAD);
                    if (head == null || !head.isSymbolic()) {
                        throw new GitSyncException("source '" + spec.name() + "': " + url + " does not say which "
                                + "branch is its default; name one (" + spec.name() + "=" + url + "#BRANCH)");
                    }
                    branch = shortBranch(head.getTarget().getName());
                }
            }
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw new GitSyncException("cannot fetch source '" + spec.name() + "' from " + url + ": "
                    + clean(e.getMessage()), e);
        }
    }

    private static String shortBranch(String ref) {
        return ref.startsWith(Constants.R_HEADS) ? ref.substring(Constants.R_HEADS.length()) : ref;
    }

    private void configure(FetchCommand f) throws GitSyncException {
        SourceAuth auth = spec.auth();
        String password = auth.hasPassword() ? auth.password(env) : urlPassword;
        if (password != null) {
            String user = auth.username() != null ? auth.username() : urlUser != null ? urlUser : auth.user();
            f.setCredentialsProvider(new UsernamePasswordCredentialsProvider(user, password));
        }
        if (spec.ssh()) {
            SshdSessionFactory factory = sshFactory();
            f.setTransportConfigCallback(t -> {
                if (t instanceof SshTransport s) {
                    s.setSshSessionFactory(factory);
                }
            });
        }
    }

    private SshdSessionFactory sshFactory() throws GitSyncException {
        if (ssh == null) {
            try {
                Files.createDirectories(sshHome); // empty: no ~/.ssh/config or other keys are used
            } catch (IOException e) {
                throw new GitSyncException("cannot create " + sshHome + ": " + e.getMessage(), e);
            }
            Path key = spec.auth().sshKeyFile();
            Path known = spec.auth().knownHostsFile();
            ssh = new SshdSessionFactoryBuilder()
                    .setHomeDirectory(sshHome.toFile())
                    .setSshDirectory(sshHome.toFile())
                    .setDefaultIdentities(d -> List.of(key))
                    .setDefaultKnownHostsFiles(d -> List.of(known))
                    .setPreferredAuthentications("publickey")
                    .build(new JGitKeyCache());
        }
        return ssh;
    }

    /** Error texts from the transport, with any URL user info removed (belt and braces: we never pass any). */
    private String clean(String message) {
        if (message == null) {
            return "unknown error";
        }
        String m = message.replace(spec.url(), url);
        if (m.startsWith(url + ": ")) {
            m = m.substring(url.length() + 2); // JGit starts with the URL, which the caller already names
        }
        if (urlPassword != null) {
            m = m.replace(urlPassword, "***");
        }
        return m;
    }

    private static String[] userInfo(String url) {
        if (!url.contains("://")) {
            return new String[2];
        }
        try {
            String info = new URI(url).getRawUserInfo();
            if (info == null) {
                return new String[2];
            }
            int colon = info.indexOf(':');
            String user = URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8);
            String pass = colon < 0 ? null : URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8);
            return new String[] {user, pass};
        } catch (URISyntaxException e) {
            return new String[2];
        }
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (ssh != null) {
            ssh.close();
            ssh = null;
        }
    }
}
