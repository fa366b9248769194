package dev.capstan.gitsync.plan;

import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.SourceFile;
import dev.capstan.gitsync.Commit;
import java.util.List;

/**
 * What merging head over base would do. Built by {@link PlanComputer}; rendered by {@link PlanText},
 * {@link PlanMarkdown} and {@link PlanJson}.
 *
 * @param base        the base commit
 * @param head        the head commit
 * @param path        the directory of the repository planned ({@code ""}: all of it)
 * @param diagnostics head's compile errors and warnings; with an error there are no changes
 * @param headFiles   head's files, to show diagnostics with their source lines
 * @param baseErrors  how many compile errors base has (then it is compared as if empty)
 * @param changes     added, changed and removed objects, by kind, namespace, name
 * @param unchanged   objects in both and equal
 * @param pods        pods created, replaced and removed over all changes
 * @param verdicts    every policy verdict on head; null when no policies are configured
 * @param placement   the placement simulation; null when no cluster snapshot was given or head is invalid
 */
public record Plan(Commit base, Commit head, String path, List<Diagnostic> diagnostics, List<SourceFile> headFiles,
                   int baseErrors, List<ObjectChange> changes, int unchanged, PodImpact pods,
                   List<PlanVerdict> verdicts, PlacementReport placement) {

    /** The JSON format's version; raised only when a field changes meaning or goes away. */
    public static final int FORMAT_VERSION = 1;

    public Plan {
        diagnostics = List.copyOf(diagnostics);
        headFiles = List.copyOf(headFiles);
        changes = List.copyOf(changes);
        verdicts = verdicts == null ? null : List.copyOf(verdicts);
    }

    /** Head compiles without errors. */
    public boolean valid() {
        return diagnostics.stream().noneMatch(Diagnostic::isError);
    }

    /** An enforce-mode policy denies something in head. */
    public boolean denied() {
        return verdicts != null && verdicts.stream().anyMatch(PlanVerdict::blocks);
    }

    public long count(ObjectChange.Action action) {
        return changes.stream().filter(c -> c.action() == action).count();
    }

    /** {@code 0}: no change; {@code 1}: changes; {@code 2}: head is invalid or denied by policy. */
    public int exitCode() {
        if (!valid() || denied()) {
            return 2;
        }
        return changes.isEmpty() ? 0 : 1;
    }

    /** {@code invalid}, {@code denied}, {@code changes} or {@code no-changes}: the outcome in one word. */
    public String outcome() {
        return !valid() ? "invalid" : denied() ? "denied" : changes.isEmpty() ? "no-changes" : "changes";
    }
}
