package dev.capstan.engine.scheduler;

import dev.capstan.engine.store.StateStore;
import dev.capstan.model.Condition;
import dev.capstan.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a scheduling decision. The scheduler only proposes; the binder writes, as one compare-and-set
 * update of the pod as it was read: {@code spec.nodeName} and the condition {@code PodScheduled=True}.
 * Throws {@link dev.capstan.engine.store.ConflictException} when the pod changed meanwhile (the scheduler
 * then tries again on fresh data) and {@link dev.capstan.engine.store.NotFoundException} when it is gone.
 */
@FunctionalInterface
public interface Binder {

    Pod bind(Pod pod, String nodeName);

    /** The binder that writes to the store. */
    static Binder of(StateStore store) {
        return (pod, nodeName) -> store.update(bound(pod, nodeName));
    }

    /** The pod as bound: nodeName set and PodScheduled=True. */
    static Pod bound(Pod pod, String nodeName) {
        Pod.Status s = pod.status() == null ? Pod.Status.pending(null, null, null) : pod.status();
        List<Condition> conditions = new ArrayList<>();
        s.conditions().stream().filter(c -> !"PodScheduled".equals(c.type())).forEach(conditions::add);
        conditions.add(Condition.of("PodScheduled", true, null, null));
        Pod.Status status = new Pod.Status(s.phase() == null ? Pod.PENDING : s.phase(), conditions, null, null,
                s.hostIP(), s.podIP(), s.startTime(), s.containerStatuses());
        return pod.withSpec(pod.spec().withNodeName(nodeName)).withStatus(status);
    }
}
