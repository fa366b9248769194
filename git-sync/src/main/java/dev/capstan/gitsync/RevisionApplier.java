package dev.capstan.gitsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.StateStore;
import dev.capstan.model.Json;
import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Revision;
import dev.capstan.model.Times;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Makes the store hold exactly one revision's desired objects, and records every commit seen as a
 * {@link Revision}. Desired kinds are those a {@code .cap} file compiles to: Namespace, Deployment,
 * Service. Objects Capstan applied earlier and the revision no longer has are pruned.
 *
 * <p>An object is rewritten only when what Git says about it changed (labels, annotations other than
 * the commit, spec); status and server-set fields are kept. Writes are compare-and-set and retried on
 * conflict. One applier per followed source; {@link #apply}, {@link #reject} and {@link #restore} are
 * serialized, so drift correction never writes an older revision over a newer one.
 */
public final class RevisionApplier {
    /** Value of {@link ObjectMeta#MANAGED_BY} on everything applied from Git. */
    public static final String MANAGER = "capstan";
    static final List<Kind<?>> DESIRED_KINDS = List.of(Kinds.NAMESPACE, Kinds.DEPLOYMENT, Kinds.JOB, Kinds.DAEMON_SET,
            Kinds.SERVICE);

    private final StateStore store;
    private final GitSource source;
    /** The applied revision's objects as written (labels and commit annotation included), by {@code Kind key}. */
    private volatile Map<String, KubeObject> desired = Map.of();
    private volatile String desiredCommit;

    public RevisionApplier(StateStore store, GitSource source) {
        this.store = store;
        this.source = source;
    }

    /** Applies a compiled revision whole and records it as Applied (the previous one becomes Superseded). */
    public synchronized ApplyReport apply(Commit commit, List<KubeObject> objects) {
        return apply(commit, objects, List.of());
    }

    /**
     * Applies a compiled revision whole and records it as Applied with {@code notes} (warn and audit verdicts of
     * admission) as its diagnostics.
     */
    public synchronized ApplyReport apply(Commit commit, List<KubeObject> objects, List<String> notes) {
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        int unchanged = 0;
        Set<String> wanted = new HashSet<>();
        Map<String, KubeObject> written = new LinkedHashMap<>();
        for (KubeObject desired : objects) {
            KubeObject tagged = desired.withMetadata(desired.metadata()
                    .withLabel(ObjectMeta.MANAGED_BY, MANAGER)
                    .withAnnotation(ObjectMeta.COMMIT, commit.sha()));
            wanted.add(tagged.kind() + " " + tagged.key());
            written.put(tagged.kind() + " " + tagged.key(), tagged);
            switch (put(tagged)) {
                case CREATED -> created.add(tagged.kind() + " " + tagged.key());
                case UPDATED -> updated.add(tagged.kind() + " " + tagged.key());
                case UNCHANGED -> unchanged++;
            }
        }
        // Prune in reverse dependency order: services and deployments before their namespaces.
        for (int i = DESIRED_KINDS.size() - 1; i >= 0; i--) {
            Kind<?> kind = DESIRED_KINDS.get(i);
            for (KubeObject live : store.list(kind, null)) {
                String id = live.kind() + " " + live.key();
                if (MANAGER.equals(live.metadata().label(ObjectMeta.MANAGED_BY)) && !wanted.contains(id)) {
                    if (store.delete(kind, live.metadata().namespace(), live.metadata().name(), null)) {
                        deleted.add(id);
                    }
                }
            }
        }
        desired = Collections.unmodifiableMap(written);
        desiredCommit = commit.sha();
        ApplyReport report = new ApplyReport(created, updated, deleted, unchanged);
        record(commit, Revision.APPLIED, notes, objects.size());
        return report;
    }

    /** Records a commit that was not applied, with the reasons people need to fix it. */
    public synchronized void reject(Commit commit, List<String> diagnostics) {
        record(commit, Revision.REJECTED, diagnostics, null);
    }

    /** The most recently applied revision, if any (after a restart: from the store). */
    public Optional<Revision> lastApplied() {
        return store.list(Kinds.REVISION, null).stream()
                .filter(r -> r.status() != null && Revision.APPLIED.equals(r.status().phase()))
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
                if (gitView(desired).equals(gitView(live.get()))) {
                    return Outcome.UNCHANGED;
                }
                store.update(merge(desired, live.get(), kind));
                return Outcome.UPDATED;
            } catch (ConflictException e) {
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    /** The parts of an object that Git owns: labels, annotations but the commit, and everything but status. */
    static JsonNode gitView(KubeObject o) {
        ObjectNode n = Json.MAPPER.valueToTree(o);
        n.remove("status");
        ObjectNode meta = (ObjectNode) n.get("metadata");
        ObjectNode kept = Json.MAPPER.createObjectNode();
        kept.set("labels", meta.get("labels"));
        JsonNode ann = meta.get("annotations");
        if (ann instanceof ObjectNode a) {
            ObjectNode copy = a.deepCopy();
            copy.remove(ObjectMeta.COMMIT);
            kept.set("annotations", copy);
        }
        n.set("metadata", kept);
        JsonNode spec = n.get("spec");
        if (spec instanceof ObjectNode s) {
            s.remove("clusterIP"); // allocated by the control plane, never by Git
        }
        return n;
    }

    /** Desired object with the live object's server-set metadata, status and cluster IP. */
    private static <T extends KubeObject> T merge(T desired, T live, Kind<T> kind) {
        ObjectNode n = Json.MAPPER.valueToTree(desired);
        ObjectNode liveNode = Json.MAPPER.valueToTree(live);
        ObjectNode meta = (ObjectNode) n.get("metadata");
        ObjectNode liveMeta = (ObjectNode) liveNode.get("metadata");
        for (String f : List.of("uid", "resourceVersion", "generation", "creationTimestamp")) {
            if (liveMeta.has(f)) {
                meta.set(f, liveMeta.get(f));
            }
        }
        if (liveNode.has("status")) {
            n.set("status", liveNode.get("status"));
        }
        JsonNode liveSpec = liveNode.get("spec");
        if (liveSpec != null && liveSpec.has("clusterIP") && n.get("spec") instanceof ObjectNode s) {
            s.set("clusterIP", liveSpec.get("clusterIP"));
        }
        return Json.MAPPER.convertValue(n, kind.type());
    }

    private void record(Commit commit, String phase, List<String> diagnostics, Integer objects) {
        String name = commit.sha().substring(0, 12);
        if (Revision.APPLIED.equals(phase)) {
            for (Revision r : store.list(Kinds.REVISION, null)) {
                if (r.status() != null && Revision.APPLIED.equals(r.status().phase())
                        && !r.metadata().name().equals(name)) {
                    updateStatus(r, new Revision.Status(Revision.SUPERSEDED, r.status().diagnostics(),
                            r.status().objects(), Times.now()));
                }
            }
        }
        Revision.Status status = new Revision.Status(phase, diagnostics, objects, Times.now());
        Revision.Spec spec = new Revision.Spec(commit.sha(), commit.author(), commit.subject(),
                Times.format(commit.time()), source.repoRoot().toString(), branchName(), source.path());
        Optional<Revision> existing = store.get(Kinds.REVISION, null, name);
        if (existing.isPresent()) {
            updateStatus(existing.get(), status);
        } else {
            store.create(new Revision(ObjectMeta.of(null, name), spec, status));
        }
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

    private String branchName() {
        String ref = source.ref();
        return ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
    }
}
