package dev.capstan.gitsync.plan;

import dev.capstan.dsl.DiagnosticRenderer;
import dev.capstan.gitsync.Commit;

/**
 * The plan as a ready pull-request comment (GitHub, GitLab and Gitea flavoured Markdown): a hidden marker so a
 * CI step can find and update its earlier comment, a summary line, a table of changes, the field changes of
 * each changed object, policy verdicts and the placement simulation.
 */
public final class PlanMarkdown {
    /** First line of every comment, invisible when rendered. */
    public static final String MARKER = "<!-- capstan-plan -->";
    /** Rows of the changes table at most; Git hosts cap a comment's size (GitHub: 65,536 characters). */
    static final int MAX_ROWS = 200;
    /** Changed objects whose fields are shown at most. */
    static final int MAX_DETAILS = 40;

    private PlanMarkdown() {
    }

    public static String render(Plan plan) {
        StringBuilder out = new StringBuilder(MARKER).append('\n');
        out.append("### Capstan plan: ").append(commit(plan.base())).append(" → ").append(commit(plan.head()))
                .append(plan.path().isEmpty() ? "" : " in " + code(plan.path() + "/")).append("\n\n");
        if (!plan.valid()) {
            out.append("**Invalid**: head does not compile (").append(PlanSummary.errors(plan))
                    .append("). Exit code 2.\n\n```text\n")
                    .append(DiagnosticRenderer.render(plan.diagnostics(), plan.headFiles()).stripTrailing())
                    .append("\n```\n");
            return out.toString();
        }
        String verdict = plan.denied() ? "**Denied by policy**" : plan.changes().isEmpty() ? "**No changes**"
                : "**Changes**";
        out.append(verdict).append(": ").append(PlanSummary.changes(plan)).append(". Exit code ")
                .append(plan.exitCode()).append(".\n");
        if (!plan.diagnostics().isEmpty()) {
            out.append("\n<details><summary>").append(PlanSummary.plural(plan.diagnostics().size(), "warning"))
                    .append("</summary>\n\n```text\n")
                    .append(DiagnosticRenderer.render(plan.diagnostics(), plan.headFiles()).stripTrailing())
                    .append("\n```\n\n</details>\n");
        }
        if (plan.baseErrors() > 0) {
            out.append("\n> Base does not compile (").append(PlanSummary.plural(plan.baseErrors(), "error"))
                    .append("); head is compared with nothing.\n");
        }
        if (!plan.changes().isEmpty()) {
            out.append("\n| | Kind | Object | Source | Pods |\n|---|---|---|---|---|\n");
            for (ObjectChange c : plan.changes().subList(0, Math.min(MAX_ROWS, plan.changes().size()))) {
                out.append("| ").append(c.action().word()).append(" | ").append(c.kind()).append(" | ")
                        .append(code(c.key())).append(" | ").append(c.source() == null ? "" : code(c.source()))
                        .append(" | ").append(c.pods().isNone() ? "" : c.pods().toString()).append(" |\n");
            }
            if (plan.changes().size() > MAX_ROWS) {
                out.append("\n… and ").append(plan.changes().size() - MAX_ROWS)
                        .append(" more objects: run `capstan plan` for all of them.\n");
            }
            int details = 0;
            for (ObjectChange c : plan.changes()) {
                if (c.fields().isEmpty()) {
                    continue;
                }
                if (details++ == MAX_DETAILS) {
                    out.append("\nField changes of ").append(plan.count(ObjectChange.Action.CHANGED) - MAX_DETAILS)
                            .append(" more objects are left out: run `capstan plan` for all of them.\n");
                    break;
                }
                out.append("\n<details open><summary>").append(c.kind()).append(" <code>").append(html(c.key()))
                        .append("</code>: ").append(PlanSummary.plural(c.fields().size(), "field")).append(" changed")
                        .append("</summary>\n\n| Field | Before | After |\n|---|---|---|\n");
                for (FieldChange f : c.fields()) {
                    out.append("| ").append(code(f.path())).append(" | ").append(value(f.before())).append(" | ")
                            .append(value(f.after())).append(" |\n");
                }
                out.append("\n</details>\n");
            }
        }
        out.append("\n#### Policies\n\n");
        if (plan.verdicts() == null) {
            out.append("None configured.\n");
        } else if (plan.verdicts().isEmpty()) {
            out.append("All pass.\n");
        } else {
            out.append(PlanSummary.verdicts(plan)).append(".\n\n| Effect | Mode | Policy | Object | Message | Object at "
                    + "| Policy at |\n|---|---|---|---|---|---|---|\n");
            for (PlanVerdict v : plan.verdicts()) {
                out.append("| ").append(v.blocks() ? "**deny**" : v.effectWord()).append(" | ").append(v.mode())
                        .append(" | ").append(code(v.policy())).append(" | ").append(code(v.object())).append(" | ")
                        .append(cell(v.message())).append(" | ").append(code(v.objectLocation())).append(" | ")
                        .append(code(v.policyLocation())).append(" |\n");
            }
        }
        out.append("\n#### Placement\n\n");
        PlacementReport p = plan.placement();
        if (p == null) {
            out.append("Not simulated (run with `--cluster` or `--nodes FILE`).\n");
        } else {
            out.append("On ").append(code(p.source())).append(" (").append(PlanSummary.plural(p.nodes(), "node"))
                    .append("): ").append(PlanSummary.placement(p)).append(".\n");
            if (!p.unfit().isEmpty()) {
                out.append("\n| Deployment | Pods | Why | Source |\n|---|---|---|---|\n");
                for (PlacementReport.Unfit u : p.unfit()) {
                    out.append("| ").append(code(u.deployment())).append(" | ").append(u.pods()).append(" | ")
                            .append(cell(u.reason())).append(" | ").append(u.source() == null ? "" : code(u.source()))
                            .append(" |\n");
                }
            }
            if (p.baseUnfit() > 0) {
                out.append("\n> ").append(PlanSummary.plural(p.baseUnfit(), "pod"))
                        .append(" of the base revision already fit nowhere on these nodes.\n");
            }
        }
        return out.toString();
    }

    private static String commit(Commit c) {
        String s = c.subject();
        return code(c.shortSha()) + (s.isEmpty() ? "" : " (" + cell(s) + ")");
    }

    private static String value(com.fasterxml.jackson.databind.JsonNode v) {
        return v == null || v.isNull() ? "*(none)*" : code(FieldChange.show(v));
    }

    /** A code span safe inside a table cell. */
    static String code(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replace("|", "\\|").replace("\n", " ");
        return t.contains("`") ? "`` " + t + " ``" : "`" + t + "`";
    }

    /** Plain text safe inside a table cell. */
    static String cell(String s) {
        return s == null ? "" : html(s).replace("|", "\\|").replace("\n", " ");
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
