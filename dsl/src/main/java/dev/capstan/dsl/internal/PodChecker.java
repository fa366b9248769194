package dev.capstan.dsl.internal;

import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.Attribute;
import dev.capstan.dsl.ast.Entry;
import dev.capstan.dsl.ast.Location;
import dev.capstan.dsl.ast.NumberLit;
import dev.capstan.dsl.ast.StringLit;
import dev.capstan.model.Deployment;
import dev.capstan.model.Probe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a service's pod settings: annotations, restart policy, probes, stop grace period, update
 * strategy and priority; placement goes to {@link PlacementChecker}. One instance per service: feed it
 * with {@link #accept}, then call {@link #finish}.
 */
final class PodChecker {
    static final Map<String, String> RESTART = Map.of("always", "Always", "on-failure", "OnFailure", "never", "Never");
    static final long MAX_SECONDS = 86_400;

    private final Reporter reporter;
    private final Analyzer analyzer;
    private final PlacementChecker placement;
    private final List<Attribute.Probe> probes = new ArrayList<>();
    private Map<String, String> annotations = Map.of();
    private String restart = "Always";
    private Long grace;
    private Deployment.RollingUpdate update;
    private Integer priority;
    /** "job" or "daemon" for those blocks; null for a service. */
    private String workload;

    PodChecker(Analyzer analyzer, String service) {
        this.analyzer = analyzer;
        this.reporter = analyzer.reporter();
        this.placement = new PlacementChecker(analyzer, service);
    }

    /** Checks the pods of a {@code job} (restart never by default, never always) or {@code daemon} block. */
    PodChecker forWorkload(String kind) {
        this.workload = kind;
        if ("job".equals(kind)) {
            restart = "Never";
        }
        return this;
    }

    /** Checks {@code a} if it is a pod or placement setting; false when it is none. */
    boolean accept(Attribute a) {
        if (a instanceof Attribute.Annotations an) {
            annotations = annotations(an.entries());
        } else if (a instanceof Attribute.Restart r) {
            restart(r);
        } else if (a instanceof Attribute.Probe p) {
            probes.add(p);
        } else if (a instanceof Attribute.StopGrace g) {
            grace = Numbers.seconds(reporter, g.duration(), "stop-grace", 0, MAX_SECONDS);
        } else if (a instanceof Attribute.Update u) {
            update = update(u);
        } else if (a instanceof Attribute.Priority p) {
            priority = (int) Numbers.whole(reporter, p.value(), "priority", Integer.MIN_VALUE, 1_000_000_000, 0);
        } else {
            return placement.accept(a);
        }
        return true;
    }

    /** The checked settings; {@code ports} are the names the service declares. */
    Program.PodSettings finish(Set<String> ports) {
        Map<String, Probe> checked = new HashMap<>();
        for (Attribute.Probe p : probes) {
            checked.put(p.kind(), probe(p, ports));
        }
        return new Program.PodSettings(annotations, restart, grace, checked.get("liveness"),
                checked.get("readiness"), checked.get("startup"), update, priority, placement.finish());
    }

    private Map<String, String> annotations(List<Entry> entries) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Entry e : analyzer.unique(entries, "annotation")) {
            String problem = Names.labelKey(e.key());
            if (problem != null) {
                reporter.report(ErrorCode.E013, e.location(), "invalid annotation key '" + e.key() + "'", problem);
            } else if (e.key().startsWith("capstan.dev/")) {
                reporter.report(ErrorCode.E016, e.location(), "annotation '" + e.key() + "' is set by capstan",
                        "remove it; capstan.dev/ annotations record where an object came from");
            } else {
                out.put(e.key(), e.value().value());
            }
        }
        return out;
    }

    private void restart(Attribute.Restart r) {
        if (r.policy() == null) {
            return;
        }
        String word = r.policy().value();
        String policy = RESTART.get(word);
        if (policy == null) {
            reporter.report(ErrorCode.E019, r.policy().location(), "unknown restart policy '" + word + "'",
                    choices(word, List.of("always", "on-failure", "never")));
            return;
        }
        if ("job".equals(workload)) {
            if (policy.equals("Always")) {
                reporter.report(ErrorCode.E019, r.policy().location(), "a job's pods run to completion: "
                        + "'restart always' would never let them finish", "use 'restart never' or 'restart on-failure'");
                return;
            }
        } else if (!policy.equals("Always")) {
            reporter.report(ErrorCode.W002, r.policy().location(), "a Kubernetes Deployment accepts only "
                    + "'restart always'; '" + word + "' is kept but a cluster will reject the export",
                    "remove the line, or use 'restart always'");
        }
        restart = policy;
    }

    static String choices(String word, List<String> allowed) {
        String list = "one of " + String.join(", ", allowed);
        return Suggest.closest(word, allowed).map(m -> "did you mean '" + m + "'? (" + list + ")").orElse(list);
    }

    private Probe probe(Attribute.Probe p, Set<String> ports) {
        Probe.HttpGet http = null;
        Probe.TcpSocket tcp = null;
        Probe.Exec exec = null;
        String port = p.port() == null ? null : p.port().value();
        if (port != null && !ports.contains(port)) {
            String declare = "declare it: port " + port + " 8080";
            reporter.report(ErrorCode.E018, p.port().location(), p.kind() + " probe uses port '" + port
                    + "', which this service does not declare", Suggest.closest(port, ports)
                    .map(m -> "did you mean '" + m + "'?").orElse(declare));
        }
        switch (p.action()) {
            case "http", "https" -> {
                StringLit path = p.path();
                if (!path.value().startsWith("/")) {
                    reporter.report(ErrorCode.E019, path.location(), "an http probe path starts with '/', got '"
                            + path.value() + "'", "write \"/" + path.value() + "\"");
                }
                http = new Probe.HttpGet(path.value(), port, p.action().toUpperCase(java.util.Locale.ROOT));
            }
            case "tcp" -> tcp = new Probe.TcpSocket(port);
            default -> {
                if (p.command().isEmpty()) {
                    reporter.report(ErrorCode.E019, p.location(), "an exec probe needs a command",
                            "write exec [\"cat\", \"/tmp/healthy\"]");
                }
                exec = new Probe.Exec(p.command().stream().map(StringLit::value).toList());
            }
        }
        Map<String, Long> values = new HashMap<>();
        Map<String, Location> seen = new HashMap<>();
        for (Attribute.Setting s : p.settings()) {
            Location first = seen.putIfAbsent(s.name(), s.location());
            if (first != null) {
                reporter.report(ErrorCode.E012, s.location(), "duplicate probe setting '" + s.name()
                        + "' (first set at line " + first.line() + ")", "remove one of them");
                continue;
            }
            Long v = setting(p.kind(), s);
            if (v != null) {
                values.put(s.name(), v);
            }
        }
        return new Probe(http, tcp, exec, integer(values.get("initial-delay")), integer(values.get("every")),
                integer(values.get("timeout")), integer(values.get("success-threshold")),
                integer(values.get("failure-threshold")));
    }

    private Long setting(String kind, Attribute.Setting s) {
        NumberLit n = s.value();
        switch (s.name()) {
            case "every", "timeout":
                return Numbers.seconds(reporter, n, s.name(), 1, MAX_SECONDS);
            case "initial-delay":
                return Numbers.seconds(reporter, n, s.name(), 0, MAX_SECONDS);
            case "success-threshold":
                Long v = positive(n, s.name());
                if (v != null && v != 1 && !kind.equals("readiness")) {
                    reporter.report(ErrorCode.E019, n.location(), "a " + kind + " probe's success-threshold must be 1",
                            "remove it; only readiness probes take another success-threshold");
                    return null;
                }
                return v;
            default:
                return positive(n, s.name());
        }
    }

    private Long positive(NumberLit n, String what) {
        long v = Numbers.whole(reporter, n, what, 1, 10_000, -1);
        return v < 0 ? null : v;
    }

    private static Integer integer(Long v) {
        return v == null ? null : v.intValue();
    }

    private Deployment.RollingUpdate update(Attribute.Update u) {
        Map<String, String> values = new HashMap<>();
        Map<String, Location> seen = new HashMap<>();
        boolean ok = true;
        for (Attribute.Setting s : u.settings()) {
            Location first = seen.putIfAbsent(s.name(), s.location());
            if (first != null) {
                reporter.report(ErrorCode.E012, s.location(), "duplicate update setting '" + s.name()
                        + "' (first set at line " + first.line() + ")", "remove one of them");
                continue;
            }
            String text = s.value().text();
            if (text.endsWith("%")) {
                NumberLit number = new NumberLit(s.value().location(), text.substring(0, text.length() - 1));
                ok &= Numbers.whole(reporter, number, s.name(), 0, 100, -1) >= 0;
            } else {
                ok &= Numbers.whole(reporter, s.value(), s.name(), 0, ServiceChecker.MAX_REPLICAS, -1) >= 0;
            }
            values.put(s.name(), text);
        }
        String surge = values.getOrDefault("max-surge", "25%");
        String unavailable = values.getOrDefault("max-unavailable", "25%");
        if (ok && zero(surge) && zero(unavailable)) {
            reporter.report(ErrorCode.E021, u.location(), "max-surge and max-unavailable cannot both be 0",
                    "a rolling update needs room to move: set max-surge 1");
        }
        return new Deployment.RollingUpdate(surge, unavailable);
    }

    private static boolean zero(String amount) {
        return amount.replace("%", "").matches("0+");
    }
}
