package dev.capstan.gitsync;

import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.DiagnosticRenderer;
import dev.capstan.dsl.SourceFile;
import dev.capstan.engine.admission.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link GitWatcher} does when other policies come into force (a policy repository's new commit) while its
 * head did not move. A head that was rejected is judged again (the new policies may let it through). The running
 * revision is re-checked against the new policies and their verdicts recorded on its Revision; a new deny on
 * running objects is a violation reported in the Revision's policy status, a {@code PolicyViolation} event and the
 * log. Like Kubernetes admission, which gates writes and never evicts what runs, nothing running is torn down: the
 * policies gate the next commit and pods written through the API.
 */
final class PolicyRecheck {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyRecheck.class);

    private PolicyRecheck() {
    }

    /** Handles the head again when it is not the running revision (it was rejected, or lost a collision). */
    static Optional<SyncOutcome> retryHead(GitWatcher w, String head) throws GitSyncException {
        if (head.equals(w.applier.appliedCommit())) {
            return Optional.empty();
        }
        Optional<Commit> now = w.reader.head();
        if (now.isEmpty() || !now.get().sha().equals(head)) {
            return Optional.empty();
        }
        LOG.info("git-sync: {}other policies are in force; judging {} again", w.prefix(), now.get().shortSha());
        SyncOutcome outcome = w.handle(now.get());
        if (outcome.result() == SyncOutcome.Result.REJECTED && w.applier.appliedCommit() == null
                && w.applier.lastApplied().isEmpty()) {
            w.recoverLastGood(now.get());
        }
        return Optional.of(outcome);
    }

    /** Re-checks the running revision against the policies now in force and records what they say. */
    static void running(GitWatcher w) throws GitSyncException {
        String sha = w.applier.appliedCommit();
        if (sha == null) {
            return;
        }
        Commit commit = new Commit(sha, "", "", Instant.EPOCH, null);
        List<SourceFile> files = w.reader.sources(sha);
        CompileResult result = w.compiler.compile(files);
        if (!result.ok()) {
            return;
        }
        PolicyGate.Review review = w.gate.review(commit, result, files);
        if (review.admission() != null && !review.admission().ok()
                || review.diagnostics().stream().anyMatch(d -> d.isError() && !isVerdict(d))) {
            LOG.warn("git-sync: {}the policies now in force do not compile beside those of the running revision {}; "
                    + "the previous ones keep gating API writes\n{}", w.prefix(), commit.shortSha(),
                    DiagnosticRenderer.render(review.diagnostics().stream().filter(Diagnostic::isError).toList(),
                            review.files()));
            return;
        }
        w.gate.applied(review); // the new policies gate pods written through the API from now on
        List<Verdict> blocking = review.verdicts().stream().filter(Verdict::blocks).toList();
        String violation = null;
        if (!blocking.isEmpty()) {
            violation = "the running revision " + commit.shortSha() + " violates the policies now in force ("
                    + blocking.size() + (blocking.size() == 1 ? " denial" : " denials") + ", first: "
                    + blocking.get(0).toDiagnostics().get(0).format() + "); its objects keep running, and the next "
                    + "commit must pass";
            LOG.warn("git-sync: {}{}\n{}", w.prefix(), violation, DiagnosticRenderer.render(
                    review.diagnostics().stream().filter(Diagnostic::isError).toList(), review.files()));
        } else {
            LOG.info("git-sync: {}the running revision {} passes the policies now in force", w.prefix(),
                    commit.shortSha());
        }
        w.violation = violation;
        w.applier.recheck(commit, review.notes(), violation);
    }

    private static boolean isVerdict(Diagnostic d) {
        return d.code().equals("E058") || d.code().equals("E057");
    }
}
