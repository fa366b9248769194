package dev.capstan.gitsync;

import dev.capstan.dsl.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathSuffixFilter;

/**
 * Reads commits and their {@code .cap} files straight from the object database: what is committed is
 * what runs, never the work tree. Opens the repository afresh for each call, so a repository rewritten
 * underneath (gc, force-push) is always read as it is now. Thread-safe.
 */
public final class GitReader {
    /** Files larger than this are not read; the compiler reports the limit. */
    private static final long MAX_FILE_BYTES = 8L << 20;

    private final GitSource source;
    /**
     * File contents by blob id, from the last commit read: blobs never change, and a commit usually changes a few
     * files, so the next commit reads only those from the object database.
     */
    private volatile Map<ObjectId, String> blobs = Map.of();

    public GitReader(GitSource source) {
        this.source = source;
    }

    public GitSource source() {
        return source;
    }

    /** The commit the followed ref points at now; empty when the branch has no commits yet. */
    public Optional<Commit> head() throws GitSyncException {
        try (Repository repo = open(); RevWalk walk = new RevWalk(repo)) {
            ObjectId id = repo.resolve(source.ref());
            if (id == null) {
                return Optional.empty();
            }
            return Optional.of(toCommit(repo, walk.parseCommit(id)));
        } catch (IOException e) {
            throw new GitSyncException("cannot read " + source.ref() + " in " + source.repoRoot() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Up to {@code max} first-parent ancestors of {@code sha}, newest first (not {@code sha} itself). */
    public List<Commit> ancestors(String sha, int max) throws GitSyncException {
        try (Repository repo = open(); RevWalk walk = new RevWalk(repo)) {
            List<Commit> out = new ArrayList<>();
            RevCommit c = walk.parseCommit(ObjectId.fromString(sha));
            while (out.size() < max && c.getParentCount() > 0) {
                c = walk.parseCommit(c.getParent(0));
                out.add(toCommit(repo, c));
            }
            return out;
        } catch (IOException | IllegalArgumentException e) {
            throw new GitSyncException("cannot read the history of " + sha + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code ancestor} is {@code sha} or one of its ancestors; false when {@code ancestor} is unknown here. */
    public boolean isAncestor(String ancestor, String sha) throws GitSyncException {
        try (Repository repo = open(); RevWalk walk = new RevWalk(repo)) {
            RevCommit a;
            try {
                a = walk.parseCommit(ObjectId.fromString(ancestor));
            } catch (org.eclipse.jgit.errors.MissingObjectException e) {
                return false;
            }
            return walk.isMergedInto(a, walk.parseCommit(ObjectId.fromString(sha)));
        } catch (IOException | IllegalArgumentException e) {
            throw new GitSyncException("cannot read the history of " + sha + ": " + e.getMessage(), e);
        }
    }

    /** Null when {@code sha} carries a good signature by a trusted key; otherwise a diagnostic saying why not. */
    public String verify(String sha, CommitVerifier verifier) throws GitSyncException {
        try (Repository repo = open(); RevWalk walk = new RevWalk(repo)) {
            return verifier.check(repo, walk.parseCommit(ObjectId.fromString(sha)));
        } catch (IOException | IllegalArgumentException e) {
            throw new GitSyncException("cannot read commit " + sha + ": " + e.getMessage(), e);
        }
    }

    /** Every {@code .cap} file under the followed directory at {@code sha}, paths relative to the repository. */
    public List<SourceFile> sources(String sha) throws GitSyncException {
        try (Repository repo = open(); RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(sha));
            List<SourceFile> files = new ArrayList<>();
            Map<ObjectId, String> cached = blobs;
            Map<ObjectId, String> read = new HashMap<>();
            try (TreeWalk tw = new TreeWalk(repo)) {
                tw.addTree(commit.getTree());
                tw.setRecursive(true);
                tw.setFilter(PathSuffixFilter.create(".cap"));
                String prefix = source.path().isEmpty() ? "" : source.path() + "/";
                while (tw.next()) {
                    String path = tw.getPathString();
                    if (!path.startsWith(prefix)) {
                        continue;
                    }
                    ObjectId blob = tw.getObjectId(0);
                    String text = cached.get(blob);
                    if (text == null) {
                        var loader = repo.open(blob);
                        if (loader.getSize() > MAX_FILE_BYTES) {
                            throw new GitSyncException(path + " at " + sha.substring(0, 7) + " is "
                                    + loader.getSize() + " bytes; files over " + MAX_FILE_BYTES + " bytes are refused");
                        }
                        text = new String(loader.getBytes(), StandardCharsets.UTF_8);
                    }
                    read.put(blob, text);
                    files.add(new SourceFile(path, text));
                }
            }
            blobs = read;
            return files;
        } catch (IOException | IllegalArgumentException e) {
            throw new GitSyncException("cannot read commit " + sha + ": " + e.getMessage(), e);
        }
    }

    private Commit toCommit(Repository repo, RevCommit c) throws IOException {
        String treeId = null;
        if (source.path().isEmpty()) {
            treeId = c.getTree().name();
        } else {
            try (TreeWalk tw = TreeWalk.forPath(repo, source.path(), c.getTree())) {
                if (tw != null) {
                    treeId = tw.getObjectId(0).name();
                }
            }
        }
        var who = c.getAuthorIdent();
        return new Commit(c.name(), who.getName() + " <" + who.getEmailAddress() + ">", c.getFullMessage(),
                who.getWhenAsInstant(), treeId);
    }

    private Repository open() throws IOException {
        FileRepositoryBuilder b = new FileRepositoryBuilder().setMustExist(true);
        var dotGit = source.repoRoot().resolve(".git");
        if (dotGit.toFile().exists()) {
            b.setWorkTree(source.repoRoot().toFile());
            b.findGitDir(source.repoRoot().toFile());
        } else {
            b.setGitDir(source.repoRoot().toFile());
        }
        return b.build();
    }
}
