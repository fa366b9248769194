package dev.capstan.gitsync.plan;

import dev.capstan.model.Node;
import dev.capstan.model.Pod;
import java.util.List;

/**
 * The cluster a plan's placement simulation runs against.
 *
 * @param source where it came from, for people: {@code https://127.0.0.1:7070} or {@code nodes.yaml}
 * @param nodes  the nodes
 * @param pods   the pods running now (bound ones hold room); null when unknown (a nodes file): the base
 *               revision is then assumed to run on the nodes, and is placed first with the same scheduler
 */
public record ClusterSnapshot(String source, List<Node> nodes, List<Pod> pods) {

    public ClusterSnapshot {
        nodes = List.copyOf(nodes);
        pods = pods == null ? null : List.copyOf(pods);
    }
}
