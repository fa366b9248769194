package dev.capstan.node.runtime;

import java.time.Duration;
import java.util.List;

/**
 * What a node agent needs from a container runtime. Shaped after CRI: a pod is a sandbox that
 * holds containers; a restart is a new container in the same sandbox with {@code attempt + 1}.
 *
 * <p>Contract:
 * <ul>
 *   <li>Thread-safe: the agent calls it from its sync loop and from stop hooks.</li>
 *   <li>Idempotent where it says so; every failure is a {@link RuntimeFailure} with a message a user
 *       can read (no stack trace needed to understand it).</li>
 *   <li>Everything a runtime creates carries the labels given in the specs, so that
 *       {@link #listSandboxes()} and {@link #listContainers()} let a restarted agent re-adopt it.</li>
 *   <li>Nulls: no method returns null; optional fields in the records are null when unknown.</li>
 * </ul>
 */
public interface ContainerRuntime extends AutoCloseable {

    /** Short name: {@code containerd} or {@code process}. */
    String name();

    /** One line for people: version, socket, and anything the runtime cannot do (isolation). */
    String describe();

    /** Makes the image available locally; a no-op when it already is. */
    void ensureImage(String image) throws RuntimeFailure;

    /** Creates and starts a pod sandbox (host network). Returns its id. */
    String runPodSandbox(SandboxSpec spec) throws RuntimeFailure;

    /** Stops every container of the sandbox (SIGTERM, {@code grace}, then SIGKILL) and removes it all. Idempotent. */
    void removePodSandbox(String sandboxId, Duration grace) throws RuntimeFailure;

    /** Creates and starts a container in a sandbox. Returns its id. */
    String startContainer(String sandboxId, ContainerSpec spec) throws RuntimeFailure;

    /** Stops a container: SIGTERM, then SIGKILL after {@code grace}. Idempotent. */
    void stopContainer(String containerId, Duration grace) throws RuntimeFailure;

    /** Removes a stopped container. Idempotent. */
    void removeContainer(String containerId) throws RuntimeFailure;

    /** Every sandbox this runtime holds for this agent (filtered by the agent's node label). */
    List<SandboxInfo> listSandboxes() throws RuntimeFailure;

    /** Every container this runtime holds for this agent, running or exited. */
    List<ContainerInfo> listContainers() throws RuntimeFailure;

    /**
     * Runs {@code command} in a running container and waits for it, at most {@code timeout} (then the
     * result says {@code timedOut}). Used by exec probes. A command that cannot be started at all (the
     * container is gone, the binary is missing) is a {@link RuntimeFailure}.
     */
    ExecResult execSync(String containerId, List<String> command, Duration timeout) throws RuntimeFailure;

    /**
     * Makes the container write its log to a fresh file at its log path: called after the agent renamed
     * the current file away (log rotation). A container that is no longer running is not an error.
     */
    void reopenContainerLog(String containerId) throws RuntimeFailure;

    /** Releases connections and, where the runtime owns them, child processes (a private containerd). */
    @Override
    void close();
}
