package dev.capstan.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.engine.controller.builtin.NodePortClaims;
import dev.capstan.engine.controller.builtin.NodePortRange;
import dev.capstan.engine.controller.builtin.PodDeletion;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.StateStore;
import dev.capstan.model.Json;
import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import dev.capstan.model.Pod;
import dev.capstan.model.Service;
import dev.capstan.model.KubeObject;
import dev.capstan.model.ObjectMeta;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The resource verbs over the store, with Kubernetes' semantics: list and get (as JSON or as a table),
 * create (201, generateName, namespace from the URL), update (compare-and-set on resourceVersion; the
 * status of pods and nodes is kept, it is written through {@code /status}), status update and delete.
 */
final class ObjectApi {

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StateStore store;
    private final Clock clock;
    private final PodAdmission podAdmission;
    private final NodePortRange nodePortRange;
    private final List<String> warnings = new ArrayList<>();

    ObjectApi(StateStore store, Clock clock, PodAdmission podAdmission, NodePortRange nodePortRange) {
        this.store = store;
        this.clock = clock;
        this.podAdmission = podAdmission;
        this.nodePortRange = nodePortRange;
    }

    /** The admission warnings of this request's write, for {@code Warning} headers. */
    List<String> warnings() {
        return warnings;
    }

    /** Pods and nodes have a status subresource: a plain PUT keeps the stored status. */
    static boolean hasStatusSubresource(Kind<?> kind) {
        return kind == Kinds.POD || kind == Kinds.NODE;
    }

    /** Lists and filters; {@code tableVersion} null means a {@code KindList}. */
    JsonNode list(ApiPath p, String labelSelector, String fieldSelector, String tableVersion, Tables.Include include) {
        Predicate<java.util.Map<String, String>> labels = Selectors.labels(labelSelector);
        Predicate<JsonNode> fields = Selectors.fields(p.kind(), fieldSelector);
        boolean byField = fieldSelector != null && !fieldSelector.isBlank();
        String rv = store.resourceVersion();
        List<KubeObject> items = new ArrayList<>();
        for (KubeObject o : store.list(p.kind(), p.namespace())) {
            if (labels.test(o.metadata().labels()) && (!byField || fields.test(Json.MAPPER.valueToTree(o)))) {
                items.add(o);
            }
        }
        items.sort(Comparator.comparing(KubeObject::key));
        if (tableVersion != null) {
            return Tables.table(tableVersion, p.kind(), items, rv, include, clock.instant());
        }
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("kind", p.kind().kind() + "List");
        list.put("apiVersion", p.kind().apiVersion());
        list.putObject("metadata").put("resourceVersion", rv);
        ArrayNode arr = list.putArray("items");
        items.forEach(o -> arr.add(Json.MAPPER.<JsonNode>valueToTree(o)));
        return list;
    }

    JsonNode get(ApiPath p, String tableVersion, Tables.Include include) {
        KubeObject o = current(p);
        if (tableVersion != null) {
            return Tables.table(tableVersion, p.kind(), List.of(o), o.metadata().resourceVersion(), include,
                    clock.instant());
        }
        return Json.MAPPER.valueToTree(o);
    }

    KubeObject create(ApiPath p, byte[] body) {
        Bodies.Decoded d = Bodies.decode(p.kind(), body);
        ObjectMeta m = d.object().metadata();
        if (m == null) {
            m = ObjectMeta.of(null, null);
        }
        m = withNamespace(p, m);
        if (m.name() == null || m.name().isEmpty()) {
            if (m.generateName() == null || m.generateName().isEmpty()) {
                throw ApiErrors.invalid(p.kind().kind() + " \"\" is invalid: metadata.name: Required value: "
                        + "name or generateName is required");
            }
            m = m.withName(m.generateName() + randomSuffix());
        }
        validateName(p.kind(), m.name());
        KubeObject o = d.object().withMetadata(m.withResourceVersion(null).withDeletionTimestamp(null));
        if (o instanceof Pod) {
            admit(d.tree(), m);
        }
        if (o instanceof Service svc) {
            checkNodePorts(svc);
        }
        return store.create(o);
    }

    KubeObject update(ApiPath p, byte[] body) {
        Bodies.Decoded d = Bodies.decode(p.kind(), body);
        ObjectMeta m = d.object().metadata() == null ? ObjectMeta.of(null, null) : d.object().metadata();
        m = withNamespace(p, m);
        if (m.name() == null || m.name().isEmpty()) {
            m = m.withName(p.name());
        } else if (!m.name().equals(p.name())) {
            throw ApiErrors.badRequest("the name of the object (" + m.name()
                    + ") does not match the name on the URL (" + p.name() + ")");
        }
        KubeObject stored = current(p);
        String rv = m.resourceVersion() == null || m.resourceVersion().isEmpty()
                ? stored.metadata().resourceVersion() : m.resourceVersion();
        KubeObject next = d.object().withMetadata(m.withResourceVersion(rv));
        if (hasStatusSubresource(p.kind())) {
            next = withStatusOf(next, stored, rv);
        }
        if (next instanceof Pod && changesSpecOrLabels(stored, next)) {
            admit(d.tree(), m);
        }
        if (next instanceof Service svc) {
            next = NodePortClaims.keepAllocated(svc, (Service) stored); // a PUT without the numbers keeps them
            checkNodePorts((Service) next);
        }
        return cas(p, next);
    }

    /** PUT {@code .../status}: only the status is taken from the body, everything else stays as stored. */
    KubeObject updateStatus(ApiPath p, byte[] body) {
        Bodies.Decoded d = Bodies.decode(p.kind(), body);
        ObjectMeta m = d.object().metadata();
        if (m != null && m.name() != null && !m.name().isEmpty() && !m.name().equals(p.name())) {
            throw ApiErrors.badRequest("the name of the object (" + m.name()
                    + ") does not match the name on the URL (" + p.name() + ")");
        }
        KubeObject stored = current(p);
        String rv = m == null || m.resourceVersion() == null || m.resourceVersion().isEmpty()
                ? stored.metadata().resourceVersion() : m.resourceVersion();
        return cas(p, withStatusOf(stored, d.object(), rv));
    }

    /**
     * Deletes (conditionally when the DeleteOptions carry a resourceVersion precondition); the last state.
     * A pod running on a node is deleted gracefully, as in Kubernetes: it is marked with a
     * deletionTimestamp and its agent stops it and then deletes it (a second delete, or
     * {@code gracePeriodSeconds: 0}, removes it at once).
     */
    KubeObject delete(ApiPath p, byte[] body) {
        String expected = Bodies.preconditionResourceVersion(body);
        KubeObject stored = current(p);
        if (stored instanceof Pod pod && pod.nodeName() != null && !PodDeletion.isTerminating(pod)
                && !Long.valueOf(0).equals(Bodies.gracePeriodSeconds(body))) {
            if (expected != null && !expected.equals(pod.metadata().resourceVersion())) {
                throw conflict(p);
            }
            try {
                PodDeletion.deleteGracefully(store, pod, clock);
            } catch (ConflictException e) {
                throw conflict(p);
            }
            return current(p);
        }
        try {
            if (!store.delete(p.kind(), p.namespace(), p.name(), expected)) {
                throw ApiErrors.notFound(p.kind(), p.name());
            }
        } catch (ConflictException e) {
            throw conflict(p);
        }
        return stored;
    }

    /**
     * Runs pod admission on a pod as written (its raw JSON, so fields the model drops are seen, with the
     * namespace and name the server settled on); 403 when a policy denies it, its warnings kept for the reply.
     */
    private void admit(JsonNode raw, ObjectMeta m) {
        ObjectNode pod = raw.deepCopy();
        JsonNode meta = pod.get("metadata");
        ObjectNode metadata = meta instanceof ObjectNode o ? o : pod.putObject("metadata");
        metadata.put("name", m.name());
        metadata.put("namespace", m.namespace());
        java.util.Map<String, String> nsLabels = store.get(Kinds.NAMESPACE, null, m.namespace())
                .map(n -> n.metadata().labels()).orElse(null);
        PodAdmission.Decision decision = podAdmission.review(
                Json.MAPPER.convertValue(pod, new com.fasterxml.jackson.core.type.TypeReference<
                        java.util.Map<String, Object>>() { }),
                nsLabels == null ? java.util.Map.of() : nsLabels);
        if (!decision.allowed()) {
            throw ApiErrors.forbidden("pods \"" + m.name() + "\" is forbidden: denied by admission policy: "
                    + String.join("; ", decision.denials()));
        }
        warnings.addAll(decision.warnings());
    }

    /**
     * 422 Invalid, with Kubernetes' words, when a node port the Service sets is outside the range, set twice, or
     * held by another Service ({@code provided port is already allocated}).
     */
    private void checkNodePorts(Service svc) {
        if (NodePortClaims.held(svc).isEmpty()) {
            return;
        }
        List<NodePortClaims.Problem> problems = NodePortClaims.check(svc, store.list(Kinds.SERVICE, null),
                nodePortRange);
        if (!problems.isEmpty()) {
            throw ApiErrors.invalid("Service \"" + svc.metadata().name() + "\" is invalid: " + String.join(", ",
                    problems.stream().map(NodePortClaims.Problem::message).toList()));
        }
    }

    /** An update that changes what runs, or the labels policies match and exempt by, is admitted again. */
    private static boolean changesSpecOrLabels(KubeObject stored, KubeObject next) {
        JsonNode a = Json.MAPPER.valueToTree(stored);
        JsonNode b = Json.MAPPER.valueToTree(next);
        return !a.path("spec").equals(b.path("spec"))
                || !a.path("metadata").path("labels").equals(b.path("metadata").path("labels"));
    }

    KubeObject current(ApiPath p) {
        return store.get(p.kind(), p.namespace(), p.name())
                .orElseThrow(() -> ApiErrors.notFound(p.kind(), p.name()));
    }

    private KubeObject cas(ApiPath p, KubeObject next) {
        try {
            return store.update(next);
        } catch (ConflictException e) {
            throw conflict(p);
        }
    }

    private static ConflictException conflict(ApiPath p) {
        return new ConflictException("Operation cannot be fulfilled on " + ApiErrors.resource(p.kind()) + " \""
                + p.name() + "\": the object has been modified; please apply your changes to the latest "
                + "version and try again");
    }

    /** {@code base} with the status of {@code statusFrom} and the given resourceVersion. */
    private static KubeObject withStatusOf(KubeObject base, KubeObject statusFrom, String rv) {
        ObjectNode tree = Json.MAPPER.valueToTree(base.withMetadata(base.metadata().withResourceVersion(rv)));
        JsonNode status = Json.MAPPER.<ObjectNode>valueToTree(statusFrom).get("status");
        if (status == null) {
            tree.remove("status");
        } else {
            tree.set("status", status);
        }
        try {
            return Json.MAPPER.treeToValue(tree, base.getClass());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot rebuild " + base.kind() + " with a new status", e);
        }
    }

    private static ObjectMeta withNamespace(ApiPath p, ObjectMeta m) {
        if (!p.kind().namespaced()) {
            return new ObjectMeta(m.name(), null, m.uid(), m.labels(), m.annotations(), m.resourceVersion(),
                    m.generation(), m.creationTimestamp(), m.deletionTimestamp(), m.ownerReferences(),
                    m.generateName());
        }
        if (m.namespace() == null || m.namespace().isEmpty()) {
            return new ObjectMeta(m.name(), p.namespace(), m.uid(), m.labels(), m.annotations(),
                    m.resourceVersion(), m.generation(), m.creationTimestamp(), m.deletionTimestamp(),
                    m.ownerReferences(), m.generateName());
        }
        if (!m.namespace().equals(p.namespace())) {
            throw ApiErrors.badRequest("the namespace of the provided object (" + m.namespace()
                    + ") does not match the namespace sent on the request (" + p.namespace() + ")");
        }
        return m;
    }

    static void validateName(Kind<?> kind, String name) {
        if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            throw ApiErrors.invalid(kind.kind() + " \"" + name + "\" is invalid: metadata.name: Invalid value: \""
                    + name + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                    + "characters, '-' or '.', and must start and end with an alphanumeric character");
        }
    }

    private static String randomSuffix() {
        StringBuilder sb = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            sb.append(NAME_CHARS.charAt(RANDOM.nextInt(NAME_CHARS.length())));
        }
        return sb.toString();
    }
}
