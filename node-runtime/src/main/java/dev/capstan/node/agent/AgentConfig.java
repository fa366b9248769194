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
 * @param logMaxBytes   a running container's log file is rotated once it is larger than this
 * @param logMaxFiles   rotated files kept per container attempt (older ones are deleted)
 */
public record AgentConfig(String nodeName, Map<String, String> labels, int portBase, int portCount, Path logRoot,
                          Duration syncInterval, Duration leaseDuration, long cpuMillis, long memoryBytes,
                          long logMaxBytes, int logMaxFiles) {

    /** 10 MiB per log file, as kubelet's containerLogMaxSize. */
    public static final long DEFAULT_LOG_MAX_BYTES = 10L << 20;
    /** Rotated files kept, as kubelet's containerLogMaxFiles (5, counting the current one there). */
    public static final int DEFAULT_LOG_MAX_FILES = 4;

    public static AgentConfig defaults(String nodeName, int portBase, Path logRoot) {
        return new AgentConfig(nodeName, Map.of(), portBase, 1000, logRoot, Duration.ofSeconds(1),
                Duration.ofSeconds(10), 0, 0, DEFAULT_LOG_MAX_BYTES, DEFAULT_LOG_MAX_FILES);
    }

    /** The same with another log rotation limit. */
    public AgentConfig withLogRotation(long maxBytes, int maxFiles) {
        return new AgentConfig(nodeName, labels, portBase, portCount, logRoot, syncInterval, leaseDuration, cpuMillis,
                memoryBytes, maxBytes, maxFiles);
    }

    /** The same with another sync interval. */
    public AgentConfig withSyncInterval(Duration interval) {
        return new AgentConfig(nodeName, labels, portBase, portCount, logRoot, interval, leaseDuration, cpuMillis,
                memoryBytes, logMaxBytes, logMaxFiles);
    }
}
