package dev.capstan.gitsync;

import dev.capstan.engine.store.AlreadyExistsException;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.NotFoundException;
import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.StoreWrite;
import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.Namespace;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Revision;
import dev.capstan.model.Times;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Makes the store hold exactly one revision's desired objects, and records every commit seen as a
 * {@link Revision}. Desired kinds are those a {@code .cap} file compiles to: Namespace, Deployment,
 * Service. Objects this source applied earlier and the revision no longer has are pruned.
 *
 * <p><b>Whole or not at all.</b> {@link #apply} works out every write first (creates, updates, prunes, the new
 * Revision marked Applied and the previous one Superseded) and hands them to the store as one atomic batch
 * ({@link StateStore#commit}): a failure anywhere leaves the previous revision as it was, and the controllers
 * of this process, which reconcile inside the store's {@link dev.capstan.engine.store.ReconcileGate}, see the
 * state before the batch or after it, never a part of it. A conflict with a concurrent writer retries the
 * whole revision.
 *
 * <p>An object is rewritten only when what Git says about it changed (labels, annotations other than
 * the commit, spec); status and server-set fields are kept. After the first apply in this process, objects the
 * compiler produced identically for the previous commit are not even read: drift correction ({@link #restore})
 * is what keeps them as Git says. One applier per source; {@link #apply}, {@link #reject} and {@link #restore}
 * are serialized, so drift correction never writes an older revision over a newer one.
 */
public final class RevisionApplier {
    /** Value of {@link ObjectMeta#MANAGED_BY} on everything applied from Git. */
    public static final String MANAGER = "capstan";
    /** Label naming the source an object was applied from (missing on objects of older versions: the default). */
    public static final String SOURCE_LABEL = "capstan.dev/git-source";
    /** Annotation on the applied Revision saying what is wrong with its source (e.g. its branch is gone). */
    public static final String SOURCE_STATUS = "capstan.dev/source-status";
    /**
     * Annotation on the applied Revision saying what is wrong with its policies: a policy repository that cannot be
     * fetched or whose head is rejected, or running objects that the policies now in force deny.
     */
    public static final String POLICY_STATUS = "capstan.dev/policy-status";
    static final List<Kind<?>> DESIRED_KINDS = List.of(Kinds.NAMESPACE, Kinds.DEPLOYMENT, Kinds.JOB, Kinds.DAEMON_SET,
            Kinds.SERVICE);
    private static final int ATTEMPTS = 5;

    private final StateStore store;
    private final GitSource source;
    /** The applied revision's objects as written (labels and commit annotation included), by {@code Kind key}. */
    private volatile Map<String, KubeObject> desired = Map.of();
    /** The applied revision's objects as the compiler produced them, to find what the next commit changes. */
    private Map<String, KubeObject> compiled = Map.of();
    private volatile String desiredCommit;
    /** The name of the Revision this applier last recorded as Applied; null: look it up in the store. */
    private String appliedRevision;

    public RevisionApplier(StateStore store, GitSource source) {
        this.store = store;
        this.source = source;
    }

    public GitSource source() {
        return source;
    }

    /**
     * Applies a compiled revision whole and records it as Applied (the previous one becomes Superseded), in one
     * atomic batch.
     *
     * @throws SourceCollision when an object of the revision belongs to another source; nothing is written
     * @throws dev.capstan.engine.store.StoreException when the store fails (or conflicts persist); nothing is
     *         written and the previous revision keeps running
     */
    public synchronized ApplyReport apply(Commit commit, List<KubeObject> objects) throws SourceCollision {
        return apply(commit, objects, List.of());
    }

    /**
     * As {@link #apply(Commit, List)}, recording {@code notes} (warn and audit verdicts of admission) as the
     * Applied revision's diagnostics.
     */
    public synchronized ApplyReport apply(Commit commit, List<KubeObject> objects, List<String> notes)
            throws SourceCollision {
        Map<String, KubeObject> next = new LinkedHashMap<>();
        for (KubeObject o : objects) {
            next.put(id(o), o);
        }
        for (int attempt = 1; ; attempt++) {
            Plan plan = plan(commit, next, notes);
            try {
                store.commit(plan.writes);
                compiled = Collections.unmodifiableMap(next);
                desired = Collections.unmodifiableMap(plan.written);
                desiredCommit = commit.sha();
                appliedRevision = revisionName(commit);
                return plan.report;
            } catch (ConflictException | AlreadyExistsException | NotFoundException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                compiled = Map.of(); // someone wrote meanwhile: compare with the store itself next time
            }
        }
    }

    /** The writes of one revision and what they amount to. */
    private record Plan(List<StoreWrite> writes, Map<String, KubeObject> written, ApplyReport report) {
    }

    private Plan plan(Commit commit, Map<String, KubeObject> next, List<String> notes) throws SourceCollision {
        boolean full = compiled.isEmpty(); // first apply here, or after a conflict: read everything
        Map<String, KubeObject> live = new HashMap<>();
        if (full) {
            for (Kind<?> kind : DESIRED_KINDS) {
                for (KubeObject o : store.list(kind, null)) {
                    live.put(id(o), o);
                }
            }
        }
        List<StoreWrite> writes = new ArrayList<>();
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        List<String> collisions = new ArrayList<>();
        Map<String, KubeObject> written = new LinkedHashMap<>();
        int unchanged = 0;
        for (Map.Entry<String, KubeObject> e : next.entrySet()) {
            String id = e.getKey();
            KubeObject want = e.getValue();
            if (!full && want.equals(compiled.get(id))) {
                if (desired.containsKey(id)) { // not so for a namespace another source owns
                    written.put(id, desired.get(id)); // the compiler says the same as last time
                }
                unchanged++;
                continue;
            }
            KubeObject tagged = tag(want, commit);
            KubeObject cur = full ? live.get(id) : get(want).orElse(null);
            if (cur != null && otherSource(cur)) {
                if (want instanceof Namespace && GitOwned.viewWithoutSource(tagged).equals(GitOwned.viewWithoutSource(cur))) {
                    unchanged++; // several sources may declare the same namespace; the first one applied owns it
                    continue;
                }
                collisions.add(collision(want, cur));
                continue;
            }
            written.put(id, tagged);
            KubeObject kept = GitOwned.keepAllocated(tagged, cur);
            if (cur == null) {
                writes.add(StoreWrite.create(tagged));
                created.add(id);
            } else if (GitOwned.view(kept).equals(GitOwned.view(cur))) {
                unchanged++;
            } else {
                writes.add(StoreWrite.update(GitOwned.overLive(kept, cur)));
                updated.add(id);
            }
        }
        if (!collisions.isEmpty()) {
            throw new SourceCollision(collisions);
        }
        // Prune what this source applied before and the revision no longer has.
        Collection<KubeObject> before = full ? live.values() : desired.values();
        for (KubeObject old : before) {
            String id = id(old);
            if (next.containsKey(id) || (full && !appliedHere(old))) {
                continue;
            }
            Optional<? extends KubeObject> cur = full ? Optional.of(old) : get(old);
            if (cur.isPresent() && appliedHere(cur.get()) && !(old instanceof Namespace && usedByOthers(old))) {
                writes.add(StoreWrite.delete(cur.get()));
                deleted.add(id);
            }
        }
        List<String> taken = NodePortCollisions.find(store, source.name(), next, created, updated, deleted);
        if (!taken.isEmpty()) {
            throw new SourceCollision(taken);
        }
        writes.addAll(revisionWrites(commit, next.size(), notes));
        return new Plan(writes, written, new ApplyReport(created, updated, deleted, unchanged));
    }

    /** The new revision as Applied, and the one applied before it as Superseded. */
    private List<StoreWrite> revisionWrites(Commit commit, int objects, List<String> notes) {
        String name = revisionName(commit);
        List<StoreWrite> writes = new ArrayList<>();
        List<Revision> previous = new ArrayList<>();
        if (appliedRevision == null) {
            for (Revision r : store.list(Kinds.REVISION, null)) {
                if (r.status() != null && Revision.APPLIED.equals(r.status().phase()) && isMine(r)) {
                    previous.add(r);
                }
            }
        } else {
            store.get(Kinds.REVISION, null, appliedRevision).ifPresent(previous::add);
        }
        for (Revision r : previous) {
            if (!r.metadata().name().equals(name)) {
                writes.add(StoreWrite.update(r.withStatus(new Revision.Status(Revision.SUPERSEDED,
                        r.status().diagnostics(), r.status().objects(), Times.now()))));
            }
        }
        Revision.Status status = new Revision.Status(Revision.APPLIED, List.copyOf(notes), objects, Times.now());
        Optional<Revision> existing = store.get(Kinds.REVISION, null, name);
        writes.add(existing.isPresent() ? StoreWrite.update(existing.get().withStatus(status))
                : StoreWrite.create(newRevision(commit, name, status)));
        return writes;
    }

    private KubeObject tag(KubeObject o, Commit commit) {
        return o.withMetadata(o.metadata()
                .withLabel(ObjectMeta.MANAGED_BY, MANAGER)
                .withLabel(SOURCE_LABEL, source.name())
                .withAnnotation(ObjectMeta.COMMIT, commit.sha()));
    }

    /** Whether an object in the store was applied from this source. */
    private boolean appliedHere(KubeObject live) {
        String from = live.metadata().label(SOURCE_LABEL);
        return MANAGER.equals(live.metadata().label(ObjectMeta.MANAGED_BY))
                && source.name().equals(from == null ? GitSource.DEFAULT : from);
    }

    /** Whether another source applied an object in the store (a hand-made object is adopted, as before). */
    private boolean otherSource(KubeObject live) {
        return MANAGER.equals(live.metadata().label(ObjectMeta.MANAGED_BY)) && !appliedHere(live);
    }

    /** Whether another source has objects in this namespace (then it stays, though this source dropped it). */
    private boolean usedByOthers(KubeObject namespace) {
        String ns = namespace.metadata().name();
        return DESIRED_KINDS.stream().filter(k -> k != Kinds.NAMESPACE)
                .anyMatch(k -> store.list(k, ns).stream().anyMatch(this::otherSource));
    }

    private String collision(KubeObject want, KubeObject other) {
        String from = other.metadata().label(SOURCE_LABEL);
        String where = other.metadata().annotation(ObjectMeta.SOURCE);
        String here = want.metadata().annotation(ObjectMeta.SOURCE);
        String owner = from == null ? GitSource.DEFAULT : from;
        return "error[E070] " + source.name() + ":" + (here == null ? "?" : here) + ": " + id(want)
                + " is also declared by source '" + owner + "'" + (where == null ? "" : " at " + owner + ":" + where)
                + "; two sources cannot own one object (rename one, or keep it in one source)";
    }

    /**
     * Notes on this source's applied revision something people must know about the source itself (its branch
     * is gone), in the annotation {@link #SOURCE_STATUS}; null removes the note.
     */
    public synchronized void noteSource(String message) {
        note(SOURCE_STATUS, message);
    }

    /** Notes on the applied revision what is wrong with its policies ({@link #POLICY_STATUS}); null removes it. */
    public synchronized void notePolicies(String message) {
        note(POLICY_STATUS, message);
    }

    /** The commit of the revision this applier last applied in this process; null before the first. */
    public String appliedCommit() {
        return desiredCommit;
    }

    /**
     * Records the verdicts of the policies now in force on the applied revision of {@code commit} (its phase stays
     * Applied: nothing is torn down) and, when {@code violation} is not null, a Warning event {@code PolicyViolation}
     * on it.
     */
    public synchronized void recheck(Commit commit, List<String> notes, String violation) {
        Revision r = store.get(Kinds.REVISION, null, revisionName(commit)).orElse(null);
        if (r == null || r.status() == null) {
            return;
        }
        updateStatus(r, new Revision.Status(r.status().phase(), notes, r.status().objects(),
                r.status().observedTime())); // still when it was applied
        if (violation != null) {
            store.get(Kinds.REVISION, null, r.metadata().name()).ifPresent(now ->
                    new dev.capstan.engine.controller.EventRecorder(store, "git-sync")
                            .warning(now, "PolicyViolation", violation));
        }
    }

    private void note(String key, String message) {
        Optional<Revision> applied = appliedRevision != null
                ? store.get(Kinds.REVISION, null, appliedRevision) : lastApplied();
        if (applied.isEmpty()) {
            return;
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Revision r = store.get(Kinds.REVISION, null, applied.get().metadata().name()).orElse(null);
            if (r == null) {
                return;
            }
            ObjectMeta m = r.metadata();
            java.util.Map<String, String> ann = new java.util.TreeMap<>(m.annotations() == null ? Map.of() : m.annotations());
            if (Objects.equals(message, ann.get(key))) {
                return;
            }
            if (message == null) {
                ann.remove(key);
            } else {
                ann.put(key, message);
            }
            try {
                store.update(r.withMetadata(m.withAnnotations(ann)));
                return;
            } catch (ConflictException e) {
                // read again
            }
        }
    }

    /** Records a commit that was not applied, with the reasons people need to fix it. */
    public synchronized void reject(Commit commit, List<String> diagnostics) {
        record(commit, Revision.REJECTED, diagnostics, null);
    }

    /** The most recently applied revision of this source, if any (after a restart: from the store). */
    public Optional<Revision> lastApplied() {
        return store.list(Kinds.REVISION, null).stream()
                .filter(r -> r.status() != null && Revision.APPLIED.equals(r.status().phase()) && isMine(r))
                .max((a, b) -> Long.compare(Long.parseLong(a.metadata().resourceVersion()),
                        Long.parseLong(b.metadata().resourceVersion())));
    }

    /** Whether {@code id} ({@code Kind namespace/name}) is an object of the revision applied by this applier. */
    public boolean isDesired(String id) {
        return desired.containsKey(id);
    }

    /** The ids of the applied revision's objects; empty before the first {@link #apply}. */
    public Set<String> desiredIds() {
        return desired.keySet();
    }

    /**
     * An object put back by {@link #restore}.
     *
     * @param object    the object as the applied revision has it
     * @param recreated it had been deleted (otherwise: changed)
     * @param commit    the applied revision's commit
     */
    public record Restored(KubeObject object, boolean recreated, String commit) {
    }

    /**
     * Makes one object of the applied revision match it again if it was changed or deleted out of band;
     * empty when it already matches or is not Git's.
     */
    public synchronized Optional<Restored> restore(String id) {
        KubeObject want = desired.get(id);
        if (want == null) {
            return Optional.empty();
        }
        return switch (put(want)) {
            case CREATED -> Optional.of(new Restored(want, true, desiredCommit));
            case UPDATED -> Optional.of(new Restored(want, false, desiredCommit));
            case UNCHANGED -> Optional.empty();
        };
    }

    private enum Outcome { CREATED, UPDATED, UNCHANGED }

    private <T extends KubeObject> Outcome put(T desired) {
        @SuppressWarnings("unchecked")
        Kind<T> kind = (Kind<T>) Kinds.of(desired);
        for (int attempt = 0; ; attempt++) {
            Optional<T> live = store.get(kind, desired.metadata().namespace(), desired.metadata().name());
            try {
                if (live.isEmpty()) {
                    store.create(desired);
                    return Outcome.CREATED;
                }
                @SuppressWarnings("unchecked")
                T kept = (T) GitOwned.keepAllocated(desired, live.get());
                if (GitOwned.view(kept).equals(GitOwned.view(live.get()))) {
                    return Outcome.UNCHANGED;
                }
                store.update(GitOwned.overLive(kept, live.get(), kind));
                return Outcome.UPDATED;
            } catch (ConflictException e) {
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    private void record(Commit commit, String phase, List<String> diagnostics, Integer objects) {
        String name = revisionName(commit);
        Revision.Status status = new Revision.Status(phase, diagnostics, objects, Times.now());
        Optional<Revision> existing = store.get(Kinds.REVISION, null, name);
        if (existing.isPresent()) {
            updateStatus(existing.get(), status);
        } else {
            store.create(newRevision(commit, name, status));
        }
    }

    private Revision newRevision(Commit commit, String name, Revision.Status status) {
        Revision.Spec spec = new Revision.Spec(commit.sha(), commit.author(), commit.subject(),
                Times.format(commit.time()), source.url(), source.branch(), source.path());
        return new Revision(ObjectMeta.of(null, name).withLabel(SOURCE_LABEL, source.name()), spec, status);
    }

    /** {@code sha[:12]} for the default source, {@code NAME-sha[:12]} for a named one. */
    public String revisionName(Commit commit) {
        String sha = commit.sha().substring(0, 12);
        return GitSource.DEFAULT.equals(source.name()) ? sha : source.name() + "-" + sha;
    }

    private boolean isMine(Revision r) {
        String from = r.metadata().label(SOURCE_LABEL);
        return source.name().equals(from == null ? GitSource.DEFAULT : from);
    }

    private Optional<? extends KubeObject> get(KubeObject o) {
        return store.get(Kinds.of(o), o.metadata().namespace(), o.metadata().name());
    }

    private static String id(KubeObject o) {
        return o.kind() + " " + o.key();
    }

    private void updateStatus(Revision r, Revision.Status status) {
        for (int attempt = 0; ; attempt++) {
            try {
                store.update(r.withStatus(status));
                return;
            } catch (ConflictException e) {
                if (attempt >= 5) {
                    throw e;
                }
                r = store.get(Kinds.REVISION, null, r.metadata().name()).orElseThrow();
            }
        }
    }

}
