package dev.capstan.dsl.policy;

import java.util.List;

/** The policy blocks of one compilation, in source order; empty when there are none or when it has errors. */
public record PolicySet(List<Policy> policies, List<Binding> bindings, List<PolicyException> exceptions,
                        List<PolicyTest> tests) {
    public static final PolicySet EMPTY = new PolicySet(List.of(), List.of(), List.of(), List.of());

    public PolicySet {
        policies = List.copyOf(policies);
        bindings = List.copyOf(bindings);
        exceptions = List.copyOf(exceptions);
        tests = List.copyOf(tests);
    }

    public boolean isEmpty() {
        return policies.isEmpty() && bindings.isEmpty() && exceptions.isEmpty() && tests.isEmpty();
    }

    /** This set followed by {@code other} (policies from a second source). */
    public PolicySet plus(PolicySet other) {
        return new PolicySet(concat(policies, other.policies), concat(bindings, other.bindings),
                concat(exceptions, other.exceptions), concat(tests, other.tests));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
