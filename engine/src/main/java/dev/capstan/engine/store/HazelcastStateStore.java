package dev.capstan.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.transaction.TransactionContext;
import com.hazelcast.transaction.TransactionOptions;
import com.hazelcast.transaction.TransactionalMap;
import dev.capstan.model.Json;
import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Times;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link StateStore} over Hazelcast: one {@code IMap<String, String>} per kind named {@code capstan.<plural>},
 * keyed {@code namespace/name} (or {@code name}), holding the object's JSON. The global resourceVersion is
 * an entry of the map {@code capstan.meta} incremented by an entry processor (no CP subsystem needed).
 * Updates compare-and-set with {@code replace(key, oldJson, newJson)}; watches are entry listeners, which
 * Hazelcast delivers in order per partition and so per key.
 *
 * <p>An update that changes nothing is not written: it returns the stored object and produces no event,
 * as in Kubernetes. A deletionTimestamp, once set, cannot be cleared by an update.
 */
public final class HazelcastStateStore implements StateStore {
    static final String META_MAP = HazelcastMembers.MAP_PREFIX + "meta";
    static final String RV_KEY = "resourceVersion";
    /** Entry of {@link #META_MAP} holding the current leader's fencing term (0 or absent before any election). */
    public static final String TERM_KEY = "leaderTerm";
    private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private final HazelcastInstance hz;
    private final boolean ownsMember;
    /** The fencing term every write of this view must still hold; 0 for an unfenced store. */
    private final long term;
    private final Set<MapWatch<?>> watches = ConcurrentHashMap.newKeySet();
    private final Map<Kind<?>, IMap<String, String>> maps = new ConcurrentHashMap<>();
    private final ReconcileGate gate = new ReconcileGate();
    private volatile boolean closed;

    /** A store over a member someone else started and will shut down; {@link #close()} leaves it running. */
    public HazelcastStateStore(HazelcastInstance hazelcast) {
        this(hazelcast, false);
    }

    private HazelcastStateStore(HazelcastInstance hazelcast, boolean ownsMember) {
        this(hazelcast, ownsMember, 0);
    }

    private HazelcastStateStore(HazelcastInstance hazelcast, boolean ownsMember, long term) {
        this.hz = hazelcast;
        this.ownsMember = ownsMember;
        this.term = term;
    }

    /**
     * A view of this store for a leader elected with fencing term {@code term} ({@code LeaderElection}): reads
     * and watches as usual, but every create, update and delete first checks that {@code term} is still the
     * cluster's current term and is refused with {@link FencedException} once a newer leader bumped it, so a
     * deposed leader cannot write. Closing the view closes only its watches.
     */
    public HazelcastStateStore fenced(long term) {
        if (term <= 0) {
            throw new IllegalArgumentException("a fencing term is positive, was " + term);
        }
        return new HazelcastStateStore(hz, false, term);
    }

    /** The fencing term of this view; 0 for an unfenced store. */
    public long term() {
        return term;
    }

    /** The cluster's current leader term (0 before the first election). */
    public long currentTerm() {
        Long t = call(() -> meta().get(TERM_KEY));
        return t == null ? 0 : t;
    }

    /** Starts a new leader term: increments the cluster's term atomically and returns it (for {@link #fenced}). */
    public long newTerm() {
        return call(() -> meta().executeOnKey(TERM_KEY, new IncrementProcessor()));
    }

    private void checkFence() {
        if (term == 0) {
            return;
        }
        long current = currentTerm();
        if (current != term) {
            throw new FencedException(term, current);
        }
    }

    /**
     * Starts an embedded member (see {@link StoreConfig}: TCP-IP join, multicast and phone-home off, logging
     * through SLF4J) and returns a store that shuts it down on {@link #close()}.
     */
    public static HazelcastStateStore embedded(StoreConfig config) {
        return new HazelcastStateStore(HazelcastMembers.start(config), true);
    }

    /** The member, for cluster membership (leader election by oldest member) and tests. */
    public HazelcastInstance hazelcast() {
        return hz;
    }

    /** The map name of a kind: {@code capstan.<plural>}. */
    public static String mapName(Kind<?> kind) {
        return HazelcastMembers.MAP_PREFIX + kind.plural();
    }

    @Override
    public <T extends KubeObject> Optional<T> get(Kind<T> kind, String namespace, String name) {
        String json = call(() -> map(kind).get(key(kind, namespace, name)));
        return Optional.ofNullable(json).map(j -> read(kind, j));
    }

    @Override
    public <T extends KubeObject> List<T> list(Kind<T> kind, String namespace) {
        IMap<String, String> map = map(kind);
        Set<Map.Entry<String, String>> entries = call(() -> namespace == null || !kind.namespaced()
                ? map.entrySet() : map.entrySet(new KeyPrefixPredicate(namespace + "/")));
        List<Map.Entry<String, String>> sorted = new ArrayList<>(entries);
        sorted.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        List<T> out = new ArrayList<>(sorted.size());
        for (Map.Entry<String, String> e : sorted) {
            out.add(read(kind, e.getValue()));
        }
        return out;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends KubeObject> T create(T object) {
        checkFence();
        Kind<T> kind = Kinds.of(object);
        ObjectMeta m = requireMeta(kind, object);
        String namespace = namespaceOf(kind, m.namespace());
        boolean generated = m.name() == null || m.name().isBlank();
        if (generated && (m.generateName() == null || m.generateName().isBlank())) {
            throw invalid(kind.plural() + ": metadata.name or metadata.generateName is required");
        }
        for (int attempt = 0; attempt < 8; attempt++) {
            String name = generated ? m.generateName() + randomSuffix() : m.name();
            checkName(kind, name);
            ObjectMeta meta = new ObjectMeta(name, namespace, UUID.randomUUID().toString(), m.labels(),
                    m.annotations(), nextResourceVersion(), 1L, Times.now(), null, m.ownerReferences(),
                    m.generateName());
            T created = (T) object.withMetadata(meta);
            String key = ObjectMeta.key(namespace, name);
            String previous = call(() -> map(kind).putIfAbsent(key, Json.write(created)));
            if (previous == null) {
                return created;
            }
            if (!generated) {
                throw new AlreadyExistsException(kind.plural() + " \"" + name + "\" already exists");
            }
        }
        throw new AlreadyExistsException(kind.plural() + ": no free name for generateName \""
                + m.generateName() + "\"");
    }

    @Override
    public <T extends KubeObject> T update(T object) {
        checkFence();
        Kind<T> kind = Kinds.of(object);
        ObjectMeta m = requireMeta(kind, object);
        String key = key(kind, m.namespace(), m.name());
        IMap<String, String> map = map(kind);
        String oldJson = call(() -> map.get(key));
        T updated = updated(kind, object, oldJson);
        if (updated.metadata().resourceVersion().equals(read(kind, oldJson).metadata().resourceVersion())) {
            return updated; // nothing changed: not written
        }
        if (!call(() -> map.replace(key, oldJson, Json.write(updated)))) {
            throw new ConflictException(conflictMessage(kind, m.name()));
        }
        return updated;
    }

    /**
     * What {@code object} becomes when it replaces {@code oldJson}: server-set metadata kept, generation bumped
     * when more than metadata and status changed, a new resourceVersion; the stored object itself when nothing
     * changes.
     */
    @SuppressWarnings("unchecked")
    private <T extends KubeObject> T updated(Kind<T> kind, T object, String oldJson) {
        ObjectMeta m = object.metadata();
        if (m.resourceVersion() == null || m.resourceVersion().isBlank()) {
            throw new ConflictException(conflictMessage(kind, m.name())
                    + " (metadata.resourceVersion is required for an update)");
        }
        if (oldJson == null) {
            throw notFound(kind, m.name());
        }
        T old = read(kind, oldJson);
        ObjectMeta om = old.metadata();
        if (!m.resourceVersion().equals(om.resourceVersion())) {
            throw new ConflictException(conflictMessage(kind, m.name()));
        }
        long generation = om.generation() == null ? 1L : om.generation();
        if (!withoutMetaAndStatus(tree(Json.write(object))).equals(withoutMetaAndStatus(tree(oldJson)))) {
            generation++;
        }
        String deletion = om.deletionTimestamp() != null ? om.deletionTimestamp() : m.deletionTimestamp();
        ObjectMeta meta = new ObjectMeta(om.name(), om.namespace(), om.uid(), m.labels(), m.annotations(),
                om.resourceVersion(), generation, om.creationTimestamp(), deletion, m.ownerReferences(),
                om.generateName());
        T candidate = (T) object.withMetadata(meta);
        if (tree(Json.write(candidate)).equals(tree(oldJson))) {
            return old;
        }
        return (T) candidate.withMetadata(meta.withResourceVersion(nextResourceVersion()));
    }

    @Override
    public <T extends KubeObject> boolean delete(Kind<T> kind, String namespace, String name,
                                                 String expectedResourceVersion) {
        checkFence();
        String key = key(kind, namespace, name);
        IMap<String, String> map = map(kind);
        while (true) {
            String json = call(() -> map.get(key));
            if (json == null) {
                return false;
            }
            if (expectedResourceVersion != null
                    && !expectedResourceVersion.equals(read(kind, json).metadata().resourceVersion())) {
                throw new ConflictException(conflictMessage(kind, name));
            }
            if (call(() -> map.remove(key, json))) {
                return true;
            }
        }
    }

    /**
     * One Hazelcast transaction (two-phase) over the kinds' maps: each key is locked ({@code getForUpdate}) and
     * checked as the single-object methods check it; any failure rolls the whole batch back. Runs under the
     * {@link #gate() gate}, so the controllers of this process never reconcile across it.
     */
    @Override
    public List<KubeObject> commit(List<StoreWrite> writes) {
        if (writes.isEmpty()) {
            return List.of();
        }
        return gate.exclusive(() -> call(() -> commitTransaction(writes)));
    }

    @Override
    public ReconcileGate gate() {
        return gate;
    }

    private List<KubeObject> commitTransaction(List<StoreWrite> writes) {
        TransactionContext tx = hz.newTransactionContext(new TransactionOptions()
                .setTransactionType(TransactionOptions.TransactionType.TWO_PHASE).setTimeout(2, TimeUnit.MINUTES));
        tx.beginTransaction();
        boolean done = false;
        try {
            List<KubeObject> out = new ArrayList<>(writes.size());
            for (StoreWrite w : writes) {
                out.add(write(tx, w));
            }
            tx.commitTransaction();
            done = true;
            return out;
        } finally {
            if (!done) {
                try {
                    tx.rollbackTransaction();
                } catch (RuntimeException rollbackFailed) {
                    // the transaction times out and is rolled back by the member
                }
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private KubeObject write(TransactionContext tx, StoreWrite w) {
        Kind kind = w.kind();
        ObjectMeta m = requireMeta(kind, w.object());
        TransactionalMap<String, String> map = tx.getMap(mapName(kind));
        String key = key(kind, m.namespace(), m.name());
        String current = map.getForUpdate(key);
        switch (w.op()) {
            case CREATE -> {
                if (current != null) {
                    throw new AlreadyExistsException(kind.plural() + " \"" + m.name() + "\" already exists");
                }
                checkName(kind, m.name());
                ObjectMeta meta = new ObjectMeta(m.name(), namespaceOf(kind, m.namespace()),
                        UUID.randomUUID().toString(), m.labels(), m.annotations(), nextResourceVersion(), 1L,
                        Times.now(), null, m.ownerReferences(), m.generateName());
                KubeObject created = w.object().withMetadata(meta);
                map.set(key, Json.write(created));
                return created;
            }
            case UPDATE -> {
                KubeObject updated = updated(kind, w.object(), current);
                if (!updated.metadata().resourceVersion().equals(read(kind, current).metadata().resourceVersion())) {
                    map.set(key, Json.write(updated));
                }
                return updated;
            }
            case DELETE -> {
                if (current == null) {
                    throw notFound(kind, m.name());
                }
                KubeObject old = read(kind, current);
                if (m.resourceVersion() != null && !m.resourceVersion().equals(old.metadata().resourceVersion())) {
                    throw new ConflictException(conflictMessage(kind, m.name()));
                }
                map.delete(key);
                return old;
            }
            default -> throw new IllegalStateException(w.op().toString());
        }
    }

    @Override
    public <T extends KubeObject> Watch watch(Kind<T> kind, WatchListener<T> listener) {
        MapWatch<T> w = new MapWatch<>(kind, listener, watches::remove);
        w.open(map(kind));
        watches.add(w);
        return w;
    }

    @Override
    public String resourceVersion() {
        Long v = call(() -> meta().get(RV_KEY));
        return Long.toString(v == null ? 0 : v);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (MapWatch<?> w : List.copyOf(watches)) {
            w.close();
        }
        if (ownsMember) {
            hz.shutdown();
        }
    }

    private String nextResourceVersion() {
        return Long.toString(call(() -> meta().executeOnKey(RV_KEY, new IncrementProcessor())));
    }

    private IMap<String, Long> meta() {
        return hz.getMap(META_MAP);
    }

    private IMap<String, String> map(Kind<?> kind) {
        return maps.computeIfAbsent(kind, k -> hz.getMap(mapName(k)));
    }

    static <T extends KubeObject> T read(Kind<T> kind, String json) {
        return Json.read(json, kind.type());
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode withoutMetaAndStatus(JsonNode n) {
        ObjectNode o = ((ObjectNode) n).deepCopy();
        o.remove("metadata");
        o.remove("status");
        return o;
    }

    private static <T extends KubeObject> ObjectMeta requireMeta(Kind<T> kind, T object) {
        if (object.metadata() == null) {
            throw invalid(kind.plural() + ": metadata is required");
        }
        return object.metadata();
    }

    private static String namespaceOf(Kind<?> kind, String namespace) {
        if (!kind.namespaced()) {
            return null;
        }
        if (namespace == null || namespace.isBlank()) {
            throw invalid(kind.plural() + " are namespaced: metadata.namespace is required");
        }
        return namespace;
    }

    private static String key(Kind<?> kind, String namespace, String name) {
        if (name == null || name.isBlank()) {
            throw invalid(kind.plural() + ": a name is required");
        }
        return ObjectMeta.key(namespaceOf(kind, namespace), name);
    }

    private static void checkName(Kind<?> kind, String name) {
        if (name.length() > 253 || name.contains("/") || name.chars().anyMatch(Character::isWhitespace)) {
            throw invalid(kind.plural() + " \"" + name + "\": a name is at most 253 characters, without '/' "
                    + "or spaces");
        }
    }

    private static String randomSuffix() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            sb.append(NAME_ALPHABET.charAt(r.nextInt(NAME_ALPHABET.length())));
        }
        return sb.toString();
    }

    private static String conflictMessage(Kind<?> kind, String name) {
        return "Operation cannot be fulfilled on " + kind.plural() + " \"" + name + "\": the object has been "
                + "modified; please apply your changes to the latest version and try again";
    }

    private static NotFoundException notFound(Kind<?> kind, String name) {
        return new NotFoundException(kind.plural() + " \"" + name + "\" not found");
    }

    private static StoreException invalid(String message) {
        return new StoreException(422, "Invalid", message);
    }

    private static <R> R call(Supplier<R> op) {
        try {
            return op.get();
        } catch (HazelcastException | IllegalStateException e) {
            throw new StoreException(503, "ServiceUnavailable", "state store unavailable: " + e.getMessage());
        }
    }
}
