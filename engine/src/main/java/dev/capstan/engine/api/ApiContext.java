package dev.capstan.engine.api;

import dev.capstan.engine.controller.builtin.NodePortRange;
import dev.capstan.engine.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * What every connection's handler shares: the store, the watch window, auth, hooks, limits, the webhook receiver,
 * pod admission and the {@code /metrics} text (null: none).
 */
record ApiContext(StateStore store, WatchCache watchCache, TokenAuthenticator authenticator, Authorizer authorizer,
                  LogSource logSource, ExecutorService logThreads, int maxBodyBytes, Duration defaultWatchTimeout,
                  Duration bookmarkInterval, Clock clock, WebhookReceiver webhooks, PodAdmission podAdmission,
                  NodePortRange nodePortRange, java.util.function.Supplier<String> metrics) {

    ObjectApi objects() {
        return new ObjectApi(store, clock, podAdmission, nodePortRange);
    }
}
