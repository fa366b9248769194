package dev.capstan.engine.scheduler;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The outcome of one scheduling cycle for one pod: the chosen node, or none with every rejection.
 *
 * @param nodeName   the node to bind to; null when the pod fits nowhere
 * @param nodes      how many nodes were considered
 * @param rejections node name → the first failing filter's status, for every node that was filtered out
 * @param examined   how many nodes were looked at (fewer than {@code nodes} when enough fit early)
 */
public record Decision(String nodeName, int nodes, Map<String, Status> rejections, int examined) {

    public Decision {
        rejections = rejections == null ? Map.of() : Map.copyOf(rejections);
    }

    /** A decision that examined every node. */
    public Decision(String nodeName, int nodes, Map<String, Status> rejections) {
        this(nodeName, nodes, rejections, nodes);
    }

    public boolean scheduled() {
        return nodeName != null;
    }

    /**
     * Why the pod is pending, as Kubernetes says it: {@code 0/3 nodes are available: 2 insufficient memory,
     * 1 node(s) not ready.} — reasons counted over nodes, most frequent first.
     */
    public String message() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Status s : rejections.values()) {
            for (String r : s.reasons()) {
                counts.merge(r, 1, Integer::sum);
            }
        }
        String reasons = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        int available = scheduled() ? 1 : 0;
        return available + "/" + nodes + " nodes are available" + (reasons.isEmpty()
                ? (nodes == 0 ? ": no nodes registered." : ".") : ": " + reasons + ".");
    }

    /** The rejection reasons of one node, e.g. for tests: {@code [insufficient cpu]}. */
    public List<String> reasonsFor(String node) {
        Status s = rejections.get(node);
        return s == null ? List.of() : s.reasons();
    }
}
