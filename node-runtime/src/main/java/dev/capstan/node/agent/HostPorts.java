package dev.capstan.node.agent;

import dev.capstan.model.Container;
import dev.capstan.model.Pod;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The node's host ports: those its pods hold (as of the latest pod list) plus those handed out since and
 * not yet seen in a list. One per agent; pods are synced side by side (and new pods straight from the
 * watch), so everything is synchronized. A port handed out whose pod never shows it (the write failed and
 * {@link #release} was not called, or the pod went away) is free again after {@link #PENDING_NANOS}.
 */
final class HostPorts {
    static final long PENDING_NANOS = 120_000_000_000L;
    private final int first;
    private final int end;
    private final LongSupplier clock;
    private final Set<Integer> listed = new HashSet<>();
    private final Map<Integer, Long> pending = new HashMap<>();

    HostPorts(AgentConfig config, List<Pod> podsOnNode) {
        this(config, podsOnNode, System::nanoTime);
    }

    HostPorts(AgentConfig config, List<Pod> podsOnNode, LongSupplier clock) {
        this.first = config.portBase();
        this.end = config.portBase() + config.portCount();
        this.clock = clock;
        refresh(podsOnNode);
    }

    /** Takes the ports the node's pods hold from a fresh list of them. */
    synchronized void refresh(List<Pod> podsOnNode) {
        listed.clear();
        for (Pod p : podsOnNode) {
            for (Container c : p.spec().containers()) {
                for (Container.ContainerPort port : c.ports()) {
                    if (port.hostPort() != null) {
                        listed.add(port.hostPort());
                    }
                }
            }
        }
        long now = clock.getAsLong();
        pending.entrySet().removeIf(e -> listed.contains(e.getKey()) || now - e.getValue() > PENDING_NANOS);
    }

    /** The lowest free port of the range, now taken; empty when the range is full. */
    synchronized OptionalInt take() {
        for (int p = first; p < end; p++) {
            if (!listed.contains(p) && !pending.containsKey(p)) {
                pending.put(p, clock.getAsLong());
                return OptionalInt.of(p);
            }
        }
        return OptionalInt.empty();
    }

    /** Gives back ports taken for a pod whose write failed. */
    synchronized void release(List<Integer> ports) {
        ports.forEach(pending::remove);
    }

    /** For messages: {@code 20000-20999}. */
    String range() {
        return first + "-" + (end - 1);
    }
}
