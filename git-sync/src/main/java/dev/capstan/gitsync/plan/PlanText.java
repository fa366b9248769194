package dev.capstan.gitsync.plan;

import dev.capstan.dsl.DiagnosticRenderer;
import dev.capstan.gitsync.Commit;
import java.util.List;

/** The plan for a terminal: a summary line, aligned changes with their fields, verdicts, placement, result. */
public final class PlanText {
    private PlanText() {
    }

    public static String render(Plan plan) {
        StringBuilder out = new StringBuilder();
        out.append("plan: ").append(commit(plan.base())).append(" → ").append(commit(plan.head()))
                .append(plan.path().isEmpty() ? "" : " in " + plan.path() + "/").append('\n');
        if (!plan.valid()) {
            out.append('\n').append(DiagnosticRenderer.render(plan.diagnostics(), plan.headFiles()).stripTrailing())
                    .append("\n\nhead does not compile: ").append(PlanSummary.errors(plan)).append('\n');
            out.append("\nresult: invalid (exit 2)\n");
            return out.toString();
        }
        if (plan.baseErrors() > 0) {
            out.append("note: base does not compile (").append(PlanSummary.plural(plan.baseErrors(), "error"))
                    .append("); compared with nothing\n");
        }
        out.append(PlanSummary.changes(plan)).append('\n');
        if (!plan.diagnostics().isEmpty()) {
            out.append('\n').append(DiagnosticRenderer.render(plan.diagnostics(), plan.headFiles()).stripTrailing())
                    .append('\n');
        }
        if (!plan.changes().isEmpty()) {
            out.append('\n');
            Columns objects = new Columns("");
            for (ObjectChange c : plan.changes()) {
                objects.row(c.action().sign(), c.kind(), c.key(), c.source() == null ? "" : c.source(),
                        c.pods().isNone() ? "" : "pods: " + c.pods());
            }
            List<String> lines = objects.lines();
            for (int i = 0; i < plan.changes().size(); i++) {
                out.append(lines.get(i)).append('\n');
                ObjectChange c = plan.changes().get(i);
                if (!c.fields().isEmpty()) {
                    Columns fields = new Columns("      ");
                    for (FieldChange f : c.fields()) {
                        fields.row(f.path(), FieldChange.show(f.before()), "→", FieldChange.show(f.after()));
                    }
                    fields.appendTo(out);
                }
            }
        }
        out.append('\n');
        verdicts(plan, out);
        out.append('\n');
        placement(plan, out);
        out.append("\nresult: ").append(plan.outcome().replace('-', ' ')).append(" (exit ").append(plan.exitCode())
                .append(")\n");
        return out.toString();
    }

    private static void verdicts(Plan plan, StringBuilder out) {
        if (plan.verdicts() == null) {
            out.append("policies: none configured\n");
            return;
        }
        out.append("policies: ").append(PlanSummary.verdicts(plan)).append('\n');
        Columns rows = new Columns("  ");
        for (PlanVerdict v : plan.verdicts()) {
            rows.row(v.effectWord().toUpperCase(java.util.Locale.ROOT), v.mode(), v.policy(), v.object(),
                    v.objectLocation() == null ? "?" : v.objectLocation(),
                    "(policy " + (v.policyLocation() == null ? "?" : v.policyLocation()) + ")");
        }
        List<String> lines = rows.lines();
        for (int i = 0; i < lines.size(); i++) {
            out.append(lines.get(i)).append("\n        ").append(plan.verdicts().get(i).message()).append('\n');
        }
    }

    private static void placement(Plan plan, StringBuilder out) {
        PlacementReport p = plan.placement();
        if (p == null) {
            out.append("placement: not simulated (give --cluster or --nodes FILE)\n");
            return;
        }
        out.append("placement on ").append(p.source()).append(" (").append(PlanSummary.plural(p.nodes(), "node"))
                .append("): ").append(PlanSummary.placement(p)).append('\n');
        if (!p.unfit().isEmpty()) {
            Columns rows = new Columns("  ");
            for (PlacementReport.Unfit u : p.unfit()) {
                rows.row(u.deployment(), PlanSummary.plural(u.pods(), "pod"), u.reason(),
                        u.source() == null ? "" : "(" + u.source() + ")");
            }
            rows.appendTo(out);
        }
        if (p.baseUnfit() > 0) {
            out.append("  note: ").append(PlanSummary.plural(p.baseUnfit(), "pod"))
                    .append(" of the base revision already fit nowhere on these nodes\n");
        }
    }

    static String commit(Commit c) {
        String s = c.subject();
        return c.shortSha() + (s.isEmpty() ? "" : " (" + s + ")");
    }
}
