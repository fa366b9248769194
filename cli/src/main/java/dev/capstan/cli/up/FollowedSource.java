package dev.capstan.cli.up;

import dev.capstan.gitsync.GitSource;
import dev.capstan.gitsync.GitSyncException;
import dev.capstan.gitsync.RemoteMirror;
import dev.capstan.gitsync.SourceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One source {@code capstan up} follows, resolved before anything starts: a local repository read in place, or a
 * remote one mirrored into the state directory (fetched once here, so a wrong URL or credential fails at start).
 *
 * @param mirror null for a local source
 * @param poll   how often it is polled (a local source is also watched, so commits arrive at once)
 */
record FollowedSource(GitSource source, RemoteMirror mirror, Duration poll) {

    /** The sources of these options: {@code dir} alone, or the named ones. */
    static List<FollowedSource> resolve(UpOptions options, Map<String, String> env) throws GitSyncException {
        List<FollowedSource> out = new ArrayList<>();
        try {
            if (options.sources().isEmpty()) {
                out.add(new FollowedSource(GitSource.discover(options.dir()), null, options.poll()));
                return out;
            }
            for (SourceSpec spec : options.sources()) {
                Duration poll = spec.poll() != null ? spec.poll() : options.poll();
                if (spec.remote()) {
                    RemoteMirror m = new RemoteMirror(spec, options.stateDir().resolve("git"), env);
                    out.add(new FollowedSource(null, m, poll)); // the source is known after the first fetch
                    m.fetch();
                    out.set(out.size() - 1, new FollowedSource(m.source(), m, poll));
                } else {
                    out.add(new FollowedSource(local(spec), null, poll));
                }
            }
            return out;
        } catch (GitSyncException | RuntimeException e) {
            out.stream().filter(f -> f.mirror() != null).forEach(f -> f.mirror().close());
            throw e;
        }
    }

    /** A local repository (or a directory inside one), on the named branch or the one checked out. */
    private static GitSource local(SourceSpec spec) throws GitSyncException {
        GitSource found = GitSource.discover(Path.of(spec.url()));
        String path = join(found.path(), spec.path());
        String ref = spec.branch() == null ? found.ref() : "refs/heads/" + spec.branch();
        return new GitSource(found.repoRoot(), path, ref, spec.name(), found.repoRoot().toString());
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "/" + b;
    }
}
