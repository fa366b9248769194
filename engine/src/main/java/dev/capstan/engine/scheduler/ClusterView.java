package dev.capstan.engine.scheduler;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The read-only cluster state a scheduling cycle sees: nodes with their accounting, and the bound or
 * assumed pods, indexed so plugins never scan every pod per node. Implemented by {@link SchedulerCache};
 * read only from the scheduling thread while it holds the cache.
 */
public interface ClusterView {

    /** Every node, ordered by name. */
    List<NodeInfo> nodes();

    /** The node of that name, or null. */
    NodeInfo nodeInfo(String name);

    /** Calls {@code action} for every pod in one of {@code namespaces} whose labels match {@code selector}. */
    void forEachMatchingPod(Collection<String> namespaces, dev.capstan.model.LabelSelector selector,
                            Consumer<PodInfo> action);

    /**
     * Calls {@code action} for every distinct required anti-affinity term of existing pods that selects a pod
     * with these labels in that namespace, with the count of such pods per topology domain.
     */
    void forEachAntiAffinityAgainst(String namespace, Map<String, String> labels,
                                    BiConsumer<AffinityTermKey, Map<String, Integer>> action);

    /** The pods bound or assumed to that node. */
    Collection<PodInfo> podsOn(String node);

    /** Node name → how many pods of this controller uid are there (only nodes with some); empty for null. */
    Map<String, Integer> podsOfOwnerByNode(String ownerUid);

    /** A view of nodes alone, with no pods (plugins that look at pods see none). */
    static ClusterView of(List<NodeInfo> nodes) {
        return new ClusterView() {
            @Override
            public List<NodeInfo> nodes() {
                return nodes;
            }

            @Override
            public NodeInfo nodeInfo(String name) {
                return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElse(null);
            }

            @Override
            public void forEachMatchingPod(Collection<String> namespaces, dev.capstan.model.LabelSelector selector,
                                           Consumer<PodInfo> action) {
            }

            @Override
            public void forEachAntiAffinityAgainst(String namespace, Map<String, String> labels,
                                                   BiConsumer<AffinityTermKey, Map<String, Integer>> action) {
            }

            @Override
            public Collection<PodInfo> podsOn(String node) {
                return List.of();
            }

            @Override
            public Map<String, Integer> podsOfOwnerByNode(String ownerUid) {
                Map<String, Integer> m = new java.util.HashMap<>();
                for (NodeInfo n : nodes) {
                    if (n.podsOf(ownerUid) > 0) {
                        m.put(n.name(), n.podsOf(ownerUid));
                    }
                }
                return m;
            }
        };
    }
}
