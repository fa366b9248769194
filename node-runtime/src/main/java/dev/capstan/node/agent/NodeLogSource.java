package dev.capstan.node.agent;

import dev.capstan.engine.api.LogSource;
import dev.capstan.engine.store.NotFoundException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API server's {@link LogSource} when node agents run in the same process (as under
 * {@code capstan up}): finds the agent of the pod's node and reads the container's CRI log files there.
 * Thread-safe.
 */
public final class NodeLogSource implements LogSource {
    private final Map<String, NodeAgent> agents = new ConcurrentHashMap<>();

    /** Makes the logs of the pods on this agent's node readable. */
    public void add(NodeAgent agent) {
        agents.put(agent.nodeName(), agent);
    }

    @Override
    public InputStream open(LogRequest request) {
        String node = request.pod().nodeName();
        if (node == null || node.isEmpty()) {
            throw new NotFoundException("pod \"" + request.pod().metadata().name()
                    + "\" is not scheduled yet: it has no logs");
        }
        NodeAgent agent = agents.get(node);
        if (agent == null) {
            throw new NotFoundException("pod \"" + request.pod().metadata().name() + "\" runs on node " + node
                    + ", whose agent is not in this process: its logs cannot be read here");
        }
        return agent.openLog(request.pod(), request.container(), request.previous(), request.follow(),
                request.tailLines());
    }
}
