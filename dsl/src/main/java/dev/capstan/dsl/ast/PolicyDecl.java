package dev.capstan.dsl.ast;

import dev.capstan.dsl.policy.Binding;
import dev.capstan.dsl.policy.Policy;
import dev.capstan.dsl.policy.PolicyException;
import java.util.List;

/**
 * A {@code policy}, {@code bind}, {@code exception} or {@code test} block. Policies, bindings and exceptions
 * are built whole by the AST builder ({@code block} is a {@link Policy}, {@link Binding} or
 * {@link PolicyException}); a test keeps its example declarations as AST ({@link Test}) for the analyzer to
 * compile. {@code block} is null when the block is damaged by a syntax error.
 */
public record PolicyDecl(Location location, Identifier name, Object block, boolean complete) implements Declaration {

    @Override
    public List<Attribute> attributes() {
        return List.of();
    }

    /** A test block as written. */
    public record Test(String name, Location location, List<TestItem> items) {
        public Test {
            items = List.copyOf(items);
        }
    }

    /**
     * One item of a test: a namespace or service declaration, with its expectation ({@code expect} null for a
     * namespace given only as context).
     */
    public record TestItem(Declaration declaration, String expect, Location expectAt, List<Identifier> by) {
        public TestItem {
            by = List.copyOf(by);
        }
    }
}
