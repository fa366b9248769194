package dev.capstan.engine.store;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.capstan.model.Kind;
import dev.capstan.model.KubeObject;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A watch as a Hazelcast entry listener with values; translates entry events to {@link WatchEvent}s. */
final class MapWatch<T extends KubeObject> implements Watch, EntryAddedListener<String, String>,
        EntryUpdatedListener<String, String>, EntryRemovedListener<String, String> {
    private static final Logger LOG = LoggerFactory.getLogger(MapWatch.class);

    private final Kind<T> kind;
    private final WatchListener<T> listener;
    private final Consumer<MapWatch<?>> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile IMap<String, String> map;
    private volatile UUID registration;

    MapWatch(Kind<T> kind, WatchListener<T> listener, Consumer<MapWatch<?>> onClose) {
        this.kind = kind;
        this.listener = listener;
        this.onClose = onClose;
    }

    void open(IMap<String, String> m) {
        this.map = m;
        this.registration = m.addEntryListener(this, true);
    }

    @Override
    public void entryAdded(EntryEvent<String, String> e) {
        deliver(WatchEvent.Type.ADDED, e.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> e) {
        deliver(WatchEvent.Type.MODIFIED, e.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> e) {
        deliver(WatchEvent.Type.DELETED, e.getOldValue());
    }

    private void deliver(WatchEvent.Type type, String json) {
        if (closed.get() || json == null) {
            return;
        }
        try {
            listener.onEvent(new WatchEvent<>(type, HazelcastStateStore.read(kind, json)));
        } catch (RuntimeException ex) {
            LOG.warn("watch listener on {} failed for a {} event", kind.plural(), type, ex);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        onClose.accept(this);
        try {
            if (registration != null) {
                map.removeEntryListener(registration);
            }
        } catch (RuntimeException ex) {
            LOG.debug("removing the {} watch failed (member shutting down?)", kind.plural(), ex);
        }
    }
}
