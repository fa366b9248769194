package dev.capstan.engine.store;

import dev.capstan.model.KubeObject;

/** Receives watch events; must return quickly (hand work to a queue). */
@FunctionalInterface
public interface WatchListener<T extends KubeObject> {
    void onEvent(WatchEvent<T> event);
}
