package dev.capstan.gitsync.plan;

import dev.capstan.dsl.SourceFile;
import dev.capstan.gitsync.Commit;
import dev.capstan.gitsync.GitReader;
import dev.capstan.gitsync.GitSource;
import dev.capstan.gitsync.GitSyncException;
import java.io.IOException;
import java.util.List;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * One side of a plan: a commit and the {@code .cap} files of the followed path in it, read from the
 * object database (never the work tree) through {@link GitReader}.
 *
 * @param commit the resolved commit
 * @param files  its {@code .cap} files under the path, paths relative to the repository
 */
public record PlanSide(Commit commit, List<SourceFile> files) {

    public PlanSide {
        files = List.copyOf(files);
    }

    /**
     * Resolves {@code rev} (a SHA, branch, tag, {@code HEAD~1}, {@code origin/main} …) in the source's
     * repository and reads its files.
     *
     * @throws PlanException with a one-line message when the revision does not name a commit
     */
    public static PlanSide read(GitSource source, String rev) throws PlanException {
        Commit commit = resolve(source, rev);
        try {
            return new PlanSide(commit, new GitReader(source).sources(commit.sha()));
        } catch (GitSyncException e) {
            throw new PlanException(e.getMessage(), e);
        }
    }

    /** The commit {@code rev} names. */
    public static Commit resolve(GitSource source, String rev) throws PlanException {
        if (rev == null || rev.isBlank()) {
            throw new PlanException("empty revision");
        }
        try (Repository repo = open(source); RevWalk walk = new RevWalk(repo)) {
            ObjectId id;
            try {
                id = repo.resolve(rev + "^{commit}");
            } catch (RevisionSyntaxException | org.eclipse.jgit.errors.AmbiguousObjectException e) {
                throw new PlanException("'" + rev + "' is not a valid revision in " + source.repoRoot() + ": "
                        + e.getMessage(), e);
            }
            if (id == null) {
                throw new PlanException("unknown revision '" + rev + "' in " + source.repoRoot()
                        + " (a commit SHA, branch or tag, e.g. main or HEAD~1)");
            }
            RevCommit c = walk.parseCommit(id);
            var who = c.getAuthorIdent();
            return new Commit(c.name(), who.getName() + " <" + who.getEmailAddress() + ">", c.getFullMessage(),
                    who.getWhenAsInstant(), null);
        } catch (IOException e) {
            throw new PlanException("cannot read revision '" + rev + "' in " + source.repoRoot() + ": "
                    + e.getMessage(), e);
        }
    }

    private static Repository open(GitSource source) throws IOException {
        FileRepositoryBuilder b = new FileRepositoryBuilder().setMustExist(true);
        if (source.repoRoot().resolve(".git").toFile().exists()) {
            b.findGitDir(source.repoRoot().toFile());
        } else {
            b.setGitDir(source.repoRoot().toFile());
        }
        return b.build();
    }
}
