package dev.capstan.engine.api;

import dev.capstan.model.Pod;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where pod logs come from (the node agents, in the end). The API server calls {@link #open} on a log
 * thread of its own, copies the stream to the client as it arrives, and closes it when the stream ends
 * or the client goes away. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface LogSource {

    /**
     * Opens one container's log. With {@code follow} the stream stays open while the container runs;
     * otherwise it ends after what is there now. Throw {@link dev.capstan.engine.store.NotFoundException}
     * (or another {@link dev.capstan.engine.store.StoreException}) when there is no log to give; the
     * client then gets that Status.
     */
    InputStream open(LogRequest request) throws IOException;

    /**
     * @param pod       the pod as stored, already checked to exist
     * @param container the container, already checked to be one of the pod's (never null)
     * @param tailLines only the last N lines, or null for all
     * @param previous  the container's previous (terminated) instance instead of the current one
     */
    record LogRequest(Pod pod, String container, boolean follow, Integer tailLines, boolean previous) {
        /** The current instance. */
        public LogRequest(Pod pod, String container, boolean follow, Integer tailLines) {
            this(pod, container, follow, tailLines, false);
        }
    }
}
