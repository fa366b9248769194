package dev.capstan.gitsync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifier.SignatureVerification;
import org.eclipse.jgit.lib.SignatureVerifiers;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Accepts only commits signed with a trusted SSH key ({@code git config gpg.format ssh}; verified by JGit's SSH
 * signature verifier from {@code org.eclipse.jgit.ssh.apache}). GPG signatures need JGit's BouncyCastle module,
 * which does not resolve here: they are rejected with a message saying so.
 *
 * <p>Trusted keys are an OpenSSH {@code allowed_signers} file ({@code PRINCIPALS [OPTIONS] KEYTYPE KEY}), a public
 * key file ({@code KEYTYPE KEY [COMMENT]} lines, trusted for any committer), or a directory of {@code *.pub}
 * files (each trusted for any committer). Thread-safe.
 */
public final class CommitVerifier {
    private static final Pattern KEY_LINE = Pattern.compile("^(ssh-|ecdsa-|sk-ssh-|sk-ecdsa-)\\S+\\s+\\S+.*");

    private final Path allowedSigners;
    private final String described;

    private CommitVerifier(Path allowedSigners, String described) {
        this.allowedSigners = allowedSigners;
        this.described = described;
    }

    /**
     * Reads the trusted keys at {@code fileOrDir}; writes the {@code allowed_signers} file JGit reads into
     * {@code workDir} when it has to be built from public keys.
     */
    public static CommitVerifier trusting(Path fileOrDir, Path workDir) throws GitSyncException {
        List<String> lines = new ArrayList<>();
        try {
            if (Files.isDirectory(fileOrDir)) {
                try (Stream<Path> files = Files.list(fileOrDir)) {
                    for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".pub")).sorted().toList()) {
                        lines.addAll(asAllowed(Files.readAllLines(p, StandardCharsets.UTF_8)));
                    }
                }
            } else if (Files.isRegularFile(fileOrDir)) {
                lines.addAll(asAllowed(Files.readAllLines(fileOrDir, StandardCharsets.UTF_8)));
            } else {
                throw new GitSyncException("--trusted-keys " + fileOrDir + ": no such file or directory");
            }
            if (lines.isEmpty()) {
                throw new GitSyncException("--trusted-keys " + fileOrDir + " holds no SSH public key (expected an "
                        + "allowed_signers file, a .pub file or a directory of .pub files)");
            }
            Files.createDirectories(workDir);
            Path out = workDir.resolve("allowed_signers");
            Files.write(out, lines, StandardCharsets.UTF_8);
            return new CommitVerifier(out, fileOrDir.toString());
        } catch (IOException e) {
            throw new GitSyncException("cannot read --trusted-keys " + fileOrDir + ": " + e.getMessage(), e);
        }
    }

    /** Public key lines become {@code * KEY} (any committer); allowed_signers lines are kept as they are. */
    private static List<String> asAllowed(List<String> in) {
        List<String> out = new ArrayList<>();
        for (String raw : in) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            out.add(KEY_LINE.matcher(line).matches() ? "* " + line : line);
        }
        return out;
    }

    /** Null when {@code commit} is signed by a trusted key; otherwise the diagnostic that rejects it. */
    public String check(Repository repo, RevCommit commit) throws IOException {
        String sha = commit.name().substring(0, 7);
        byte[] signature = commit.getRawGpgSignature();
        if (signature == null) {
            return "error[E080] commit " + sha + " is not signed; --verify-signatures accepts only commits signed "
                    + "with a key in " + described + " (git config gpg.format ssh; git commit -S)";
        }
        GpgConfig.GpgFormat format = SignatureVerifiers.getFormat(signature);
        if (format != GpgConfig.GpgFormat.SSH) {
            return "error[E081] commit " + sha + " has a " + format + " signature; only SSH signatures can be "
                    + "verified here (sign with an SSH key: git config gpg.format ssh)";
        }
        Config c = new Config();
        c.setString("gpg", null, "format", "ssh");
        c.setString("gpg", "ssh", "allowedSignersFile", allowedSigners.toString());
        SignatureVerification v;
        try {
            v = SignatureVerifiers.verify(repo, new GpgConfig(c), commit);
        } catch (IOException | RuntimeException e) {
            return "error[E082] commit " + sha + ": its signature cannot be checked: " + e.getMessage();
        }
        if (v == null || !v.verified()) {
            String why = v == null ? "no verifier for SSH signatures" : v.message() != null ? v.message()
                    : "the signature does not match the commit or its key is not trusted";
            return "error[E082] commit " + sha + " is signed, but not by a key in " + described + ": " + why
                    + (v != null && v.keyFingerprint() != null ? " (key " + v.keyFingerprint() + ")" : "");
        }
        return null;
    }

    @Override
    public String toString() {
        return "CommitVerifier[" + described + "]";
    }
}
