package dev.capstan.gitsync.plan;

import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.SourceFile;
import java.util.List;

/**
 * The admission policies {@code capstan plan} reports on. {@link PlanComputer} calls it once per plan with
 * the head revision, after it compiled without errors.
 *
 * <p>Contract: pure (no I/O, no clock, no writes to a cluster; it judges, never applies); never throws for
 * a policy that denies or fails to evaluate (that is a verdict: deny, with the evaluation error as its
 * message); returns every verdict of every policy on every object, allow verdicts left out, in a stable
 * order (by object, then policy). May be called from any thread.
 */
@FunctionalInterface
public interface PolicyCheck {

    /**
     * The verdicts on the head revision; null when there are no policies at all (rendered "none configured").
     *
     * @param head  the compiled head revision ({@code head.ok()} is true)
     * @param files the head revision's {@code .cap} files, for policies declared in them
     */
    List<PlanVerdict> check(CompileResult head, List<SourceFile> files);
}
