package dev.capstan.engine.api;

/**
 * Decides whether an authenticated identity may make a resource request. Called on a server worker
 * thread for every resource request after authentication and before the store is touched; must be fast,
 * thread-safe and must not throw. A denial becomes a 403 Forbidden Status whose message is the reason.
 */
@FunctionalInterface
public interface Authorizer {

    Decision authorize(Identity who, RequestAttributes request);

    /** Allows everything an authenticated identity asks. */
    static Authorizer allowAll() {
        return (who, request) -> Decision.ALLOW;
    }

    /** This authorizer, then {@code next}: the first denial wins. */
    default Authorizer and(Authorizer next) {
        return (who, request) -> {
            Decision d = authorize(who, request);
            return d.allowed() ? next.authorize(who, request) : d;
        };
    }

    /** An answer; a denial carries the reason the user will read. */
    record Decision(boolean allowed, String reason) {
        public static final Decision ALLOW = new Decision(true, null);

        public static Decision deny(String reason) {
            return new Decision(false, reason);
        }
    }
}
