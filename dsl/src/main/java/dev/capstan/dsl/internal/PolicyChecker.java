package dev.capstan.dsl.internal;

import dev.capstan.dsl.CapCompiler.Limits;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.CapFile;
import dev.capstan.dsl.ast.Declaration;
import dev.capstan.dsl.ast.Identifier;
import dev.capstan.dsl.ast.Location;
import dev.capstan.dsl.ast.NamespaceDecl;
import dev.capstan.dsl.ast.PolicyDecl;
import dev.capstan.dsl.ast.ServiceDecl;
import dev.capstan.dsl.ast.TemplateDecl;
import dev.capstan.dsl.policy.Binding;
import dev.capstan.dsl.policy.Policy;
import dev.capstan.dsl.policy.PolicyException;
import dev.capstan.dsl.policy.PolicySet;
import dev.capstan.dsl.policy.PolicyTest;
import dev.capstan.model.KubeObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks policy blocks across files (duplicates E006, unknown policies E051, binding parameters E052) and
 * compiles each test's example declarations to objects, as if they were a small repository of their own.
 */
final class PolicyChecker {
    private final Reporter reporter;
    private final Limits limits;

    PolicyChecker(Reporter reporter, Limits limits) {
        this.reporter = reporter;
        this.limits = limits;
    }

    PolicySet check(List<CapFile> files) {
        Map<String, Policy> policies = new LinkedHashMap<>();
        List<Binding> bindings = new ArrayList<>();
        List<PolicyException> exceptions = new ArrayList<>();
        List<PolicyDecl.Test> tests = new ArrayList<>();
        List<TemplateDecl> templates = new ArrayList<>();
        Map<String, Location> names = new LinkedHashMap<>();
        for (CapFile f : files) {
            for (Declaration d : f.declarations()) {
                if (d instanceof TemplateDecl t) {
                    templates.add(t);
                }
                if (!(d instanceof PolicyDecl p) || p.block() == null) {
                    continue;
                }
                if (p.block() instanceof Policy policy) {
                    if (unique("policy", policy.name(), policy.location(), names)) {
                        policies.put(policy.name(), policy);
                    }
                } else if (p.block() instanceof Binding b) {
                    bindings.add(b);
                } else if (p.block() instanceof PolicyException e) {
                    if (unique("exception", e.name(), e.location(), names)) {
                        exceptions.add(e);
                    }
                } else if (p.block() instanceof PolicyDecl.Test t) {
                    if (unique("test", t.name(), t.location(), names)) {
                        tests.add(t);
                    }
                }
            }
        }
        for (Binding b : bindings) {
            Policy p = known(b.policy(), b.location(), "bind", policies);
            if (p != null) {
                bindingParams(b, p);
            }
        }
        for (PolicyException e : exceptions) {
            for (String name : e.policies()) {
                known(name, e.location(), "exception '" + e.name() + "'", policies);
            }
        }
        List<PolicyTest> compiled = new ArrayList<>();
        for (PolicyDecl.Test t : tests) {
            compiled.add(test(t, policies, templates));
        }
        return new PolicySet(List.copyOf(policies.values()), bindings, exceptions, compiled);
    }

    private boolean unique(String what, String name, Location at, Map<String, Location> names) {
        Location first = names.putIfAbsent(what + " " + name, at);
        if (first != null) {
            reporter.report(ErrorCode.E006, at, what + " '" + name + "' is already declared at " + first, null);
            return false;
        }
        return true;
    }

    private Policy known(String name, Location at, String where, Map<String, Policy> policies) {
        Policy p = policies.get(name);
        if (p == null) {
            reporter.report(ErrorCode.E051, at, where + " names unknown policy '" + name + "'",
                    Suggest.closest(name, policies.keySet()).map(s -> "did you mean '" + s + "'?").orElse(null));
        }
        return p;
    }

    private void bindingParams(Binding b, Policy p) {
        for (Map.Entry<String, Object> e : b.params().entrySet()) {
            Object declared = p.params().get(e.getKey());
            if (declared == null) {
                reporter.report(ErrorCode.E052, b.location(), "policy '" + p.name() + "' has no parameter '"
                        + e.getKey() + "'", p.params().isEmpty() ? "it declares none"
                        : "it declares " + String.join(", ", p.params().keySet()));
            } else if (!kind(declared).equals(kind(e.getValue()))) {
                reporter.report(ErrorCode.E052, b.location(), "parameter '" + e.getKey() + "' is " + kind(declared)
                        + " in policy '" + p.name() + "', not " + kind(e.getValue()), null);
            }
        }
    }

    static String kind(Object v) {
        if (v instanceof Long) {
            return "a whole number";
        }
        if (v instanceof Double) {
            return "a decimal number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof List) {
            return "a list";
        }
        return "a string";
    }

    private PolicyTest test(PolicyDecl.Test t, Map<String, Policy> policies, List<TemplateDecl> templates) {
        List<NamespaceDecl> namespaces = new ArrayList<>();
        for (PolicyDecl.TestItem item : t.items()) {
            if (item.declaration() instanceof NamespaceDecl n) {
                namespaces.add(n);
            }
        }
        List<PolicyTest.Case> cases = new ArrayList<>();
        for (PolicyDecl.TestItem item : t.items()) {
            if (item.expect() == null) {
                continue;
            }
            for (Identifier by : item.by()) {
                if (by != null) {
                    known(by.value(), by.location(), "expect", policies);
                }
            }
            Declaration d = item.declaration();
            String ns = d instanceof ServiceDecl s ? (s.namespace() == null ? null : s.namespace().value())
                    : (d.name() == null ? null : d.name().value());
            List<KubeObject> objects = compileExample(d, namespaces, templates, ns);
            cases.add(new PolicyTest.Case(d.location(), d instanceof ServiceDecl ? "service" : "namespace", ns,
                    d.name() == null ? null : d.name().value(), objects, item.expect(),
                    item.by().stream().filter(java.util.Objects::nonNull).map(Identifier::value).toList()));
        }
        return new PolicyTest(t.name(), t.location(), cases);
    }

    /** The example as a repository of its own: the test's namespaces (or an empty one), templates, and the service. */
    private List<KubeObject> compileExample(Declaration d, List<NamespaceDecl> namespaces, List<TemplateDecl> templates,
                                            String ns) {
        List<Declaration> decls = new ArrayList<>();
        boolean declared = false;
        for (NamespaceDecl n : namespaces) {
            if (n.name() != null && n.name().value().equals(ns)) {
                decls.add(n);
                declared = true;
                break;
            }
        }
        if (!declared && ns != null) {
            decls.add(new NamespaceDecl(d.location(), new Identifier(d.location(), ns), List.of(), true));
        }
        if (d instanceof ServiceDecl) {
            decls.addAll(templates);
            decls.add(d);
        }
        Reporter nested = new Reporter(limits.maxErrorsPerFile());
        Program program = new Analyzer(nested, limits.maxDeclarations(),
                dev.capstan.dsl.CapCompiler.NODE_PORT_FIRST, dev.capstan.dsl.CapCompiler.NODE_PORT_LAST)
                .analyze(List.of(new CapFile(d.location(), decls, true)), true);
        for (Diagnostic diag : nested.diagnostics()) {
            if (diag.isError()) {
                reporter.forward(diag);
            }
        }
        return nested.hasErrors() ? List.of() : Lowering.lower(program);
    }
}
