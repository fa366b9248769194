package dev.capstan.bench;

import dev.capstan.engine.controller.builtin.PodDeletion;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.engine.store.WatchListener;
import dev.capstan.model.Deployment;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Store watches that note the {@link System#nanoTime()} at which the store first shows what a benchmark waits
 * for. Watch listeners run on store threads as soon as a write lands, so the time is when a controller could
 * first have seen the change; they only compare and record, never block.
 */
final class StoreProbes {
    private StoreProbes() {
    }

    /** Completes when the Deployment {@code namespace/name} carries the commit and has the replicas. */
    static final class DeploymentAt implements WatchListener<Deployment> {
        private final String key;
        private final String commit;
        private final int replicas;
        final CompletableFuture<Long> seen = new CompletableFuture<>();

        DeploymentAt(String namespace, String name, String commit, int replicas) {
            this.key = ObjectMeta.key(namespace, name);
            this.commit = commit;
            this.replicas = replicas;
        }

        @Override
        public void onEvent(WatchEvent<Deployment> event) {
            Deployment d = event.object();
            if (event.type() != WatchEvent.Type.DELETED && matches(d)) {
                seen.complete(System.nanoTime());
            }
        }

        boolean matches(Deployment d) {
            return d.key().equals(key) && commit.equals(d.metadata().annotation(ObjectMeta.COMMIT))
                    && d.spec() != null && d.spec().replicas() == replicas;
        }
    }

    /**
     * Completes {@link #seen} when {@code count} pods labelled {@code app=name} are Running and ready, none
     * terminating; on the way notes when that many had been created ({@link #created}) and bound to a node
     * ({@link #bound}), which tells where the time goes.
     */
    static final class PodsReady implements WatchListener<Pod> {
        private final String namespace;
        private final String app;
        private final int count;
        /** Live pods by name: 0 created, 1 bound to a node, 2 Running and ready. */
        private final Map<String, Integer> stage = new ConcurrentHashMap<>();
        final CompletableFuture<Long> created = new CompletableFuture<>();
        final CompletableFuture<Long> bound = new CompletableFuture<>();
        final CompletableFuture<Long> seen = new CompletableFuture<>();

        PodsReady(String namespace, String app, int count) {
            this.namespace = namespace;
            this.app = app;
            this.count = count;
        }

        @Override
        public void onEvent(WatchEvent<Pod> event) {
            Pod p = event.object();
            if (!namespace.equals(p.metadata().namespace()) || !app.equals(p.metadata().label("app"))) {
                return;
            }
            if (event.type() == WatchEvent.Type.DELETED || PodDeletion.isTerminating(p)) {
                stage.remove(p.metadata().name());
            } else {
                stage.put(p.metadata().name(), isRunningAndReady(p) ? 2 : p.nodeName() != null ? 1 : 0);
            }
            long now = System.nanoTime();
            if (stage.size() >= count) {
                created.complete(now);
            }
            if (stage.values().stream().filter(v -> v >= 1).count() >= count) {
                bound.complete(now);
            }
            if (stage.values().stream().filter(v -> v == 2).count() >= count) {
                seen.complete(now);
            }
        }
    }

    static boolean isRunningAndReady(Pod p) {
        return !PodDeletion.isTerminating(p) && Pod.RUNNING.equals(p.phase()) && p.isReady();
    }
}
