package dev.capstan.gitsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.engine.controller.builtin.NodePortClaims;
import dev.capstan.model.Json;
import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Service;
import java.util.List;

/**
 * What of an object Git owns, and how Git's version goes over the live one: the comparisons and the merge that
 * {@link RevisionApplier} applies (and drift correction restores) with.
 */
final class GitOwned {
    private GitOwned() {
    }

    /** {@link #view}, less what differs between sources: the source label and the file:line annotation. */
    static JsonNode viewWithoutSource(KubeObject o) {
        JsonNode n = view(o);
        JsonNode labels = n.path("metadata").path("labels");
        if (labels instanceof ObjectNode l) {
            l.remove(RevisionApplier.SOURCE_LABEL);
        }
        if (n.path("metadata").path("annotations") instanceof ObjectNode a) {
            a.remove(ObjectMeta.SOURCE); // the file and line differ from source to source
        }
        return n;
    }

    /** The parts of an object that Git owns: labels, annotations but the commit, and everything but status. */
    static JsonNode view(KubeObject o) {
        ObjectNode n = Json.MAPPER.valueToTree(o);
        n.remove("status");
        ObjectNode meta = (ObjectNode) n.get("metadata");
        ObjectNode kept = Json.MAPPER.createObjectNode();
        kept.set("labels", meta.get("labels"));
        JsonNode ann = meta.get("annotations");
        if (ann instanceof ObjectNode a) {
            ObjectNode copy = a.deepCopy();
            copy.remove(ObjectMeta.COMMIT);
            kept.set("annotations", copy);
        }
        n.set("metadata", kept);
        JsonNode spec = n.get("spec");
        if (spec instanceof ObjectNode s) {
            s.remove("clusterIP"); // allocated by the control plane, never by Git
        }
        return n;
    }

    /**
     * A desired Service with the node ports the control plane allocated to the live one on the ports Git leaves
     * without a number ({@code node-port auto}), so that a re-apply keeps them; any other object as it is.
     */
    static KubeObject keepAllocated(KubeObject desired, KubeObject live) {
        return desired instanceof Service d && live instanceof Service l ? NodePortClaims.keepAllocated(d, l) : desired;
    }

    /** Desired object with the live object's server-set metadata, status and cluster IP. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static KubeObject overLive(KubeObject desired, KubeObject live) {
        return overLive(desired, live, (Kind) Kinds.of(desired));
    }

    static <T extends KubeObject> T overLive(T desired, T live, Kind<T> kind) {
        ObjectNode n = Json.MAPPER.valueToTree(desired);
        ObjectNode liveNode = Json.MAPPER.valueToTree(live);
        ObjectNode meta = (ObjectNode) n.get("metadata");
        ObjectNode liveMeta = (ObjectNode) liveNode.get("metadata");
        for (String f : List.of("uid", "resourceVersion", "generation", "creationTimestamp")) {
            if (liveMeta.has(f)) {
                meta.set(f, liveMeta.get(f));
            }
        }
        if (liveNode.has("status")) {
            n.set("status", liveNode.get("status"));
        }
        JsonNode liveSpec = liveNode.get("spec");
        if (liveSpec != null && liveSpec.has("clusterIP") && n.get("spec") instanceof ObjectNode s) {
            s.set("clusterIP", liveSpec.get("clusterIP"));
        }
        return Json.MAPPER.convertValue(n, kind.type());
    }
}
