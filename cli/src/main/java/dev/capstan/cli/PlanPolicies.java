package dev.capstan.cli;

import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.policy.Mode;
import dev.capstan.dsl.policy.PolicySet;
import dev.capstan.engine.admission.Admission;
import dev.capstan.engine.admission.Exceptions;
import dev.capstan.engine.admission.Verdict;
import dev.capstan.gitsync.plan.PlanVerdict;
import dev.capstan.gitsync.plan.PolicyCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The admission engine as {@code capstan plan} sees it: the policy blocks of the head revision plus those of
 * {@code --policies}, compiled with CEL and evaluated on the head's objects, exactly as git-sync would on merge.
 * A policy that does not compile is a blocking verdict (git-sync would reject the commit too).
 */
final class PlanPolicies implements PolicyCheck {
    private final List<Path> dirs;

    PlanPolicies(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
    }

    @Override
    public List<PlanVerdict> check(CompileResult head, List<SourceFile> files) {
        List<PlanVerdict> out = new ArrayList<>();
        PolicySet set = head.policies();
        if (!dirs.isEmpty()) {
            CompileResult extra = PolicySources.compile(dirs, new ArrayList<>(files));
            extra.diagnostics().stream().filter(Diagnostic::isError).forEach(d -> out.add(broken(d)));
            set = set.plus(extra.policies());
        }
        if (out.isEmpty() && set.isEmpty()) {
            return null; // no policies anywhere: the plan says "none configured"
        }
        Admission admission = Admission.compile(set);
        admission.diagnostics().stream().filter(Diagnostic::isError).forEach(d -> out.add(broken(d)));
        if (!out.isEmpty()) {
            return out;
        }
        for (Verdict v : admission.evaluate(head.objects())) {
            PlanVerdict.Effect effect = switch (v.effect()) {
                case DENY -> PlanVerdict.Effect.DENY;
                case WARN -> PlanVerdict.Effect.WARN;
                case AUDIT -> PlanVerdict.Effect.AUDIT;
                case ERROR -> v.blocks() ? PlanVerdict.Effect.DENY : PlanVerdict.Effect.WARN;
            };
            out.add(new PlanVerdict(v.policy(), v.mode().word(), effect, v.kind() + " " + v.object(), v.message(),
                    v.objectSource() == null ? null : v.objectSource().toString(),
                    v.policySource() == null ? null : v.policySource().toString()));
        }
        for (Exceptions.Unmatched u : Exceptions.unmatchedEntries(set, head.objects())) {
            out.add(new PlanVerdict(String.join(",", u.exception().policies()), Mode.WARN.word(),
                    PlanVerdict.Effect.WARN, "exception " + u.exception().name(), u.diagnostic().format(), null,
                    u.diagnostic().location()));
        }
        return out;
    }

    /** A policy file that does not compile: blocks the plan, located at the mistake. */
    private static PlanVerdict broken(Diagnostic d) {
        return new PlanVerdict("(policy source)", Mode.ENFORCE.word(), PlanVerdict.Effect.DENY, d.path(),
                d.format(), null, d.path() + ":" + d.line() + ":" + d.column());
    }
}
