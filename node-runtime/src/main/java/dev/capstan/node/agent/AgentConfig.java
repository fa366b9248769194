package dev.capstan.node.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A node agent's settings.
 *
 * @param nodeName      the Node's name, unique in the cluster
 * @param labels        extra node labels (hostname, os and runtime labels are added)
 * @param portBase      first host port handed to pods; each pod port gets one from
 *                      {@code [portBase, portBase + portCount)}, passed as env PORT and PORT_&lt;NAME&gt;
 * @param logRoot       where container logs go ({@code <ns>_<pod>_<uid>/<container>/<attempt>.log})
 * @param syncInterval  how often the sync loop compares pods with the runtime (it also runs on every pod change)
 * @param leaseDuration a lease not renewed for this long means the node is gone; renewed every quarter of it
 * @param cpuMillis     capacity to report; 0 for the host's
 * @param memoryBytes   capacity to report; 0 for the host's
 */
public record AgentConfig(String nodeName, Map<String, String> labels, int portBase, int portCount, Path logRoot,
                          Duration syncInterval, Duration leaseDuration, long cpuMillis, long memoryBytes) {

    public static AgentConfig defaults(String nodeName, int portBase, Path logRoot) {
        return new AgentConfig(nodeName, Map.of(), portBase, 1000, logRoot, Duration.ofSeconds(1),
                Duration.ofSeconds(10), 0, 0);
    }
}
