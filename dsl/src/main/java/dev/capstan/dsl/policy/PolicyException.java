package dev.capstan.dsl.policy;

import dev.capstan.dsl.ast.Location;
import dev.capstan.model.LabelSelector;
import java.util.List;
import java.util.Map;

/**
 * {@code exception NAME { policy P  objects ["ns/name"]  match { ... }  reason "..." }}. An object is exempt
 * from the named policies when it is one of {@code objects} ({@code ns/name} or {@code ns/*}; a pod is named
 * by its {@code app} label too) or when {@code match} (non-null) matches its labels.
 */
public record PolicyException(String name, Location location, List<String> policies, List<String> objects,
                              LabelSelector match, String reason) {
    public PolicyException {
        policies = List.copyOf(policies);
        objects = List.copyOf(objects);
    }

    /** True when this exception exempts the object named {@code namespace/name} with these labels. */
    public boolean covers(String namespace, String name, Map<String, String> labels) {
        String app = labels == null ? null : labels.get("app");
        for (String o : objects) {
            int slash = o.indexOf('/');
            String ns = slash < 0 ? "" : o.substring(0, slash);
            String n = slash < 0 ? o : o.substring(slash + 1);
            boolean nsOk = ns.equals("*") || ns.equals(namespace == null ? "" : namespace);
            if (nsOk && (n.equals("*") || n.equals(name) || n.equals(app))) {
                return true;
            }
        }
        return match != null && !match.isEmpty() && match.matches(labels == null ? Map.of() : labels);
    }
}
