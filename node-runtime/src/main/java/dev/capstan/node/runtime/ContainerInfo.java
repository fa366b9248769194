package dev.capstan.node.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * A container as the runtime reports it.
 *
 * @param exitCode   meaningful only when {@code state == EXITED}
 * @param reason     for exited containers: Completed, Error or OOMKilled; else null
 * @param startedAt  null when not started
 * @param finishedAt null while running
 */
public record ContainerInfo(String id, String sandboxId, String name, int attempt, State state, int exitCode,
                            String reason, String message, Instant createdAt, Instant startedAt, Instant finishedAt,
                            String image, Map<String, String> labels) {

    public enum State { CREATED, RUNNING, EXITED, UNKNOWN }
}
