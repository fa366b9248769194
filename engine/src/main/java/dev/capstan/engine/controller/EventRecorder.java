package dev.capstan.engine.controller;

import dev.capstan.engine.store.AlreadyExistsException;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.StoreException;
import dev.capstan.model.Event;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Times;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records {@link Event}s about objects, as Kubernetes' event recorder does: in the involved object's
 * namespace ({@code default} for cluster-scoped objects), one Event per (object, type, reason, message)
 * whose {@code count} and {@code lastTimestamp} go up when it happens again. The Event is named
 * {@code <object name>.<16 hex digits of a hash of kind, namespace, name, uid, type, reason, message>}.
 * Recording never throws: a failure is logged and dropped. Thread-safe.
 */
public final class EventRecorder {
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
    /** Namespace of events about cluster-scoped objects (nodes). */
    public static final String CLUSTER_EVENTS_NAMESPACE = "default";
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

    private final StateStore store;
    private final String component;
    private final Clock clock;

    /** @param component the reporting component, e.g. {@code replicaset-controller}, {@code default-scheduler} */
    public EventRecorder(StateStore store, String component, Clock clock) {
        this.store = store;
        this.component = component;
        this.clock = clock;
    }

    public EventRecorder(StateStore store, String component) {
        this(store, component, Clock.systemUTC());
    }

    public void normal(KubeObject involved, String reason, String message) {
        record(involved, NORMAL, reason, message);
    }

    public void warning(KubeObject involved, String reason, String message) {
        record(involved, WARNING, reason, message);
    }

    /** Creates the event or bumps its count. */
    public void record(KubeObject involved, String type, String reason, String message) {
        ObjectMeta im = involved.metadata();
        String ns = im.namespace() == null || im.namespace().isEmpty() ? CLUSTER_EVENTS_NAMESPACE : im.namespace();
        String name = eventName(involved, type, reason, message);
        String now = Times.format(clock.instant());
        for (int attempt = 0; attempt < 4; attempt++) {
            try {
                Optional<Event> existing = store.get(Kinds.EVENT, ns, name);
                if (existing.isPresent()) {
                    Event e = existing.get();
                    int count = e.count() == null ? 1 : e.count();
                    store.update(new Event(e.apiVersion(), e.kind(), e.metadata(), Event.ObjectReference.to(involved),
                            reason, message, type, count + 1, e.firstTimestamp(), now, e.source()));
                } else {
                    store.create(new Event(null, null, ObjectMeta.of(ns, name), Event.ObjectReference.to(involved),
                            reason, message, type, 1, now, now, new Event.Source(component, null)));
                }
                LOG.debug("event {} {} {}/{}: {}", type, reason, ns, im.name(), message);
                return;
            } catch (ConflictException | AlreadyExistsException raced) {
                // someone recorded the same event at the same time: read again
            } catch (StoreException | IllegalArgumentException e) {
                LOG.info("could not record event {} on {}: {}", reason, involved.key(), e.getMessage());
                return;
            }
        }
    }

    /** The name the event for these arguments gets; stable, so repeats find it. */
    public static String eventName(KubeObject involved, String type, String reason, String message) {
        ObjectMeta m = involved.metadata();
        String text = String.join("\u0000", involved.kind(), String.valueOf(m.namespace()), m.name(),
                String.valueOf(m.uid()), type, reason, message);
        String base = m.name().length() > 200 ? m.name().substring(0, 200) : m.name();
        return base + "." + HexFormat.of().formatHex(sha256(text), 0, 8);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
