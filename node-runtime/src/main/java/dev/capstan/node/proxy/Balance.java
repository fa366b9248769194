package dev.capstan.node.proxy;

import java.util.Locale;

/** How the proxy picks an endpoint for a new connection. A Service chooses with its annotation {@link #ANNOTATION}. */
public enum Balance {
    /** Each connection starts one endpoint further along than the previous one. */
    ROUND_ROBIN,
    /** The endpoint with the fewest open connections through this proxy; ties go round-robin. */
    LEAST_CONNECTIONS;

    /** {@code capstan.dev/balance: least-connections} on a Service. */
    public static final String ANNOTATION = "capstan.dev/balance";

    /** {@code round-robin} or {@code least-connections}; anything else is an IllegalArgumentException. */
    public static Balance parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "round-robin", "roundrobin" -> ROUND_ROBIN;
            case "least-connections", "leastconnections", "least-conn" -> LEAST_CONNECTIONS;
            default -> throw new IllegalArgumentException("unknown balancing '" + text
                    + "': use round-robin or least-connections");
        };
    }

    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
