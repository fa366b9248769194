package dev.capstan.engine.api;

/**
 * Told about every authenticated push to the followed branch that reached {@code POST /webhooks/git}
 * (see {@link ApiServer.Builder#webhook}). Called on an API worker thread: return quickly (e.g. ask
 * git-sync to sync now) and never throw.
 */
@FunctionalInterface
public interface WebhookListener {

    void onPush(Push push);

    /**
     * One push as the Git host reported it.
     *
     * @param provider {@code github}, {@code gitea} or {@code gitlab}
     * @param branch   the branch pushed to, without {@code refs/heads/}
     * @param after    the commit the branch points at after the push (may be empty when the host omits it)
     */
    record Push(String provider, String branch, String after) {
    }
}
