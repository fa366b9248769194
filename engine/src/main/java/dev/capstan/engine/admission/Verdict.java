package dev.capstan.engine.admission;

import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.Location;
import dev.capstan.dsl.policy.Mode;
import java.util.ArrayList;
import java.util.List;

/**
 * One policy's finding on one object.
 *
 * @param policy       the policy's name
 * @param mode         the policy's mode
 * @param effect       what it means for the object: {@link Effect#DENY} (enforce mode), {@link Effect#WARN},
 *                     {@link Effect#AUDIT}, or {@link Effect#ERROR} when the policy failed on it (runtime error, cost
 *                     or time limit)
 * @param kind         service, namespace, deployment or pod
 * @param namespace    the object's namespace ("" for a namespace)
 * @param name         the object's name
 * @param message      the rule's message with its {@code ${...}} filled in, or the error
 * @param objectSource where the object is written ({@code path:line:col}), or null (a pod written to the API)
 * @param policySource where the policy's violated rule is written (the rule's {@code deny}, or the policy)
 */
public record Verdict(String policy, Mode mode, Effect effect, String kind, String namespace, String name,
                      String message, Location objectSource, Location policySource) {

    public enum Effect {
        DENY, WARN, AUDIT, ERROR;

        /** The word used in {@code expect}, output and JSON. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * True when this verdict stops the object: a deny, or an error of an enforce-mode policy (policies fail
     * closed, like Kubernetes' {@code failurePolicy: Fail}).
     */
    public boolean blocks() {
        return effect == Effect.DENY || (effect == Effect.ERROR && mode == Mode.ENFORCE);
    }

    /** {@code namespace/name}, or the name alone for a namespace. */
    public String object() {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /**
     * As diagnostics: one at the object (E058 deny, W050 warn, W051 audit, E057 error of an enforce policy;
     * warnings otherwise), and one at the policy pointing back to the object.
     */
    public List<Diagnostic> toDiagnostics() {
        ErrorCode code = switch (effect) {
            case DENY -> ErrorCode.E058;
            case WARN -> ErrorCode.W050;
            case AUDIT -> ErrorCode.W051;
            case ERROR -> ErrorCode.E057;
        };
        dev.capstan.dsl.Severity severity = blocks() ? dev.capstan.dsl.Severity.ERROR : dev.capstan.dsl.Severity.WARNING;
        String verb = switch (effect) {
            case DENY -> "denied by";
            case WARN -> "warning from";
            case AUDIT -> "audit by";
            case ERROR -> "error in";
        };
        List<Diagnostic> out = new ArrayList<>();
        Location at = objectSource != null ? objectSource : policySource;
        out.add(new Diagnostic(severity, code.name(), at.path(), at.line(), at.column(),
                verb + " policy " + policy + ": " + kind + " " + object() + ": " + message,
                "policy at " + policySource));
        if (objectSource != null && policySource != null) {
            out.add(new Diagnostic(dev.capstan.dsl.Severity.WARNING, code.name(), policySource.path(),
                    policySource.line(), policySource.column(), "policy " + policy + " (" + mode.word() + ") "
                    + effect.word() + ": " + kind + " " + object() + " at " + objectSource, null));
        }
        return out;
    }

    /** All verdicts' diagnostics, in order. */
    public static List<Diagnostic> diagnostics(List<Verdict> verdicts) {
        List<Diagnostic> out = new ArrayList<>();
        verdicts.forEach(v -> out.addAll(v.toDiagnostics()));
        return out;
    }
}
