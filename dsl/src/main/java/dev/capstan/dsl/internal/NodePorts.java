package dev.capstan.dsl.internal;

import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.NumberLit;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code node-port}s of all services compiled together: each in the cluster's node port range (Kubernetes'
 * 30000-32767 unless the compiler is told another) and used by one service port only (E063; a duplicate is
 * reported at both ports).
 */
final class NodePorts {
    /** {@code node-port auto}: the control plane allocates the number. */
    static final String AUTO = "auto";

    private record Use(NumberLit at, String service, String port) {
    }

    private final Reporter reporter;
    private final int first;
    private final int last;
    private final Map<Integer, Use> used = new HashMap<>();

    NodePorts(Reporter reporter, int first, int last) {
        this.reporter = reporter;
        this.first = first;
        this.last = last;
    }

    /** {@code 30000-32767}. */
    String range() {
        return first + "-" + last;
    }

    /** The node port written at {@code n} for port {@code port} of {@code service}, or null after an error. */
    Integer claim(NumberLit n, String service, String port) {
        long value = Numbers.whole(reporter, n, "a node port", Integer.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE);
        if (value == Long.MIN_VALUE) {
            return null;
        }
        if (value < first || value > last) {
            reporter.report(ErrorCode.E063, n.location(), "node port " + n.text() + " is outside " + first + "-" + last,
                    "node ports are in the cluster's range " + first + "-" + last + ", e.g. node-port " + (first + 80)
                            + (first == 30000 && last == 32767 ? "" : " (capstan up --node-port-range)"));
            return null;
        }
        Use mine = new Use(n, service, port);
        Use first = used.putIfAbsent((int) value, mine);
        if (first == null) {
            return (int) value;
        }
        reporter.report(ErrorCode.E063, n.location(), "node port " + value + " is already used by port '"
                + first.port() + "' of service " + first.service() + " (" + Analyzer.source(first.at().location()) + ")",
                "give each service port its own node port");
        reporter.report(ErrorCode.E063, first.at().location(), "node port " + value + " is also used by port '"
                + port + "' of service " + service + " (" + Analyzer.source(n.location()) + ")",
                "give each service port its own node port");
        return null;
    }
}
