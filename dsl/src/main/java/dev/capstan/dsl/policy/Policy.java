package dev.capstan.dsl.policy;

import dev.capstan.dsl.ast.Location;
import dev.capstan.model.LabelSelector;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code policy} block.
 *
 * @param appliesTo kinds of object it sees: {@code service}, {@code namespace}, {@code deployment}, {@code pod}
 * @param match     a label selector on the object's labels; empty matches everything
 * @param params    parameter defaults in source order; values are String, Long, Double, Boolean or List of String
 * @param rules     {@code deny if} rules, in order; each violated rule gives one verdict
 */
public record Policy(String name, Location location, String description, Set<String> appliesTo, LabelSelector match,
                     Mode mode, Map<String, Object> params, List<Rule> rules) {
    public Policy {
        appliesTo = Set.copyOf(appliesTo);
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        rules = List.copyOf(rules);
    }

    /** {@code deny if condition message "..."}; {@code location} is the {@code deny} keyword's. */
    public record Rule(Location location, CelSource condition, Message message) {
    }
}
