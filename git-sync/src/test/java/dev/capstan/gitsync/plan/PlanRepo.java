package dev.capstan.gitsync.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * A real Git repository in a temporary directory whose commits have fixed authors and times, so the same
 * files always give the same SHAs (golden files can pin them).
 */
final class PlanRepo implements AutoCloseable {
    private final Git git;
    private final Path dir;
    private int commits;

    private PlanRepo(Git git, Path dir) {
        this.git = git;
        this.dir = dir;
    }

    static PlanRepo init(Path dir) throws GitAPIException {
        return new PlanRepo(Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call(), dir);
    }

    Path dir() {
        return dir;
    }

    PlanRepo write(String path, String text) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return this;
    }

    PlanRepo remove(String path) throws GitAPIException {
        git.rm().addFilepattern(path).call();
        return this;
    }

    /** Stages everything and commits; returns the SHA. */
    String commit(String message) throws GitAPIException {
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent("Ada Lovelace", "ada@example.com",
                Instant.parse("2026-01-01T12:00:00Z").plusSeconds(60L * commits++), ZoneOffset.UTC);
        return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call().name();
    }

    @Override
    public void close() {
        git.close();
    }
}
