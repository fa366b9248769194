package dev.capstan.dsl.internal;

import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.Attribute;
import dev.capstan.dsl.ast.Identifier;
import dev.capstan.dsl.ast.ServiceDecl;
import dev.capstan.dsl.ast.TemplateDecl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Templates and {@code extends}: declares templates (E004, E006), merges a service's template chain into
 * its attributes, and reports unknown templates (E023), cycles (E022, once, at the {@code extends} that
 * closes the cycle) and unused templates (W004). An attribute of the extending block replaces every
 * attribute of the same keyword it inherits. One instance per compilation.
 */
final class Templates {
    private final Analyzer analyzer;
    private final Reporter reporter;
    private final boolean complete;
    private final Map<String, TemplateDecl> byName = new LinkedHashMap<>();
    private final Map<String, List<Attribute>> resolved = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    /** @param complete true when every file was read whole, so that an unknown name is certainly unknown */
    Templates(Analyzer analyzer, boolean complete) {
        this.analyzer = analyzer;
        this.reporter = analyzer.reporter();
        this.complete = complete;
    }

    void declare(TemplateDecl t) {
        if (t.name() == null || !analyzer.name(t.name(), "template")) {
            return;
        }
        TemplateDecl first = byName.putIfAbsent(t.name().value(), t);
        if (first != null) {
            reporter.report(ErrorCode.E006, t.name().location(), "template '" + t.name().value()
                    + "' is already declared at " + first.name().location(), "declare each template once");
        }
    }

    /** The service with its template's attributes merged in, or as it is when it extends nothing. */
    ServiceDecl apply(ServiceDecl s) {
        if (s.template() == null) {
            return s;
        }
        TemplateDecl t = find(s.template());
        if (t == null) {
            // an unknown template may have set the image: the service's own check would only repeat the error
            return s.asIncomplete();
        }
        ServiceDecl merged = s.withAttributes(merge(resolve(t, new ArrayList<>()), s.attributes()));
        return whole(t) ? merged : merged.asIncomplete();
    }

    /** False when the chain from {@code t} up reaches an unknown template or goes round a cycle. */
    private boolean whole(TemplateDecl t) {
        Set<String> seen = new HashSet<>();
        for (TemplateDecl c = t; c.parent() != null; c = byName.get(c.parent().value())) {
            if (!seen.add(c.name().value()) || !byName.containsKey(c.parent().value())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks the templates no service reached (cycles, unknown parents), then reports W004 for each template
     * that nothing extends.
     */
    void finish() {
        for (TemplateDecl t : byName.values()) {
            resolve(t, new ArrayList<>());
        }
        if (!complete) {
            return;
        }
        for (TemplateDecl t : byName.values()) {
            if (!used.contains(t.name().value())) {
                reporter.report(ErrorCode.W004, t.name().location(), "template '" + t.name().value()
                        + "' is not used, so its attributes are not checked", "extend it: service NAME in "
                        + "NAMESPACE extends " + t.name().value() + " { ... }, or remove it");
            }
        }
    }

    private TemplateDecl find(Identifier name) {
        TemplateDecl t = byName.get(name.value());
        if (t != null) {
            used.add(name.value());
        } else if (complete) {
            String declare = "declare it: template " + name.value() + " { ... }";
            reporter.report(ErrorCode.E023, name.location(), "unknown template '" + name.value() + "'",
                    Suggest.closest(name.value(), byName.keySet()).map(m -> "did you mean '" + m + "'?")
                            .orElse(declare));
        }
        return t;
    }

    private List<Attribute> resolve(TemplateDecl t, List<TemplateDecl> chain) {
        String name = t.name().value();
        List<Attribute> done = resolved.get(name);
        if (done != null) {
            return done;
        }
        chain.add(t);
        List<Attribute> inherited = List.of();
        if (t.parent() != null) {
            TemplateDecl parent = find(t.parent());
            if (parent != null && chain.contains(parent)) {
                List<String> names = new ArrayList<>();
                for (TemplateDecl c : chain.subList(chain.indexOf(parent), chain.size())) {
                    names.add(c.name().value());
                }
                names.add(parent.name().value());
                reporter.report(ErrorCode.E022, t.parent().location(), "template cycle: "
                        + String.join(" extends ", names), "a template cannot extend itself; remove one 'extends'");
            } else if (parent != null) {
                inherited = resolve(parent, chain);
            }
        }
        chain.remove(chain.size() - 1);
        List<Attribute> merged = merge(inherited, t.attributes());
        resolved.put(name, merged);
        return merged;
    }

    /** {@code own} after those {@code inherited} attributes whose keyword {@code own} does not set. */
    private static List<Attribute> merge(List<Attribute> inherited, List<Attribute> own) {
        Set<String> overridden = new HashSet<>();
        for (Attribute a : own) {
            overridden.add(a.keyword());
        }
        List<Attribute> out = new ArrayList<>();
        for (Attribute a : inherited) {
            if (!overridden.contains(a.keyword())) {
                out.add(a);
            }
        }
        out.addAll(own);
        return out;
    }
}
