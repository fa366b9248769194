package dev.capstan.node.agent;

import dev.capstan.model.Container;
import dev.capstan.model.Pod;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The host ports of one sync round: those the round's pods already hold, plus those handed out during the
 * round. Pods are synced side by side, so handing out is synchronized; ports written in earlier rounds are
 * in the next round's pod list, so nothing outlives a round.
 */
final class HostPorts {
    private final int first;
    private final int end;
    private final Set<Integer> used = new HashSet<>();
    private int next;

    HostPorts(AgentConfig config, List<Pod> podsOnNode) {
        this.first = config.portBase();
        this.end = config.portBase() + config.portCount();
        this.next = first;
        for (Pod p : podsOnNode) {
            for (Container c : p.spec().containers()) {
                for (Container.ContainerPort port : c.ports()) {
                    if (port.hostPort() != null) {
                        used.add(port.hostPort());
                    }
                }
            }
        }
    }

    /** The lowest free port of the range, now taken; empty when the range is full. */
    synchronized OptionalInt take() {
        while (next < end && used.contains(next)) {
            next++;
        }
        if (next >= end) {
            return OptionalInt.empty();
        }
        used.add(next);
        return OptionalInt.of(next++);
    }

    /** For messages: {@code 20000-20999}. */
    String range() {
        return first + "-" + (end - 1);
    }
}
