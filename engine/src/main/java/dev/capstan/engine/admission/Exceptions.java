package dev.capstan.engine.admission;

import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.policy.PolicyException;
import dev.capstan.dsl.policy.PolicySet;
import dev.capstan.model.KubeObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Checks on policy exceptions against the objects of a compiled revision: an {@code objects [...]} entry that names
 * no object (a typo, or an object since renamed or removed) exempts nothing and is a W052 warning at the exception.
 * Objects are matched exactly as admission matches them ({@link PolicyException#covers}: {@code ns/name},
 * {@code ns/*}, {@code *}{@code /name}, a pod also by its {@code app} label).
 */
public final class Exceptions {
    private Exceptions() {
    }

    /** One entry of an exception that names no object, with its W052 warning. */
    public record Unmatched(PolicyException exception, String entry, Diagnostic diagnostic) {
    }

    /**
     * One W052 warning per entry of an exception's {@code objects} that covers no object of {@code objects}, at the
     * exception's location, in the order of the exceptions and their entries.
     */
    public static List<Diagnostic> unmatched(PolicySet policies, Collection<? extends KubeObject> objects) {
        return unmatchedEntries(policies, objects).stream().map(Unmatched::diagnostic).toList();
    }

    /** As {@link #unmatched}, with the exception and entry of each warning. */
    public static List<Unmatched> unmatchedEntries(PolicySet policies, Collection<? extends KubeObject> objects) {
        if (policies.exceptions().stream().allMatch(e -> e.objects().isEmpty())) {
            return List.of();
        }
        List<Subjects.Subject> subjects = Subjects.of(objects);
        List<Unmatched> out = new ArrayList<>();
        for (PolicyException e : policies.exceptions()) {
            for (String entry : e.objects()) {
                PolicyException one = new PolicyException(e.name(), e.location(), e.policies(), List.of(entry), null,
                        e.reason());
                boolean used = subjects.stream().anyMatch(s -> one.covers(s.namespaceName(), s.name(), s.labels()));
                if (!used && e.location() != null) {
                    out.add(new Unmatched(e, entry, new Diagnostic(ErrorCode.W052.severity(), ErrorCode.W052.name(),
                            e.location().path(), e.location().line(), e.location().column(), "exception " + e.name()
                            + " names " + entry + ", which no object is", "objects are named NAMESPACE/NAME as "
                            + "compiled (a pod also by its app label); fix the name or remove the entry")));
                }
            }
        }
        return out;
    }
}
