package dev.capstan.node.runtime;

import java.util.Map;

/**
 * A pod sandbox to create.
 *
 * @param podUid    the pod's uid (stable across agent restarts)
 * @param namespace the pod's namespace
 * @param name      the pod's name
 * @param attempt   0 for the first sandbox of this pod
 * @param logDir    directory for the pod's container logs (created by the runtime if missing)
 * @param labels    labels to put on the sandbox (the agent puts pod uid and node name here)
 * @param dns       the pod's resolver, or null for the host's
 */
public record SandboxSpec(String podUid, String namespace, String name, int attempt, String logDir,
                          Map<String, String> labels, PodDns dns) {

    /** A sandbox with the host's resolver. */
    public SandboxSpec(String podUid, String namespace, String name, int attempt, String logDir,
                       Map<String, String> labels) {
        this(podUid, namespace, name, attempt, logDir, labels, null);
    }
}
