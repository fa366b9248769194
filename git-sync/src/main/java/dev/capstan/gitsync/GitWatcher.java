package dev.capstan.gitsync;

import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.DiagnosticRenderer;
import dev.capstan.dsl.DslCompiler;
import dev.capstan.dsl.SourceFile;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one Git source: every poll interval (and on {@link #syncNow()}) it looks at the followed ref
 * and, when it points at a commit not yet handled, compiles that commit and applies it whole, or records
 * it as rejected. Commits are handled one at a time on the watcher's own thread.
 */
public final class GitWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GitWatcher.class);
    /** How far back a cluster starting on a rejected head looks for a commit that compiles. */
    static final int HISTORY_SEARCH = 50;

    final GitReader reader;
    final DslCompiler compiler;
    final RevisionApplier applier;
    final PolicyGate gate;
    private final Duration poll;
    private final Consumer<SyncOutcome> listener;
    private final ScheduledExecutorService executor;
    private volatile String lastSeen;
    private volatile String lastError;
    private volatile Fetch fetch = () -> { };
    private volatile CommitVerifier verifier;
    private volatile boolean branchGone;
    /** The last commit was rejected only because another source owns some of its objects: retry it each sync. */
    private volatile boolean collided;
    /** Other policies came into force: the head is judged again at the next sync ({@link PolicyRecheck}). */
    private volatile boolean recheckPending;
    /** The running revision's violations of the policies now in force, for its policy status; null when none. */
    volatile String violation;
    /** What was last put in the applied revision's policy status; null: nothing, or a new revision. */
    private String notedPolicies;

    /** Brings a source up to date before it is read (a remote's mirror fetches); a local source needs nothing. */
    @FunctionalInterface
    public interface Fetch {
        void fetch() throws GitSyncException;
    }

    /**
     * @param listener told about every commit handled (applied or rejected), on the watcher's thread
     */
    public GitWatcher(GitReader reader, DslCompiler compiler, RevisionApplier applier, Duration poll,
                      Consumer<SyncOutcome> listener) {
        this(reader, compiler, applier, new PolicyGate(List.of()), poll, listener);
    }

    /**
     * @param gate     admission: the policies applied to each commit (beside those in the commit's own files)
     * @param listener told about every commit handled (applied or rejected), on the watcher's thread
     */
    public GitWatcher(GitReader reader, DslCompiler compiler, RevisionApplier applier, PolicyGate gate, Duration poll,
                      Consumer<SyncOutcome> listener) {
        this.gate = gate;
        this.reader = reader;
        this.compiler = compiler;
        this.applier = applier;
        this.poll = poll;
        this.listener = listener;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "git-sync");
            t.setDaemon(true);
            return t;
        });
    }

    /** Fetches before every sync (for a remote source: its mirror). Call before {@link #start()}. */
    public GitWatcher fetchingWith(Fetch f) {
        this.fetch = f;
        return this;
    }

    /** Rejects every commit not signed by a trusted key. Call before {@link #start()}. */
    public GitWatcher verifyingWith(CommitVerifier v) {
        this.verifier = v;
        return this;
    }

    public GitReader reader() {
        return reader;
    }

    /** Starts polling; the first sync runs at once. */
    public void start() {
        executor.scheduleWithFixedDelay(this::pollQuietly, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a sync as soon as possible (a webhook, a test). */
    public void syncNow() {
        executor.execute(this::pollQuietly);
    }

    /**
     * Handles the head commit if it is new; empty when there was nothing new. Call it from one thread
     * only (the watcher's own, or a test that did not {@link #start()} it).
     */
    public Optional<SyncOutcome> syncOnce() throws GitSyncException {
        recheckPending |= gate.refresh(); // the policy repository is fetched on the same poll
        try {
            fetch.fetch();
            Optional<SyncOutcome> outcome = syncHead();
            if (outcome.isPresent() && outcome.get().result() == SyncOutcome.Result.APPLIED) {
                recheckPending = false; // the new revision passed the policies in force
                violation = null;
                notedPolicies = null; // a new Revision object: note again
            } else if (recheckPending && lastSeen != null) {
                outcome = outcome.isPresent() ? outcome : PolicyRecheck.retryHead(this, lastSeen);
                if (outcome.isEmpty() || outcome.get().result() != SyncOutcome.Result.APPLIED) {
                    PolicyRecheck.running(this);
                } else {
                    violation = null;
                    notedPolicies = null;
                }
                recheckPending = false;
            }
            return outcome;
        } finally {
            notePolicies();
        }
    }

    /** Puts what is wrong with the policies (sources, violations) on the applied revision when it changed. */
    private void notePolicies() {
        String status = gate.status();
        String note = status == null ? violation : violation == null ? status : status + "\n" + violation;
        if (!Objects.equals(note, notedPolicies)) {
            applier.notePolicies(note);
            notedPolicies = note;
        }
    }

    private Optional<SyncOutcome> syncHead() throws GitSyncException {
        Optional<Commit> head = reader.head();
        if (head.isEmpty()) {
            if (!branchGone && (lastSeen != null || applier.lastApplied().isPresent())) {
                branchGone = true;
                String msg = "branch '" + reader.source().branch() + "' is gone from " + reader.source().url()
                        + "; the cluster keeps running the last applied revision";
                LOG.warn("git-sync: {}{}", prefix(), msg);
                applier.noteSource(msg);
            }
            return Optional.empty();
        }
        if (branchGone) {
            branchGone = false;
            LOG.info("git-sync: {}branch '{}' is back", prefix(), reader.source().branch());
            applier.noteSource(null);
        }
        if (head.get().sha().equals(lastSeen)) {
            return collided ? retryCollided(head.get()) : Optional.empty();
        }
        Commit commit = head.get();
        collided = false;
        if (lastSeen != null && !descends(commit.sha(), lastSeen)) {
            LOG.warn("git-sync: {}the history of '{}' was rewritten (force-push): {} is not a descendant of {}; "
                    + "following the new head", prefix(), reader.source().branch(), commit.shortSha(),
                    lastSeen.substring(0, 7));
        }
        SyncOutcome outcome = handle(commit);
        if (outcome.result() == SyncOutcome.Result.REJECTED && applier.lastApplied().isEmpty()) {
            recoverLastGood(commit);
        }
        lastSeen = commit.sha();
        return Optional.of(outcome);
    }

    /** Whether {@code sha} descends from {@code earlier}; false also when that cannot be read (only a log line). */
    private boolean descends(String sha, String earlier) {
        try {
            return reader.isAncestor(earlier, sha);
        } catch (GitSyncException e) {
            return false;
        }
    }

    /**
     * A cluster that starts on a rejected head has no last good revision yet: run the newest earlier
     * commit that compiles, as the cluster would be running had it been up all along.
     */
    void recoverLastGood(Commit rejectedHead) throws GitSyncException {
        for (Commit earlier : reader.ancestors(rejectedHead.sha(), HISTORY_SEARCH)) {
            if (verifier != null && reader.verify(earlier.sha(), verifier) != null) {
                continue;
            }
            List<SourceFile> files = reader.sources(earlier.sha());
            CompileResult result = files.isEmpty() ? null : compiler.compile(files);
            PolicyGate.Review review = result != null && result.ok() ? gate.review(earlier, result, files) : null;
            if (review != null && !review.rejected()) {
                LOG.info("git-sync: {} is rejected; running the last good commit {} until it is fixed",
                        rejectedHead.shortSha(), earlier.shortSha());
                ApplyReport report = applier.apply(earlier, result.objects());
                gate.applied(review);
                listener.accept(new SyncOutcome(SyncOutcome.Result.APPLIED, earlier, report, List.of(), ""));
                return;
            }
        }
    }

    /** Compiles one commit and applies it or records it as rejected; tells the listener. */
    SyncOutcome handle(Commit commit) throws GitSyncException {
        String unsigned = verifier == null ? null : reader.verify(commit.sha(), verifier);
        if (unsigned != null) {
            List<String> diags = List.of(unsigned);
            applier.reject(commit, diags);
            SyncOutcome outcome = new SyncOutcome(SyncOutcome.Result.REJECTED, commit, null, diags, unsigned);
            listener.accept(outcome);
            return outcome;
        }
        List<SourceFile> files = reader.sources(commit.sha());
        SyncOutcome outcome;
        if (files.isEmpty()) {
            String where = reader.source().path().isEmpty() ? "the repository" : reader.source().path();
            List<String> diags = List.of("no .cap files in " + where + " at " + commit.shortSha()
                    + ": refusing to delete everything (commit an empty namespace block to mean that)");
            applier.reject(commit, diags);
            outcome = new SyncOutcome(SyncOutcome.Result.REJECTED, commit, null, diags, String.join("\n", diags));
        } else {
            CompileResult result = compiler.compile(files);
            PolicyGate.Review review = result.ok() ? gate.review(commit, result, files) : null;
            if (review != null && review.rejected()) {
                List<Diagnostic> blocking = review.diagnostics();
                List<String> diags = blocking.stream().map(Diagnostic::format).toList();
                applier.reject(commit, diags);
                outcome = new SyncOutcome(SyncOutcome.Result.REJECTED, commit, null, diags,
                        DiagnosticRenderer.render(blocking, review.files()));
            } else if (review != null) {
                List<String> notes = review.notes();
                outcome = applyOrReject(commit, result, notes,
                        notes.isEmpty() ? "" : DiagnosticRenderer.render(review.diagnostics(), review.files()));
                if (outcome.result() == SyncOutcome.Result.APPLIED) {
                    gate.applied(review);
                }
            } else {
                List<String> diags = result.diagnostics().stream().map(Diagnostic::format).toList();
                applier.reject(commit, diags);
                outcome = new SyncOutcome(SyncOutcome.Result.REJECTED, commit, null, diags,
                        DiagnosticRenderer.render(result.diagnostics(), files));
            }
        }
        listener.accept(outcome);
        return outcome;
    }

    /**
     * A commit rejected because another source owned some of its objects is applied as soon as that source lets
     * them go; until then nothing is said again.
     */
    private Optional<SyncOutcome> retryCollided(Commit commit) throws GitSyncException {
        CompileResult result = compiler.compile(reader.sources(commit.sha()));
        if (!result.ok()) {
            collided = false;
            return Optional.empty();
        }
        try {
            ApplyReport report = applier.apply(commit, result.objects());
            collided = false;
            SyncOutcome outcome = new SyncOutcome(SyncOutcome.Result.APPLIED, commit, report, List.of(), "");
            listener.accept(outcome);
            return Optional.of(outcome);
        } catch (SourceCollision still) {
            return Optional.empty();
        }
    }

    /** Applies a compiled commit; one that collides with another source is rejected instead. */
    private SyncOutcome applyOrReject(Commit commit, CompileResult result, List<String> notes, String rendered)
            throws GitSyncException {
        try {
            ApplyReport report = applier.apply(commit, result.objects(), notes);
            return new SyncOutcome(SyncOutcome.Result.APPLIED, commit, report, notes, rendered);
        } catch (SourceCollision c) {
            collided = true;
            applier.reject(commit, c.diagnostics());
            return new SyncOutcome(SyncOutcome.Result.REJECTED, commit, null, c.diagnostics(), c.getMessage());
        }
    }

    private void pollQuietly() {
        try {
            syncOnce();
            lastError = null;
        } catch (GitSyncException | RuntimeException e) {
            String msg = e.getMessage();
            if (!msg.equals(lastError)) { // say it once, not every poll
                LOG.warn("git-sync: {}{}", prefix(), msg);
                LOG.debug("git-sync failure", e);
                lastError = msg;
            }
        }
    }

    String prefix() {
        String name = reader.source().name();
        return GitSource.DEFAULT.equals(name) ? "" : name + ": ";
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
