package dev.capstan.cli;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.engine.controller.builtin.NodePortRange;
import picocli.CommandLine.Option;

/**
 * {@code --node-port-range FIRST-LAST}: the cluster's node port range. {@code capstan up} allocates from it and
 * checks written node ports against it; {@code capstan check} and {@code capstan plan} check against it, so that
 * they judge a repository as the cluster that follows it will.
 */
final class NodePortRangeOption {
    @Option(names = "--node-port-range", defaultValue = NodePortRange.DEFAULT, paramLabel = "FIRST-LAST",
            description = "The cluster's node port range: a written node port must be in it, and node-port auto takes "
                    + "its number from it (default: ${DEFAULT-VALUE}).")
    String text = NodePortRange.DEFAULT;

    /** The range; a usage error (exit 2) when it does not parse. */
    NodePortRange range() {
        try {
            return NodePortRange.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserError("--node-port-range: " + e.getMessage(), 2);
        }
    }

    /** A compiler that checks written node ports against the range. */
    CapCompiler compiler() {
        NodePortRange r = range();
        return new CapCompiler().nodePorts(r.min(), r.max());
    }
}
