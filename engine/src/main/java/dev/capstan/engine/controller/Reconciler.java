package dev.capstan.engine.controller;

/**
 * Moves the world one step closer to the desired state of one object, named by its key.
 *
 * <p>Contract (after java-operator-sdk's {@code Reconciler} and client-go's work queue):
 * <ul>
 *   <li><b>Level-based and idempotent.</b> It reads the current state from the store each time and acts on
 *       what it finds, never on what an event said. Calling it twice in a row with nothing changed
 *       writes nothing the second time. The object may be gone: then it cleans up, or does nothing.</li>
 *   <li><b>Intent, not retries.</b> It never sleeps and never loops waiting for something; it returns a
 *       {@link Result} ({@link Result#done()}, {@link Result#requeueAfter}, {@link Result#retry}) and the
 *       runner applies it. Throwing is an error: the key is retried with per-key exponential back-off.
 *       A {@link dev.capstan.engine.store.ConflictException} is an expected error (someone wrote first).</li>
 *   <li><b>Threads.</b> Never called for the same key by two threads at once; different keys run in
 *       parallel. Never called from a watch thread.</li>
 * </ul>
 */
@FunctionalInterface
public interface Reconciler {

    /** @param key {@code namespace/name}, {@code name}, or a key format the controller defines */
    Result reconcile(String key) throws Exception;
}
