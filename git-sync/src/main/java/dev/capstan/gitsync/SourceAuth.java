package dev.capstan.gitsync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to authenticate to a remote source. Secrets are never held in settings: they are named by a file or an
 * environment variable and read when a fetch needs them (so a rotated token is picked up), and never printed —
 * {@link #toString()} says only which kinds are configured.
 *
 * @param username       for HTTPS; default {@code git} (hosts that take a token as the password ignore it)
 * @param passwordFile   a file holding the HTTPS password or access token (first line, trimmed)
 * @param passwordEnv    an environment variable holding it instead
 * @param sshKeyFile     the private key for SSH (OpenSSH format, without passphrase)
 * @param knownHostsFile the hosts SSH trusts; required for SSH: an unknown host key is refused
 */
public record SourceAuth(String username, Path passwordFile, String passwordEnv, Path sshKeyFile, Path knownHostsFile) {
    public static final SourceAuth NONE = new SourceAuth(null, null, null, null, null);

    public boolean hasPassword() {
        return passwordFile != null || passwordEnv != null;
    }

    /** The HTTPS password or token, read now; null when none is configured. */
    public String password(Map<String, String> env) throws GitSyncException {
        if (passwordFile != null) {
            try {
                String s = Files.readString(passwordFile).strip();
                int nl = s.indexOf('\n');
                s = nl < 0 ? s : s.substring(0, nl).strip();
                if (s.isEmpty()) {
                    throw new GitSyncException("the password file " + passwordFile + " is empty");
                }
                return s;
            } catch (IOException e) {
                throw new GitSyncException("cannot read the password file " + passwordFile + ": "
                        + e.getClass().getSimpleName(), e);
            }
        }
        if (passwordEnv != null) {
            String s = env.get(passwordEnv);
            if (s == null || s.isBlank()) {
                throw new GitSyncException("the environment variable " + passwordEnv + " (the source's password) is "
                        + "not set");
            }
            return s.strip();
        }
        return null;
    }

    public String user() {
        return username == null || username.isBlank() ? "git" : username;
    }

    @Override
    public String toString() {
        if (this.equals(NONE)) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        if (hasPassword()) {
            b.append("password from ").append(passwordFile != null ? "file " + passwordFile : "$" + passwordEnv);
        }
        if (sshKeyFile != null) {
            b.append(b.isEmpty() ? "" : ", ").append("ssh key ").append(sshKeyFile);
        }
        if (knownHostsFile != null) {
            b.append(b.isEmpty() ? "" : ", ").append("known hosts ").append(knownHostsFile);
        }
        return b.toString();
    }
}
