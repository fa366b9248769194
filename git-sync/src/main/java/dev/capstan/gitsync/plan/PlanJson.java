package dev.capstan.gitsync.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.gitsync.Commit;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan for programs: one JSON object, keys always present and in a fixed order (docs/plan.md describes
 * each). Values that do not apply are {@code null}, never left out. Field values are JSON as the model has
 * them (numbers stay numbers).
 */
public final class PlanJson {
    /** Not the model's mapper: that one sorts map keys, and the plan's keys keep their documented order. */
    private static final ObjectMapper JSON = new ObjectMapper();
    private PlanJson() {
    }

    public static String render(Plan plan) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree(plan)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the plan as JSON", e);
        }
    }

    static Map<String, Object> tree(Plan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", Plan.FORMAT_VERSION);
        m.put("outcome", plan.outcome());
        m.put("exitCode", plan.exitCode());
        m.put("base", commit(plan.base()));
        m.put("head", commit(plan.head()));
        m.put("path", plan.path());
        m.put("valid", plan.valid());
        m.put("baseValid", plan.baseErrors() == 0);
        List<Map<String, Object>> diagnostics = new ArrayList<>();
        for (Diagnostic d : plan.diagnostics()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("severity", d.severity().label());
            x.put("code", d.code());
            x.put("path", d.path());
            x.put("line", d.line());
            x.put("column", d.column());
            x.put("message", d.message());
            x.put("hint", d.hint());
            diagnostics.add(x);
        }
        m.put("diagnostics", diagnostics);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("added", plan.count(ObjectChange.Action.ADDED));
        summary.put("changed", plan.count(ObjectChange.Action.CHANGED));
        summary.put("removed", plan.count(ObjectChange.Action.REMOVED));
        summary.put("unchanged", plan.unchanged());
        summary.put("podsCreated", plan.pods().created());
        summary.put("podsReplaced", plan.pods().replaced());
        summary.put("podsRemoved", plan.pods().removed());
        m.put("summary", summary);
        List<Map<String, Object>> changes = new ArrayList<>();
        for (ObjectChange c : plan.changes()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("action", c.action().word());
            x.put("kind", c.kind());
            x.put("namespace", c.namespace());
            x.put("name", c.name());
            x.put("source", c.source());
            List<Map<String, Object>> fields = new ArrayList<>();
            for (FieldChange f : c.fields()) {
                Map<String, Object> y = new LinkedHashMap<>();
                y.put("path", f.path());
                y.put("before", f.before());
                y.put("after", f.after());
                fields.add(y);
            }
            x.put("fields", fields);
            x.put("pods", pods(c.pods()));
            changes.add(x);
        }
        m.put("changes", changes);
        Map<String, Object> policies = new LinkedHashMap<>();
        policies.put("configured", plan.verdicts() != null);
        policies.put("denied", plan.denied());
        List<Map<String, Object>> verdicts = new ArrayList<>();
        for (PlanVerdict v : plan.verdicts() == null ? List.<PlanVerdict>of() : plan.verdicts()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("policy", v.policy());
            x.put("mode", v.mode());
            x.put("effect", v.effectWord());
            x.put("blocks", v.blocks());
            x.put("object", v.object());
            x.put("message", v.message());
            x.put("objectLocation", v.objectLocation());
            x.put("policyLocation", v.policyLocation());
            verdicts.add(x);
        }
        policies.put("verdicts", verdicts);
        m.put("policies", policies);
        PlacementReport p = plan.placement();
        if (p == null) {
            m.put("placement", null);
        } else {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("source", p.source());
            x.put("nodes", p.nodes());
            x.put("newPods", p.newPods());
            x.put("scheduled", p.scheduled());
            x.put("unschedulable", p.unschedulable());
            List<Map<String, Object>> unfit = new ArrayList<>();
            for (PlacementReport.Unfit u : p.unfit()) {
                Map<String, Object> y = new LinkedHashMap<>();
                y.put("deployment", u.deployment());
                y.put("pods", u.pods());
                y.put("reason", u.reason());
                y.put("source", u.source());
                unfit.add(y);
            }
            x.put("unfit", unfit);
            x.put("baseUnfit", p.baseUnfit());
            m.put("placement", x);
        }
        return m;
    }

    private static Map<String, Object> commit(Commit c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("commit", c.sha());
        m.put("subject", c.subject());
        m.put("author", c.author());
        return m;
    }

    private static Map<String, Object> pods(PodImpact p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("created", p.created());
        m.put("replaced", p.replaced());
        m.put("removed", p.removed());
        return m;
    }
}
