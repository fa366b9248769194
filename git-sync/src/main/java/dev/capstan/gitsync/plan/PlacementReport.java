package dev.capstan.gitsync.plan;

import java.util.List;

/**
 * Where the pods a change creates would go, as the real scheduler decides on a cluster snapshot.
 *
 * @param source      the snapshot's source ({@code nodes.yaml}, {@code https://127.0.0.1:7070})
 * @param nodes       nodes in the snapshot
 * @param newPods     pods the change creates (added Deployments, more replicas, replacements)
 * @param scheduled   of those, how many found a node
 * @param unfit       those that found none, grouped by Deployment and reason
 * @param baseUnfit   pods of the base revision that already found no node (nodes file only; 0 otherwise)
 */
public record PlacementReport(String source, int nodes, int newPods, int scheduled, List<Unfit> unfit,
                              int baseUnfit) {

    public PlacementReport {
        unfit = List.copyOf(unfit);
    }

    public int unschedulable() {
        return newPods - scheduled;
    }

    /**
     * New pods of one Deployment that would not fit, for one reason.
     *
     * @param deployment {@code namespace/name}
     * @param pods       how many of its new pods
     * @param reason     the scheduler's reason: {@code 0/3 nodes are available: 3 insufficient memory.}
     * @param source     where the service is declared ({@code path:line}), or null
     */
    public record Unfit(String deployment, int pods, String reason, String source) {
    }
}
