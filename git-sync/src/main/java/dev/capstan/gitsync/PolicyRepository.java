package dev.capstan.gitsync;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.DiagnosticRenderer;
import dev.capstan.dsl.SourceFile;
import dev.capstan.engine.admission.Admission;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A repository owned by the policy authors ({@code capstan up --policy-repo URL}): any URL an app source takes
 * (local path, {@code file://}, {@code http(s)://}, {@code ssh://}, {@code git@host:path}), with the same
 * credentials ({@link SourceSpec}, {@link SourceAuth}); a remote one is mirrored with {@link RemoteMirror}.
 *
 * <p>{@link #refresh()} (on every poll of every followed source, and at start) fetches it and reads the head of its
 * branch. The policies in force are those of the last <em>good</em> policy commit: a head whose policy files do not
 * compile (parse or CEL errors) is rejected, its errors logged at their {@code .cap} locations and kept in
 * {@link #status()}, and the previous policies stay in force; a fetch that fails keeps them too and says so. Until
 * a first good commit there are no policies to apply, and {@link #files} throws (no app commit is applied without
 * its policies). Thread-safe: several watchers share one repository.
 */
public final class PolicyRepository implements PolicyGate.Source, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyRepository.class);

    private final SourceSpec spec;
    private final RemoteMirror mirror;
    private final GitSource local;
    private final CapCompiler compiler = new CapCompiler();
    /** The policies in force: the last good commit's sha and files; null before the first. */
    private volatile InForce inForce;
    private volatile long generation;
    private String fetchError;
    /** The head cannot be read, or the branch has no commits (the branch was deleted); null when it can. */
    private String readError;
    private String rejectedSha;
    private String rejection;

    private record InForce(String sha, List<SourceFile> files) {
    }

    /**
     * @param cacheRoot where a remote repository is mirrored (its own directory: it never shares an app source's)
     * @param env       where credentials named by variable are read
     */
    public PolicyRepository(SourceSpec spec, Path cacheRoot, Map<String, String> env) throws GitSyncException {
        this.spec = spec;
        if (spec.remote()) {
            this.mirror = new RemoteMirror(spec, cacheRoot, env);
            this.local = null;
        } else {
            GitSource found = GitSource.discover(Path.of(spec.url()));
            String path = found.path().isEmpty() ? spec.path()
                    : spec.path().isEmpty() ? found.path() : found.path() + "/" + spec.path();
            String ref = spec.branch() == null ? found.ref() : "refs/heads/" + spec.branch();
            this.mirror = null;
            this.local = new GitSource(found.repoRoot(), path, ref, spec.name(), found.repoRoot().toString());
        }
    }

    /** What this is for people: {@code https://git.example.com/policies.git (main) rules}. */
    public String describe() {
        GitSource s = source();
        return s == null ? spec.displayUrl() : s.url() + " (" + s.branch() + ")" + (s.path().isEmpty() ? "" : " "
                + s.path());
    }

    private GitSource source() {
        if (local != null) {
            return local;
        }
        try {
            return mirror.source();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Fetches and reads the head; takes a new good commit into force. Never throws: a failure keeps the policies in
     * force and is kept in {@link #status()} (and logged once).
     *
     * @return the generation of the policies in force (it changes whenever other policies take over)
     */
    public synchronized long refresh() {
        try {
            if (mirror != null) {
                mirror.fetch();
            }
            if (fetchError != null) {
                LOG.info("git-sync: the policy repository {} can be fetched again", describe());
                fetchError = null;
            }
        } catch (GitSyncException e) {
            if (!e.getMessage().equals(fetchError)) {
                LOG.warn("git-sync: {}; {}", e.getMessage(), keeping());
            }
            fetchError = e.getMessage();
            return generation;
        }
        try {
            GitReader reader = new GitReader(source());
            Optional<Commit> head = reader.head();
            if (head.isEmpty()) {
                String msg = "the policy repository " + describe() + " has no commits on its branch";
                if (!msg.equals(readError)) {
                    LOG.warn("git-sync: {}; {}", msg, keeping());
                }
                readError = msg;
                return generation;
            }
            readError = null;
            String sha = head.get().sha();
            InForce now = inForce;
            if ((now != null && now.sha().equals(sha)) || sha.equals(rejectedSha)) {
                return generation;
            }
            List<SourceFile> files = reader.sources(sha);
            List<Diagnostic> errors = errors(files);
            if (!errors.isEmpty()) {
                rejectedSha = sha;
                rejection = "policy commit " + head.get().shortSha() + " is rejected: " + errors.size()
                        + (errors.size() == 1 ? " error" : " errors") + " (" + errors.get(0).format() + ")";
                LOG.warn("git-sync: the policy repository {}: {}; {}\n{}", describe(), rejection, keeping(),
                        DiagnosticRenderer.render(errors, files));
                return generation;
            }
            rejectedSha = null;
            rejection = null;
            inForce = new InForce(sha, List.copyOf(files));
            generation++;
            LOG.info("git-sync: policies of {} at {} are in force", describe(), head.get().shortSha());
        } catch (GitSyncException | RuntimeException e) {
            String msg = "cannot read the policy repository " + describe() + ": " + e.getMessage();
            if (!msg.equals(readError)) {
                LOG.warn("git-sync: {}; {}", msg, keeping());
            }
            readError = msg;
        }
        return generation;
    }

    /** Parse, compile and CEL errors of a policy commit's files, at their locations; empty when it is good. */
    private List<Diagnostic> errors(List<SourceFile> files) {
        if (files.isEmpty()) {
            return List.of();
        }
        CompileResult result = compiler.compile(files);
        List<Diagnostic> errors = new ArrayList<>(result.errors());
        if (errors.isEmpty()) {
            Admission.compile(result.policies()).diagnostics().stream().filter(Diagnostic::isError).forEach(errors::add);
        }
        return errors;
    }

    private String keeping() {
        InForce now = inForce;
        return now == null ? "no policies are in force yet, so no commit is applied"
                : "the policies of " + now.sha().substring(0, 7) + " stay in force";
    }

    /** Changes whenever other policies come into force. */
    public long generation() {
        return generation;
    }

    /** The sha of the policy commit in force, or null before a first good one. */
    public String commitInForce() {
        InForce now = inForce;
        return now == null ? null : now.sha();
    }

    /**
     * What is wrong with the repository now, for {@code capstan status} and logs: a failing fetch, a rejected policy
     * commit (each with the commit whose policies stay in force); null when all is well.
     */
    public synchronized String status() {
        if (fetchError == null && readError == null && rejection == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (fetchError != null) {
            parts.add(fetchError);
        }
        if (readError != null) {
            parts.add(readError);
        }
        if (rejection != null) {
            parts.add(rejection);
        }
        return String.join("; ", parts) + "; " + keeping();
    }

    /** The files of the policies in force; throws before the first good policy commit. */
    @Override
    public List<SourceFile> files(Commit commit) throws GitSyncException {
        InForce now = inForce;
        if (now == null) {
            String why = status();
            throw new GitSyncException("no policies from the policy repository " + describe() + " yet"
                    + (why == null ? "" : ": " + why) + "; commits wait for them");
        }
        return now.files();
    }

    @Override
    public void close() {
        if (mirror != null) {
            mirror.close();
        }
    }
}
