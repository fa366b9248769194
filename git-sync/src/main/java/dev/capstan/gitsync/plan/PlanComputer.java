package dev.capstan.gitsync.plan;

import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.DslCompiler;
import dev.capstan.model.KubeObject;
import java.util.List;

/**
 * Computes a {@link Plan} from two sides of a repository: compiles both with the same compiler, pairs and
 * diffs their objects ({@link ObjectDiff}), asks the {@link PolicyCheck} about head, and simulates placement
 * of the new pods on a cluster snapshot ({@link PlacementSimulation}).
 *
 * <p>Contract: pure and thread-safe (no I/O beyond what the policy check does, no writes anywhere; it never
 * imports apply code). Never throws for bad sources: head's compile errors come back as
 * {@link Plan#diagnostics()} with no changes, so the plan says "invalid" (exit 2). A base that does not
 * compile is compared as if it were empty (counted in {@link Plan#baseErrors()}).
 */
public final class PlanComputer {
    private final DslCompiler compiler;
    private final PolicyCheck policies;

    /**
     * @param compiler the compiler both sides go through
     * @param policies the policies to report on, or null when none are configured
     */
    public PlanComputer(DslCompiler compiler, PolicyCheck policies) {
        this.compiler = compiler;
        this.policies = policies;
    }

    /**
     * @param snapshot the cluster to simulate placement on, or null to skip the simulation
     */
    public Plan compute(PlanSide base, PlanSide head, String path, ClusterSnapshot snapshot) {
        CompileResult b = compiler.compile(base.files());
        CompileResult h = compiler.compile(head.files());
        List<KubeObject> before = b.ok() ? b.objects() : List.of();
        if (!h.ok()) {
            return new Plan(base.commit(), head.commit(), path, h.diagnostics(), head.files(), b.errors().size(),
                    List.of(), 0, PodImpact.NONE, policies == null ? null : List.of(), null);
        }
        List<ObjectChange> changes = ObjectDiff.diff(before, h.objects());
        PodImpact pods = changes.stream().map(ObjectChange::pods).reduce(PodImpact.NONE, PodImpact::plus);
        List<PlanVerdict> verdicts = policies == null ? null : policies.check(h, head.files());
        PlacementReport placement = snapshot == null ? null
                : PlacementSimulation.run(snapshot, before, h.objects(), changes);
        return new Plan(base.commit(), head.commit(), path, h.diagnostics(), head.files(), b.errors().size(), changes,
                ObjectDiff.unchanged(before, h.objects()), pods, verdicts, placement);
    }
}
