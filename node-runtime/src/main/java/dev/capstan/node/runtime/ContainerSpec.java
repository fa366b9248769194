package dev.capstan.node.runtime;

import java.util.List;
import java.util.Map;

/**
 * A container to create in a sandbox.
 *
 * @param name        container name within the pod
 * @param attempt     0 for the first run, +1 for each restart
 * @param image       image reference with a registry domain, e.g. {@code capstan.local/busybox:1.35}
 * @param command     entrypoint (may be empty: the image's)
 * @param args        arguments (may be empty)
 * @param env         environment variables, in order
 * @param workingDir  working directory, or null for the image's
 * @param cpuMillis   CPU limit in millicores, 0 for none
 * @param memoryBytes memory limit in bytes, 0 for none
 * @param logPath     log file relative to the sandbox's logDir
 * @param labels      labels to put on the container
 */
public record ContainerSpec(String name, int attempt, String image, List<String> command, List<String> args,
                            Map<String, String> env, String workingDir, long cpuMillis, long memoryBytes,
                            String logPath, Map<String, String> labels) {
}
