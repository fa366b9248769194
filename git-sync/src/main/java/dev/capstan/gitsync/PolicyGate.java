package dev.capstan.gitsync;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.DslCompiler;
import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.policy.PolicySet;
import dev.capstan.engine.admission.Admission;
import dev.capstan.engine.admission.Exceptions;
import dev.capstan.engine.admission.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The admission step of a sync. The policies of a commit are the policy blocks among its own {@code .cap} files
 * plus those of each extra {@link Source} (a directory of the same repository at the same commit, or another
 * repository: the policies in force of a {@link PolicyRepository}); they are compiled once per commit and evaluated
 * on its objects. An enforce policy's deny (or error) rejects the commit; warn and audit verdicts, and exceptions
 * that name no object (W052), are reported with the applied revision.
 */
public final class PolicyGate {
    /** Where extra policy files come from. */
    public interface Source {
        /** The policy files to apply to {@code commit} of the followed source. */
        List<SourceFile> files(Commit commit) throws GitSyncException;

        /**
         * Brings the source up to date (a policy repository fetches); never throws. Returns a number that changes
         * whenever other policies come into force; a source read at each commit returns a constant.
         */
        default long refresh() {
            return 0;
        }

        /** What is wrong with the source now (it cannot be fetched, its head is rejected), or null. */
        default String status() {
            return null;
        }
    }

    /** The policy blocks of the followed files only (shared: read {@link #lastApplied()} of a gate of your own). */
    public static final PolicyGate NONE = new PolicyGate(List.of());

    private final List<Source> sources;
    private final DslCompiler compiler = new CapCompiler();
    private final AtomicReference<Admission> lastApplied = new AtomicReference<>();
    /** The sum of the sources' generations at the last {@link #refresh()}; -1 before the first. */
    private long seen = -1;

    public PolicyGate(List<Source> sources) {
        this.sources = List.copyOf(sources);
    }

    /** Policy files in {@code path} of the followed repository, read at the commit being synced. */
    public static Source sameRepository(GitSource followed, String path) {
        GitReader reader = new GitReader(new GitSource(followed.repoRoot(), path, followed.ref()));
        return commit -> reader.sources(commit.sha());
    }

    /** Policy files of another repository's followed ref and path, read at its head when a commit is synced. */
    public static Source otherRepository(GitSource policies) {
        GitReader reader = new GitReader(policies);
        return commit -> {
            var head = reader.head();
            if (head.isEmpty()) {
                throw new GitSyncException("the policy repository " + policies.describe() + " has no commits");
            }
            return reader.sources(head.get().sha());
        };
    }

    /**
     * What admission said about one commit.
     *
     * @param rejected    true when a policy blocks it (or a policy does not compile)
     * @param diagnostics CEL errors and every verdict as diagnostics
     * @param verdicts    the verdicts
     * @param files       the commit's files and the policy files, to render the diagnostics with
     * @param admission   the compiled policies, or null when the commit has none
     */
    public record Review(boolean rejected, List<Diagnostic> diagnostics, List<Verdict> verdicts, List<SourceFile> files,
                         Admission admission) {
        /** One line per verdict (at the object) and per exception that names no object (W052). */
        public List<String> notes() {
            List<String> out = new ArrayList<>(verdicts.stream().map(v -> v.toDiagnostics().get(0).format()).toList());
            diagnostics.stream().filter(d -> ErrorCode.W052.name().equals(d.code())).map(Diagnostic::format)
                    .forEach(out::add);
            return out;
        }
    }

    /**
     * The policies of the last revision applied ({@link #applied(Review)}), for pods written through the API;
     * null before the first or when it had none.
     */
    public Admission lastApplied() {
        return lastApplied.get();
    }

    /**
     * Records that the commit {@code review} is about was applied (or, after a policy change, that the running
     * revision was re-checked): its policies now admit API pod writes.
     */
    public void applied(Review review) {
        lastApplied.set(review.admission());
    }

    /**
     * Refreshes every source (a policy repository fetches, on the same poll as the followed source); true when
     * other policies came into force since the previous call (never on the first). Call from one thread.
     */
    public boolean refresh() {
        long g = 0;
        for (Source s : sources) {
            g += s.refresh();
        }
        boolean changed = seen >= 0 && g != seen;
        seen = g;
        return changed;
    }

    /** What is wrong with the policy sources now (one line per source with a problem), or null when nothing. */
    public String status() {
        List<String> out = new ArrayList<>();
        for (Source s : sources) {
            String st = s.status();
            if (st != null) {
                out.add(st);
            }
        }
        return out.isEmpty() ? null : String.join("\n", out);
    }

    /** Reviews a commit that compiled; throws when an extra policy source cannot be read (the sync is retried). */
    public Review review(Commit commit, CompileResult result, List<SourceFile> files) throws GitSyncException {
        List<SourceFile> all = new ArrayList<>(files);
        List<Diagnostic> diagnostics = new ArrayList<>();
        PolicySet set = result.policies();
        for (Source s : sources) {
            List<SourceFile> policyFiles = s.files(commit);
            if (policyFiles.isEmpty()) {
                continue;
            }
            all.addAll(policyFiles);
            CompileResult policies = compiler.compile(policyFiles);
            diagnostics.addAll(policies.errors());
            set = set.plus(policies.policies());
        }
        if (set.policies().isEmpty() && diagnostics.isEmpty()) {
            return new Review(false, List.of(), List.of(), all, null);
        }
        Admission admission = Admission.compile(set);
        diagnostics.addAll(admission.diagnostics());
        if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
            return new Review(true, diagnostics, List.of(), all, admission);
        }
        List<Verdict> verdicts = admission.evaluate(result.objects());
        diagnostics.addAll(Verdict.diagnostics(verdicts));
        diagnostics.addAll(Exceptions.unmatched(set, result.objects()));
        return new Review(verdicts.stream().anyMatch(Verdict::blocks), diagnostics, verdicts, all, admission);
    }
}
