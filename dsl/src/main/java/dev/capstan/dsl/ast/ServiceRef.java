package dev.capstan.dsl.ast;

/**
 * {@code service("api").url}: another service's address as an env value. {@code target} names the service,
 * {@code "api"} in the same namespace or {@code "api.shop"} in namespace {@code shop}; {@code field} is
 * {@code url}, {@code host} or {@code port}. The location is the keyword's.
 */
public record ServiceRef(Location location, StringLit target, Identifier field) implements Node {
}
