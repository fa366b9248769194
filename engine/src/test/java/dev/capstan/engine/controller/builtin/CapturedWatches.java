package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.controller.Controller;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Kind;
import dev.capstan.model.KubeObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Records a controller's watch handlers so a test can feed them events by hand. */
final class CapturedWatches implements Controller.Watches {
    private final Map<Kind<?>, Function<?, Collection<String>>> handlers = new HashMap<>();

    static CapturedWatches of(Controller c) {
        CapturedWatches w = new CapturedWatches();
        c.watches(w);
        return w;
    }

    @Override
    public <T extends KubeObject> void on(Kind<T> kind, Function<WatchEvent<T>, Collection<String>> keys) {
        handlers.put(kind, keys);
    }

    /** The keys the controller enqueues for this event. */
    @SuppressWarnings("unchecked")
    <T extends KubeObject> Collection<String> fire(Kind<T> kind, WatchEvent.Type type, T object) {
        Function<WatchEvent<T>, Collection<String>> h = (Function<WatchEvent<T>, Collection<String>>) handlers.get(kind);
        return h == null ? java.util.List.of() : h.apply(new WatchEvent<>(type, object));
    }
}
