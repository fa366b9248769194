package dev.capstan.gitsync;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One source as a person declares it: a name, a repository (local path, {@code file://}, {@code https://},
 * {@code http://}, {@code ssh://} or scp-like {@code git@host:repo.git}), a branch, a directory inside it, how
 * often to poll and the credentials to use.
 *
 * @param branch null: the branch checked out (local) or the remote's default branch (remote)
 * @param path   {@code ""} for the whole repository
 * @param poll   null: the default ({@code --poll})
 */
public record SourceSpec(String name, String url, String branch, String path, Duration poll, SourceAuth auth) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");
    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:.*");

    public SourceSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("source name '" + name + "': use 1-40 lowercase letters, digits and "
                    + "'-' (it names the source's revisions and labels its objects)");
        }
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("source '" + name + "' has no repository URL or path");
        }
        path = path == null ? "" : strip(path);
        auth = auth == null ? SourceAuth.NONE : auth;
        if (branch != null && (branch.isBlank() || branch.contains(":") || branch.contains(" ") || branch.contains(".."))) {
            throw new IllegalArgumentException("source '" + name + "': '" + branch + "' is not a branch name");
        }
    }

    /**
     * Parses {@code NAME=URL[#BRANCH][:PATH]} (the {@code --source} flag): {@code shop=https://git.example.com/shop.git#main:deploy},
     * {@code web=/src/web#:deploy} (no branch: the default one), {@code all=file:///srv/git/all.git}.
     */
    public static SourceSpec parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--source " + redact(text) + ": expected NAME=URL[#BRANCH][:PATH], for example "
                    + "shop=https://git.example.com/shop.git#main:deploy");
        }
        String name = text.substring(0, eq);
        String rest = text.substring(eq + 1);
        String branch = null;
        String path = "";
        int hash = rest.lastIndexOf('#');
        if (hash >= 0) {
            String after = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
            int colon = after.indexOf(':');
            branch = colon < 0 ? after : after.substring(0, colon);
            path = colon < 0 ? "" : after.substring(colon + 1);
            if (branch.isEmpty()) {
                branch = null;
            }
        }
        return new SourceSpec(name, rest, branch, path, null, null);
    }

    /** Whether the repository is fetched into a local mirror (everything but a plain local path). */
    public boolean remote() {
        return url.contains("://") || SCP_LIKE.matcher(url).matches();
    }

    /** Whether it is reached over SSH. */
    public boolean ssh() {
        return url.startsWith("ssh://") || url.startsWith("git+ssh://") || SCP_LIKE.matcher(url).matches();
    }

    /** The URL for people and Revision objects: any user info ({@code user:token@}) removed. */
    public String displayUrl() {
        return redact(url);
    }

    /**
     * {@code url} without secrets: an HTTP(S) URL loses its user info altogether ({@code https://TOKEN@host} is a
     * common way to write a token); an SSH URL keeps its user name ({@code ssh://git@host}: no secret) but loses a
     * password. Scp-like {@code git@host:path} is kept as it is.
     */
    public static String redact(String url) {
        if (!url.contains("://")) {
            return url;
        }
        try {
            URI u = new URI(url);
            String info = u.getRawUserInfo();
            if (info == null) {
                return url;
            }
            boolean ssh = u.getScheme() != null && u.getScheme().contains("ssh");
            String keep = ssh && !info.contains(":") ? info : ssh ? info.substring(0, info.indexOf(':')) : null;
            return new URI(u.getScheme(), keep, u.getHost(), u.getPort(), u.getPath(), u.getQuery(), u.getFragment())
                    .toString();
        } catch (URISyntaxException e) {
            int at = url.indexOf('@');
            int scheme = url.indexOf("://");
            return at > scheme ? url.substring(0, scheme + 3) + url.substring(at + 1) : url;
        }
    }

    private static String strip(String p) {
        String s = p.replace('\\', '/');
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.equals(".")) {
            return "";
        }
        if (s.contains("..")) {
            throw new IllegalArgumentException("source path '" + p + "' must stay inside the repository");
        }
        return s;
    }

    @Override
    public String toString() { // never the credentials, never user info in the URL
        return "SourceSpec[" + name + "=" + displayUrl() + (branch == null ? "" : "#" + branch)
                + (path.isEmpty() ? "" : ":" + path) + ", auth=" + auth + "]";
    }
}
