package dev.capstan.gitsync.plan;

import java.util.ArrayList;
import java.util.List;

/** The phrases every renderer shares, so text and Markdown say the same thing. */
final class PlanSummary {
    private PlanSummary() {
    }

    /** {@code 2 added, 1 changed, 1 removed, 3 unchanged; pods: 2 created, 3 replaced} or {@code no changes (3 unchanged)}. */
    static String changes(Plan plan) {
        if (plan.changes().isEmpty()) {
            return "no changes (" + plan.unchanged() + " unchanged)";
        }
        return plan.count(ObjectChange.Action.ADDED) + " added, " + plan.count(ObjectChange.Action.CHANGED)
                + " changed, " + plan.count(ObjectChange.Action.REMOVED) + " removed, " + plan.unchanged()
                + " unchanged; pods: " + plan.pods();
    }

    /** {@code 1 deny (enforce), 2 warnings} or {@code no findings}. */
    static String verdicts(Plan plan) {
        long deny = plan.verdicts().stream().filter(PlanVerdict::blocks).count();
        long other = plan.verdicts().size() - deny;
        List<String> parts = new ArrayList<>();
        if (deny > 0) {
            parts.add(deny + " denied (enforce)");
        }
        if (other > 0) {
            parts.add(plural((int) other, "finding") + " (warn/audit)");
        }
        return parts.isEmpty() ? "all pass" : String.join(", ", parts);
    }

    /** {@code 9 new pods, 7 scheduled, 2 do not fit}. */
    static String placement(PlacementReport p) {
        String s = plural(p.newPods(), "new pod") + ", " + p.scheduled() + " scheduled";
        return p.unschedulable() == 0 ? s + ", all fit"
                : s + ", " + p.unschedulable() + (p.unschedulable() == 1 ? " does not fit" : " do not fit");
    }

    static String errors(Plan plan) {
        return plural((int) plan.diagnostics().stream().filter(d -> d.isError()).count(), "error");
    }

    static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
