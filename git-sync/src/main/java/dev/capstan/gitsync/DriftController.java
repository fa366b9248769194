package dev.capstan.gitsync;

import dev.capstan.engine.controller.Controller;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Kind;
import dev.capstan.model.KubeObject;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts back what Git owns when it is changed out of band: a Namespace, Deployment or Service of the applied
 * revision that was changed (in Git's part: labels, annotations, spec) or deleted in the store is restored
 * from that revision, with a Warning event {@code DriftCorrected} on it. Objects Git does not have are left
 * alone. Run it with a {@link dev.capstan.engine.controller.ControllerRunner}; keys are
 * {@code Kind namespace/name}.
 */
public final class DriftController implements Controller {
    /** The event reason on a restored object. */
    public static final String REASON = "DriftCorrected";
    private static final Logger LOG = LoggerFactory.getLogger(DriftController.class);

    private final RevisionApplier applier;
    private final EventRecorder events;

    public DriftController(RevisionApplier applier, EventRecorder events) {
        this.applier = applier;
        this.events = events;
    }

    @Override
    public String name() {
        return "drift";
    }

    @Override
    public void watches(Watches watches) {
        for (Kind<?> kind : RevisionApplier.DESIRED_KINDS) {
            watch(watches, kind);
        }
    }

    private <T extends KubeObject> void watch(Watches watches, Kind<T> kind) {
        watches.on(kind, (WatchEvent<T> e) -> {
            String id = kind.kind() + " " + e.object().key();
            return applier.isDesired(id) ? List.of(id) : List.of();
        });
    }

    /** Restoring waits for the applier, which may be committing a revision: this reconcile must not hold the gate. */
    @Override
    public boolean waitsForCommits() {
        return false;
    }

    @Override
    public Collection<String> resyncKeys() {
        return applier.desiredIds();
    }

    @Override
    public Result reconcile(String key) {
        Optional<RevisionApplier.Restored> restored = applier.restore(key);
        restored.ifPresent(r -> {
            String msg = key + (r.recreated() ? " was deleted" : " was changed") + " outside Git; restored from "
                    + "revision " + r.commit().substring(0, Math.min(7, r.commit().length()));
            LOG.warn("git-sync: {}", msg);
            events.warning(r.object(), REASON, msg);
        });
        return Result.done();
    }
}
