package dev.capstan.dsl.internal;

import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.NumberLit;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code node-port}s of all services compiled together: each in Kubernetes' range 30000-32767 and used by one
 * service port only (E063; a duplicate is reported at both ports).
 */
final class NodePorts {
    static final int MIN = 30000;
    static final int MAX = 32767;
    /** {@code node-port auto}: the control plane allocates the number. */
    static final String AUTO = "auto";

    private record Use(NumberLit at, String service, String port) {
    }

    private final Reporter reporter;
    private final Map<Integer, Use> used = new HashMap<>();

    NodePorts(Reporter reporter) {
        this.reporter = reporter;
    }

    /** The node port written at {@code n} for port {@code port} of {@code service}, or null after an error. */
    Integer claim(NumberLit n, String service, String port) {
        long value = Numbers.whole(reporter, n, "a node port", Integer.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE);
        if (value == Long.MIN_VALUE) {
            return null;
        }
        if (value < MIN || value > MAX) {
            reporter.report(ErrorCode.E063, n.location(), "node port " + n.text() + " is outside " + MIN + "-" + MAX,
                    "node ports are in Kubernetes' range " + MIN + "-" + MAX + ", e.g. node-port 30080");
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
