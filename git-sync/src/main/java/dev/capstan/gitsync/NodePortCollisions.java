package dev.capstan.gitsync;

import dev.capstan.engine.controller.builtin.NodePortClaims;
import dev.capstan.engine.store.StateStore;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Node port numbers a revision writes that another Service of the cluster holds (allocated to it, or written by
 * another source or through the API): as Kubernetes refuses such a Service, the commit is rejected, with an error
 * naming both Services. Two Services of one revision that write the same number never get here: the compiler
 * refuses them (E063).
 */
final class NodePortCollisions {
    private static final String SERVICE = Kinds.SERVICE.kind() + " ";

    private NodePortCollisions() {
    }

    /**
     * One {@code error[E065]} line per taken number, or none.
     *
     * @param next    the revision's objects by id ({@code Kind namespace/name})
     * @param created ids the revision creates
     * @param updated ids the revision changes
     * @param deleted ids the revision prunes (their numbers are free after it)
     */
    static List<String> find(StateStore store, String source, Map<String, KubeObject> next, List<String> created,
                             List<String> updated, List<String> deleted) {
        List<Service> asking = new ArrayList<>();
        for (List<String> ids : List.of(created, updated)) {
            for (String id : ids) {
                if (next.get(id) instanceof Service s && !NodePortClaims.held(s).isEmpty()) {
                    asking.add(s);
                }
            }
        }
        if (asking.isEmpty()) {
            return List.of();
        }
        Map<String, Service> after = new LinkedHashMap<>();
        for (Service live : store.list(Kinds.SERVICE, null)) {
            after.put(live.key(), live);
        }
        for (String id : deleted) {
            if (id.startsWith(SERVICE)) {
                after.remove(id.substring(SERVICE.length()));
            }
        }
        for (KubeObject o : next.values()) {
            if (o instanceof Service s) {
                after.put(s.key(), NodePortClaims.keepAllocated(s, after.get(s.key())));
            }
        }
        List<String> out = new ArrayList<>();
        for (Service s : asking) {
            for (NodePortClaims.Problem p : NodePortClaims.check(s, after.values(), null)) {
                if (p.holder() != null) {
                    out.add("error[E065] " + source + ":" + where(s) + ": node port " + p.nodePort() + " of service "
                            + s.key() + " is already allocated to service " + p.holder() + holder(after.get(p.holder()),
                            source) + "; give one of them another node port, or write node-port auto");
                }
            }
        }
        return out;
    }

    private static String where(Service s) {
        String at = s.metadata().annotation(ObjectMeta.SOURCE);
        return at == null ? "?" : at;
    }

    /** Where the holder comes from: {@code (source:file:line)}, or nothing for one made outside Git. */
    private static String holder(Service h, String source) {
        String at = h == null ? null : h.metadata().annotation(ObjectMeta.SOURCE);
        if (at == null) {
            return "";
        }
        String from = h.metadata().label(RevisionApplier.SOURCE_LABEL);
        return " (" + (from == null ? source : from) + ":" + at + ")";
    }
}
