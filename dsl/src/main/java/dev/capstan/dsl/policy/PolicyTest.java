package dev.capstan.dsl.policy;

import dev.capstan.dsl.ast.Location;
import dev.capstan.model.KubeObject;
import java.util.List;

/**
 * A {@code test} block. A test named after a policy tests that policy alone; any other name tests every
 * policy compiled together.
 */
public record PolicyTest(String name, Location location, List<Case> cases) {
    public PolicyTest {
        cases = List.copyOf(cases);
    }

    /**
     * One example object and the verdict expected for it.
     *
     * @param kind    {@code service} or {@code namespace}
     * @param objects what the example compiles to: its Namespace, and for a service its Deployment and Service
     * @param expect  allow, deny, warn or audit
     * @param by      policies that must give that verdict; empty when any may
     */
    public record Case(Location location, String kind, String namespace, String name, List<KubeObject> objects,
                       String expect, List<String> by) {
        public Case {
            objects = List.copyOf(objects);
            by = List.copyOf(by);
        }
    }
}
