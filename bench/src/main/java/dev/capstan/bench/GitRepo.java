package dev.capstan.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/** A Git repository a benchmark writes files into and commits, on branch {@code main}. */
final class GitRepo implements AutoCloseable {
    private final Git git;
    private final Path dir;

    private GitRepo(Git git, Path dir) {
        this.git = git;
        this.dir = dir;
    }

    static GitRepo init(Path dir) throws IOException, GitAPIException {
        Files.createDirectories(dir);
        return new GitRepo(Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call(), dir);
    }

    Path dir() {
        return dir;
    }

    /** Writes {@code text} to {@code path} (relative to the repository), creating directories. */
    void write(String path, String text) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Removes {@code path} from the work tree and the index. */
    void remove(String path) throws GitAPIException {
        git.rm().addFilepattern(path).call();
    }

    /** Stages every change in the work tree and commits it; returns the commit's SHA. */
    String commitAll(String message) throws GitAPIException {
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor("Bench", "bench@capstan.dev")
                .setCommitter("Bench", "bench@capstan.dev").setSign(false).call().name();
    }

    @Override
    public void close() {
        git.close();
    }
}
