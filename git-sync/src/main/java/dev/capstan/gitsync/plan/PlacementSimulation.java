package dev.capstan.gitsync.plan;

import dev.capstan.engine.scheduler.Placement;
import dev.capstan.model.Deployment;
import dev.capstan.model.KubeObject;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.OwnerReference;
import dev.capstan.model.Pod;
import dev.capstan.model.PodTemplateSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs the real scheduler ({@link Placement}: the scheduler's profile and cache, no store) over a cluster
 * snapshot to see whether the pods a change creates would fit. The end state is simulated, not the rollout:
 * pods of removed Deployments and of Deployments whose template changed leave first, scale-downs remove
 * pods, then every new pod is placed, Deployment by Deployment in plan order. No preemption. Pure.
 */
public final class PlacementSimulation {
    private PlacementSimulation() {
    }

    public static PlacementReport run(ClusterSnapshot snapshot, List<KubeObject> base, List<KubeObject> head,
                                      List<ObjectChange> changes) {
        Placement placement = new Placement();
        snapshot.nodes().forEach(placement::node);
        List<Pod> running = new ArrayList<>();
        int baseUnfit = 0;
        if (snapshot.pods() != null) {
            for (Pod p : snapshot.pods()) {
                if (p.nodeName() != null && !p.nodeName().isEmpty() && !p.isTerminal()) {
                    placement.bound(p);
                    running.add(p);
                }
            }
        } else {
            for (Deployment d : deployments(base).values()) {
                for (Pod p : pods(d, "base", d.spec().replicas())) {
                    Placement.Result r = placement.place(p);
                    if (r.fits()) {
                        running.add(p.withSpec(p.spec().withNodeName(r.node())));
                    } else {
                        baseUnfit++;
                    }
                }
            }
        }
        Map<String, Deployment> before = deployments(base);
        Map<String, Deployment> after = deployments(head);
        Map<Deployment, Integer> create = new LinkedHashMap<>();
        for (ObjectChange c : changes) {
            if (!"Deployment".equals(c.kind())) {
                continue;
            }
            Deployment b = before.get(c.key());
            Deployment a = after.get(c.key());
            switch (c.action()) {
                case ADDED -> create.put(a, a.spec().replicas());
                case REMOVED -> evict(placement, running, b, Integer.MAX_VALUE);
                case CHANGED -> {
                    if (c.pods().replaced() > 0) {
                        evict(placement, running, b, Integer.MAX_VALUE);
                        create.put(a, a.spec().replicas());
                    } else if (c.pods().created() > 0) {
                        create.put(a, c.pods().created());
                    } else if (c.pods().removed() > 0) {
                        evict(placement, running, b, c.pods().removed());
                    }
                }
            }
        }
        int total = 0;
        int scheduled = 0;
        Map<String, PlacementReport.Unfit> unfit = new LinkedHashMap<>();
        for (Map.Entry<Deployment, Integer> e : create.entrySet()) {
            Deployment d = e.getKey();
            for (Pod p : pods(d, "new", e.getValue())) {
                total++;
                Placement.Result r = placement.place(p);
                if (r.fits()) {
                    scheduled++;
                    continue;
                }
                String key = d.key() + "\n" + r.reason();
                PlacementReport.Unfit old = unfit.get(key);
                unfit.put(key, new PlacementReport.Unfit(d.key(), old == null ? 1 : old.pods() + 1, r.reason(),
                        d.metadata().annotation(ObjectMeta.SOURCE)));
            }
        }
        return new PlacementReport(snapshot.source(), snapshot.nodes().size(), total, scheduled,
                List.copyOf(unfit.values()), baseUnfit);
    }

    private static Map<String, Deployment> deployments(List<KubeObject> objects) {
        Map<String, Deployment> m = new LinkedHashMap<>();
        for (KubeObject o : objects) {
            if (o instanceof Deployment d && d.spec() != null && d.spec().template() != null) {
                m.put(d.key(), d);
            }
        }
        return m;
    }

    /** Takes up to {@code max} of the Deployment's running pods (by its selector) out of the snapshot. */
    private static void evict(Placement placement, List<Pod> running, Deployment d, int max) {
        LabelSelector selector = d.spec().selector();
        int n = 0;
        for (Iterator<Pod> it = running.iterator(); it.hasNext() && n < max; ) {
            Pod p = it.next();
            if (Objects.equals(p.metadata().namespace(), d.metadata().namespace()) && selector != null
                    && selector.matches(p.metadata().labels())) {
                placement.remove(p);
                it.remove();
                n++;
            }
        }
    }

    /** {@code count} pods as the Deployment's ReplicaSet would create them, named {@code <name>-<tag>-<i>}. */
    private static List<Pod> pods(Deployment d, String tag, int count) {
        PodTemplateSpec t = d.spec().template();
        ObjectMeta tm = t.metadata() == null ? ObjectMeta.of(null, null) : t.metadata();
        OwnerReference owner = new OwnerReference("apps/v1", "ReplicaSet", d.metadata().name(),
                "plan:" + d.key(), true);
        List<Pod> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ObjectMeta m = new ObjectMeta(d.metadata().name() + "-" + tag + "-" + i, d.metadata().namespace(),
                    "plan:" + d.key() + ":" + tag + ":" + i, tm.labels(), null, null, null, null, null,
                    List.of(owner), null);
            out.add(new Pod(m, t.spec().withNodeName(null), Pod.Status.pending(null, null, null)));
        }
        return out;
    }
}
