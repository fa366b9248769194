package dev.capstan.cli.up;

import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.Watch;
import dev.capstan.gitsync.SyncOutcome;
import dev.capstan.model.Condition;
import dev.capstan.model.Deployment;
import dev.capstan.model.Kinds;
import dev.capstan.model.Pod;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code capstan up} tells people: each commit applied or rejected, then, whenever they change,
 * per service how many pods are scheduled and running, and why pods cannot be scheduled.
 */
final class Progress implements AutoCloseable {
    private final StateStore store;
    private final PrintStream out;
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "progress");
        t.setDaemon(true);
        return t;
    });
    private final List<Watch> watches = new ArrayList<>();
    private final Map<String, String> shown = new HashMap<>();

    Progress(StateStore store, PrintStream out) {
        this.store = store;
        this.out = out;
    }

    void start() {
        watches.add(store.watch(Kinds.POD, e -> dirty.set(true)));
        watches.add(store.watch(Kinds.DEPLOYMENT, e -> dirty.set(true)));
        timer.scheduleWithFixedDelay(this::refresh, 300, 300, TimeUnit.MILLISECONDS);
    }

    void onSync(SyncOutcome o) {
        String subject = o.commit().subject();
        String head = "commit " + o.commit().shortSha() + " \"" + (subject.length() > 60
                ? subject.substring(0, 57) + "..." : subject) + "\"";
        synchronized (out) {
            if (o.result() == SyncOutcome.Result.APPLIED) {
                out.println(head + " applied: " + o.report().summary());
            } else {
                out.println(head + " rejected; the last good revision keeps running:");
                o.rendered().lines().forEach(l -> out.println("  " + l));
            }
        }
        dirty.set(true);
    }

    private void refresh() {
        if (!dirty.getAndSet(false)) {
            return;
        }
        try {
            Map<String, String> lines = new TreeMap<>();
            Map<String, int[]> counts = new HashMap<>();
            for (Pod p : store.list(Kinds.POD, null)) {
                String owner = p.metadata().label("app");
                if (owner == null || p.metadata().deletionTimestamp() != null) {
                    continue;
                }
                int[] c = counts.computeIfAbsent(p.metadata().namespace() + "/" + owner, k -> new int[3]);
                if (p.nodeName() != null) {
                    c[0]++;
                }
                if (Pod.RUNNING.equals(p.phase()) && p.isReady()) {
                    c[1]++;
                }
                for (Condition cond : p.status() == null ? List.<Condition>of() : p.status().conditions()) {
                    if ("PodScheduled".equals(cond.type()) && !cond.isTrue() && cond.message() != null) {
                        lines.put("pending " + p.key(), "  " + p.key() + " pending: " + cond.message());
                    }
                }
            }
            for (Deployment d : store.list(Kinds.DEPLOYMENT, null)) {
                int[] c = counts.getOrDefault(d.key(), new int[3]);
                lines.put(d.key(), String.format("  %-30s %d/%d running   (%d scheduled)", d.key(), c[1],
                        d.spec().replicas(), c[0]));
            }
            synchronized (out) {
                for (Map.Entry<String, String> e : lines.entrySet()) {
                    if (!e.getValue().equals(shown.get(e.getKey()))) {
                        out.println(e.getValue());
                        shown.put(e.getKey(), e.getValue());
                    }
                }
                shown.keySet().retainAll(lines.keySet());
            }
        } catch (RuntimeException e) {
            dirty.set(true); // the store is shutting down, or busy: try again next tick
        }
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
        timer.shutdownNow();
    }
}
