package dev.capstan.dsl.internal;

import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.Attribute;
import dev.capstan.dsl.ast.Location;
import dev.capstan.dsl.ast.StringLit;
import dev.capstan.model.Affinity;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.Toleration;
import dev.capstan.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks where a service's pods may run: node selector, node affinity, pod affinity and anti-affinity,
 * topology spread, tolerations; lowers each to its Kubernetes field. One instance per service.
 */
final class PlacementChecker {
    /** Topology shorthands. */
    static final Map<String, String> TOPOLOGY = Map.of("node", "kubernetes.io/hostname",
            "zone", "topology.kubernetes.io/zone", "region", "topology.kubernetes.io/region");
    static final Map<String, String> EFFECTS = Map.of("no-schedule", "NoSchedule",
            "prefer-no-schedule", "PreferNoSchedule", "no-execute", "NoExecute");
    private static final Map<String, String> OPERATORS = Map.of("=", "In", "!=", "NotIn", "in", "In",
            "notin", "NotIn", "exists", "Exists", "!", "DoesNotExist");

    private final Analyzer analyzer;
    private final Reporter reporter;
    private final String service;
    private Map<String, String> nodeSelector = Map.of();
    private Affinity.NodeSelector requiredNodes;
    private final List<Affinity.PreferredSchedulingTerm> preferredNodes = new ArrayList<>();
    private final List<Affinity.PodAffinityTerm> requiredPods = new ArrayList<>();
    private final List<Affinity.WeightedPodAffinityTerm> preferredPods = new ArrayList<>();
    private final List<Affinity.PodAffinityTerm> requiredAnti = new ArrayList<>();
    private final List<Affinity.WeightedPodAffinityTerm> preferredAnti = new ArrayList<>();
    private final List<TopologySpreadConstraint> spread = new ArrayList<>();
    private final List<Toleration> tolerations = new ArrayList<>();

    PlacementChecker(Analyzer analyzer, String service) {
        this.analyzer = analyzer;
        this.reporter = analyzer.reporter();
        this.service = service;
    }

    boolean accept(Attribute a) {
        if (a instanceof Attribute.NodeSelector n) {
            nodeSelector = analyzer.labels(n.entries(), Set.of());
        } else if (a instanceof Attribute.NodeAffinity n) {
            nodeAffinity(n);
        } else if (a instanceof Attribute.PodAffinity p) {
            podAffinity(p);
        } else if (a instanceof Attribute.Spread s) {
            spread(s);
        } else if (a instanceof Attribute.Tolerate t) {
            tolerate(t);
        } else {
            return false;
        }
        return true;
    }

    Program.Placement finish() {
        Affinity.NodeAffinity nodes = requiredNodes == null && preferredNodes.isEmpty() ? null
                : new Affinity.NodeAffinity(requiredNodes, preferredNodes);
        Affinity.PodAffinity pods = requiredPods.isEmpty() && preferredPods.isEmpty() ? null
                : new Affinity.PodAffinity(requiredPods, preferredPods);
        Affinity.PodAffinity anti = requiredAnti.isEmpty() && preferredAnti.isEmpty() ? null
                : new Affinity.PodAffinity(requiredAnti, preferredAnti);
        Affinity affinity = nodes == null && pods == null && anti == null ? null : new Affinity(nodes, pods, anti);
        return new Program.Placement(nodeSelector, affinity, tolerations, spread);
    }

    private void nodeAffinity(Attribute.NodeAffinity n) {
        if (!nonEmpty(n.selector(), n.location(), "node-affinity", "disktype = \"ssd\"")) {
            return;
        }
        List<LabelSelector.Requirement> expressions = new ArrayList<>();
        for (Attribute.Requirement r : n.selector()) {
            LabelSelector.Requirement req = requirement(r);
            if (req != null) {
                expressions.add(req);
            }
        }
        Affinity.NodeSelectorTerm term = new Affinity.NodeSelectorTerm(expressions);
        if (n.placement().required()) {
            requiredNodes = new Affinity.NodeSelector(List.of(term));
        } else {
            preferredNodes.add(new Affinity.PreferredSchedulingTerm(weight(n.placement()), term));
        }
    }

    private void podAffinity(Attribute.PodAffinity p) {
        String topology = topology(p.topology());
        LabelSelector selector = podSelector(p.selector(), p.location(), p.keyword());
        if (topology == null || selector == null) {
            return;
        }
        Affinity.PodAffinityTerm term = new Affinity.PodAffinityTerm(selector, null, topology);
        if (p.placement().required()) {
            (p.anti() ? requiredAnti : requiredPods).add(term);
        } else {
            (p.anti() ? preferredAnti : preferredPods)
                    .add(new Affinity.WeightedPodAffinityTerm(weight(p.placement()), term));
        }
    }

    private void spread(Attribute.Spread s) {
        String topology = topology(s.topology());
        int skew = s.skew() == null ? 1 : (int) Numbers.whole(reporter, s.skew(), "max-skew", 1, 1000, 1);
        LabelSelector selector = s.selector() == null ? new LabelSelector(Map.of(Lowering.APP, service))
                : podSelector(s.selector(), s.location(), "spread");
        if (topology != null && selector != null) {
            spread.add(new TopologySpreadConstraint(skew, topology, s.required() ? "DoNotSchedule" : "ScheduleAnyway",
                    selector));
        }
    }

    private void tolerate(Attribute.Tolerate t) {
        String keyProblem = Names.labelKey(t.key());
        if (keyProblem != null) {
            reporter.report(ErrorCode.E013, t.keyLocation(), "invalid taint key '" + t.key() + "'", keyProblem);
        }
        if (t.value() != null) {
            label(t.value(), "taint value");
        }
        String effect = null;
        if (t.effect() != null) {
            effect = EFFECTS.get(t.effect().value());
            if (effect == null) {
                reporter.report(ErrorCode.E019, t.effect().location(), "unknown taint effect '" + t.effect().value()
                        + "'", PodChecker.choices(t.effect().value(), List.of("no-schedule", "prefer-no-schedule",
                        "no-execute")));
            }
        }
        Long seconds = null;
        if (t.seconds() != null) {
            seconds = Numbers.seconds(reporter, t.seconds(), "a toleration's 'for'", 0, 365L * PodChecker.MAX_SECONDS);
            if (!"NoExecute".equals(effect) && (t.effect() == null || effect != null)) {
                reporter.report(ErrorCode.E021, t.seconds().location(), "'for' applies only to effect no-execute",
                        "write: tolerate " + quoted(t.key()) + " effect no-execute for " + t.seconds().text());
            }
        }
        tolerations.add(new Toleration(t.key(), t.value() == null ? "Exists" : "Equal",
                t.value() == null ? null : t.value().value(), effect, seconds));
    }

    private static String quoted(String key) {
        return key.matches("[a-zA-Z_][a-zA-Z0-9_-]*") ? key : "\"" + key + "\"";
    }

    /** A pod label selector: {@code =} entries become matchLabels, the rest matchExpressions. */
    private LabelSelector podSelector(List<Attribute.Requirement> requirements, Location at, String what) {
        if (!nonEmpty(requirements, at, what, "app = \"cache\"")) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, Attribute.Requirement> first = new HashMap<>();
        List<LabelSelector.Requirement> expressions = new ArrayList<>();
        for (Attribute.Requirement r : requirements) {
            LabelSelector.Requirement req = requirement(r);
            if (req == null) {
                continue;
            }
            if (r.operator().equals("=")) {
                Attribute.Requirement earlier = first.putIfAbsent(r.key(), r);
                if (earlier != null) {
                    reporter.report(ErrorCode.E020, r.location(), "'" + r.key() + "' is already required to equal a "
                            + "value at line " + earlier.location().line() + "; nothing can match both",
                            "to allow either value, write: " + quoted(r.key()) + " in (\""
                                    + earlier.values().get(0).value() + "\", \"" + r.values().get(0).value() + "\")");
                    continue;
                }
                labels.put(r.key(), r.values().get(0).value());
            } else {
                expressions.add(req);
            }
        }
        LabelSelector selector = new LabelSelector(labels, expressions);
        analyzer.podSelector(at, selector);
        return selector;
    }

    /** One requirement in Kubernetes form, or null after reporting a problem. */
    private LabelSelector.Requirement requirement(Attribute.Requirement r) {
        boolean ok = true;
        String keyProblem = Names.labelKey(r.key());
        if (keyProblem != null) {
            reporter.report(ErrorCode.E013, r.location(), "invalid label key '" + r.key() + "'", keyProblem);
            ok = false;
        }
        if (r.values().isEmpty() && (r.operator().equals("in") || r.operator().equals("notin"))) {
            reporter.report(ErrorCode.E020, r.location(), "'" + r.operator() + "' needs at least one value",
                    "write: " + quoted(r.key()) + " " + r.operator() + " (\"a\", \"b\")");
            ok = false;
        }
        for (StringLit v : r.values()) {
            ok &= label(v, "label value");
        }
        return ok ? new LabelSelector.Requirement(r.key(), OPERATORS.get(r.operator()),
                r.values().stream().map(StringLit::value).toList()) : null;
    }

    private boolean label(StringLit v, String what) {
        String problem = Names.labelValue(v.value());
        if (problem != null) {
            reporter.report(ErrorCode.E013, v.location(), "invalid " + what + " '" + v.value() + "'", problem);
        }
        return problem == null;
    }

    private boolean nonEmpty(List<Attribute.Requirement> selector, Location at, String what, String example) {
        if (selector.isEmpty()) {
            reporter.report(ErrorCode.E020, at, what + " has an empty selector, which matches nothing",
                    "add a requirement: { " + example + " }");
            return false;
        }
        return true;
    }

    private int weight(Attribute.Placement p) {
        return p.weight() == null ? 100 : (int) Numbers.whole(reporter, p.weight(), "weight", 1, 100, 100);
    }

    /** The topology label key, or null after reporting a problem. */
    private String topology(Attribute.Topology t) {
        String shorthand = t.quoted() ? null : TOPOLOGY.get(t.text());
        if (shorthand != null) {
            return shorthand;
        }
        String problem = Names.labelKey(t.text());
        if (problem != null) {
            reporter.report(ErrorCode.E013, t.location(), "invalid topology key '" + t.text() + "'", problem);
            return null;
        }
        return t.text();
    }
}
