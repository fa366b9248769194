package dev.capstan.dsl.internal;

import dev.capstan.dsl.CapParser;
import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.Attribute;
import dev.capstan.dsl.ast.Declaration;
import dev.capstan.dsl.ast.Identifier;
import dev.capstan.dsl.ast.Location;
import dev.capstan.dsl.ast.PolicyDecl;
import dev.capstan.dsl.ast.StringLit;
import dev.capstan.dsl.policy.Binding;
import dev.capstan.dsl.policy.CelSource;
import dev.capstan.dsl.policy.Message;
import dev.capstan.dsl.policy.Mode;
import dev.capstan.dsl.policy.Policy;
import dev.capstan.dsl.policy.PolicyException;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.Token;

/**
 * Parse tree to {@link PolicyDecl} for {@code policy}, {@code bind}, {@code exception} and {@code test} blocks,
 * with the checks that need only the block itself (E050, E052, E053, E054). Cross-block checks are in
 * {@link PolicyChecker}.
 */
final class PolicyBuilder {
    static final Set<String> KINDS = Set.of("service", "namespace", "deployment", "pod");
    private static final Pattern CEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Map<String, String> OPERATORS = Map.of("=", "In", "!=", "NotIn", "in", "In",
            "notin", "NotIn", "exists", "Exists", "!", "DoesNotExist");

    private final AstBuilder ast;
    private final String path;
    private final Reporter reporter;

    PolicyBuilder(AstBuilder ast, String path, Reporter reporter) {
        this.ast = ast;
        this.path = path;
        this.reporter = reporter;
    }

    Declaration declaration(CapParser.DeclarationContext d) {
        if (d.policyDecl() != null) {
            CapParser.PolicyDeclContext p = d.policyDecl();
            Identifier name = ast.identifier(p.name);
            boolean ok = !ast.damaged(p) && name != null;
            return new PolicyDecl(ast.at(p.getStart()), name, ok ? policy(p, name) : null, ok);
        }
        if (d.bindDecl() != null) {
            CapParser.BindDeclContext b = d.bindDecl();
            Identifier policy = ast.identifier(b.policy);
            Identifier ns = ast.identifier(b.namespace);
            boolean ok = !ast.damaged(b) && policy != null && ns != null;
            return new PolicyDecl(ast.at(b.getStart()), policy, ok ? new Binding(policy.value(), ns.value(),
                    params(b.paramBlock()), ast.at(b.getStart())) : null, ok);
        }
        if (d.exceptionDecl() != null) {
            CapParser.ExceptionDeclContext e = d.exceptionDecl();
            Identifier name = ast.identifier(e.name);
            boolean ok = !ast.damaged(e) && name != null;
            return new PolicyDecl(ast.at(e.getStart()), name, ok ? exception(e, name) : null, ok);
        }
        CapParser.TestDeclContext t = d.testDecl();
        Identifier name = ast.identifier(t.name);
        boolean ok = !ast.damaged(t) && name != null;
        return new PolicyDecl(ast.at(t.getStart()), name, ok ? test(t, name) : null, ok);
    }

    private Policy policy(CapParser.PolicyDeclContext ctx, Identifier name) {
        String description = null;
        Set<String> kinds = new LinkedHashSet<>();
        LabelSelector match = new LabelSelector(Map.of());
        Mode mode = Mode.ENFORCE;
        Map<String, Object> params = new LinkedHashMap<>();
        List<Policy.Rule> rules = new ArrayList<>();
        for (CapParser.PolicyAttributeContext a : ctx.policyBody().policyAttribute()) {
            if (a instanceof CapParser.PolicyDescriptionAttributeContext d) {
                description = ast.string(d.value).value();
            } else if (a instanceof CapParser.PolicyAppliesToAttributeContext k) {
                for (CapParser.ObjectKindContext kind : k.kinds) {
                    if (!KINDS.contains(kind.getText())) {
                        reporter.report(ErrorCode.E050, ast.at(kind.getStart()), "unknown object kind '"
                                + kind.getText() + "'", "applies-to takes service, namespace, deployment or pod");
                    }
                    kinds.add(kind.getText());
                }
            } else if (a instanceof CapParser.PolicyMatchAttributeContext m) {
                match = selector(ast.selector(m.selector()));
            } else if (a instanceof CapParser.PolicyModeAttributeContext m) {
                Mode parsed = Mode.of(m.value.getText());
                if (parsed == null) {
                    reporter.report(ErrorCode.E050, ast.at(m.value.getStart()), "unknown mode '" + m.value.getText()
                            + "'", "enforce, warn or audit");
                } else {
                    mode = parsed;
                }
            } else if (a instanceof CapParser.PolicyParamsAttributeContext p) {
                params.putAll(params(p.paramBlock()));
            } else if (a instanceof CapParser.PolicyDenyAttributeContext r) {
                Token cond = r.condition;
                Location at = ast.at(cond);
                if (cond.getText().isBlank()) {
                    reporter.report(ErrorCode.E050, ast.at(r.getStart()), "'deny if' needs a condition",
                            "write a CEL expression: deny if service.replicas > 10 message \"...\"");
                    continue;
                }
                Message message = r.message == null
                        ? Message.literal(ast.at(r.getStart()), "denied by policy " + name.value())
                        : message(r.message);
                rules.add(new Policy.Rule(ast.at(r.getStart()), new CelSource(cond.getText(), at), message));
            }
        }
        Location at = ast.at(ctx.getStart());
        if (kinds.isEmpty()) {
            reporter.report(ErrorCode.E050, at, "policy '" + name.value() + "' has no applies-to",
                    "applies-to service (or namespace, deployment, pod)");
        }
        if (rules.isEmpty()) {
            reporter.report(ErrorCode.E050, at, "policy '" + name.value() + "' has no 'deny if' rule",
                    "deny if <CEL condition> message \"...\"");
        }
        kinds.retainAll(KINDS);
        return new Policy(name.value(), at, description, kinds, match, mode, params, rules);
    }

    private PolicyException exception(CapParser.ExceptionDeclContext ctx, Identifier name) {
        List<String> policies = new ArrayList<>();
        List<String> objects = new ArrayList<>();
        LabelSelector match = null;
        String reason = null;
        for (CapParser.ExceptionAttributeContext a : ctx.exceptionBody().exceptionAttribute()) {
            if (a instanceof CapParser.ExceptionPolicyAttributeContext p) {
                p.policies.forEach(i -> policies.add(i.getText()));
            } else if (a instanceof CapParser.ExceptionObjectsAttributeContext o) {
                for (StringLit s : ast.strings(o.stringList())) {
                    if (!s.value().matches("[^/\\s]+/[^/\\s]+")) {
                        reporter.report(ErrorCode.E053, s.location(), "'" + s.value()
                                + "' is not NAMESPACE/NAME", "for example \"shop/web\" or \"shop/*\"");
                    }
                    objects.add(s.value());
                }
            } else if (a instanceof CapParser.ExceptionMatchAttributeContext m) {
                match = selector(ast.selector(m.selector()));
            } else if (a instanceof CapParser.ExceptionReasonAttributeContext r) {
                reason = ast.string(r.value).value();
            }
        }
        Location at = ast.at(ctx.getStart());
        if (policies.isEmpty()) {
            reporter.report(ErrorCode.E053, at, "exception '" + name.value() + "' names no policy",
                    "policy NAME (several: policy a, b)");
        }
        if (objects.isEmpty() && (match == null || match.isEmpty())) {
            reporter.report(ErrorCode.E053, at, "exception '" + name.value() + "' exempts nothing",
                    "objects [\"namespace/name\"] or match { label = \"value\" }");
        }
        if (reason == null || reason.isBlank()) {
            reporter.report(ErrorCode.E053, at, "exception '" + name.value() + "' has no reason",
                    "reason \"why, and until when\": reviewers read it");
        }
        return new PolicyException(name.value(), at, policies, objects, match, reason == null ? "" : reason);
    }

    private PolicyDecl.Test test(CapParser.TestDeclContext ctx, Identifier name) {
        List<PolicyDecl.TestItem> items = new ArrayList<>();
        for (CapParser.TestCaseContext c : ctx.testBody().testCase()) {
            Declaration decl = c.namespaceDecl() != null ? ast.namespace(c.namespaceDecl()) : ast.service(c.serviceDecl());
            CapParser.ExpectationContext e = c.expectation();
            if (e == null) {
                items.add(new PolicyDecl.TestItem(decl, null, null, List.of()));
                continue;
            }
            String verdict = e.verdict.getText();
            if (!List.of("allow", "deny", "warn", "audit").contains(verdict)) {
                reporter.report(ErrorCode.E054, ast.at(e.verdict.getStart()), "expect takes allow, deny, warn or audit, got '"
                        + verdict + "'", null);
            }
            if (verdict.equals("allow") && !e.policies.isEmpty()) {
                reporter.report(ErrorCode.E054, ast.at(e.getStart()), "'expect allow' takes no 'by'", null);
            }
            List<Identifier> by = new ArrayList<>();
            e.policies.forEach(i -> by.add(ast.identifier(i)));
            items.add(new PolicyDecl.TestItem(decl, verdict, ast.at(e.getStart()), by));
        }
        return new PolicyDecl.Test(name.value(), ast.at(ctx.getStart()), items);
    }

    private Map<String, Object> params(CapParser.ParamBlockContext ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (CapParser.ParamContext p : ctx.param()) {
            String key = p.key.getText();
            Location at = ast.at(p.getStart());
            if (!CEL_NAME.matcher(key).matches()) {
                reporter.report(ErrorCode.E052, at, "invalid parameter name '" + key + "'",
                        "CEL names use letters, digits and '_': " + key.replace('-', '_'));
                continue;
            }
            if (out.containsKey(key)) {
                reporter.report(ErrorCode.E012, at, "duplicate parameter '" + key + "'", null);
                continue;
            }
            Object value = value(p.value);
            if (value != null) {
                out.put(key, value);
            }
        }
        return out;
    }

    private Object value(CapParser.ParamValueContext v) {
        Token t = v.getStart();
        Location at = ast.at(t);
        if (v.stringList() != null) {
            return ast.strings(v.stringList()).stream().map(StringLit::value).toList();
        }
        if (v.identifier() != null) {
            if (t.getText().equals("true") || t.getText().equals("false")) {
                return Boolean.valueOf(t.getText());
            }
            reporter.report(ErrorCode.E052, at, "a parameter is a string, number, quantity, true, false or a list "
                    + "of strings, got '" + t.getText() + "'", "quote it: \"" + t.getText() + "\"");
            return null;
        }
        String text = t.getText();
        try {
            switch (t.getType()) {
                case CapParser.STRING:
                    return ast.string(t).value();
                case CapParser.NUMBER:
                    return text.contains(".") ? (Object) Double.valueOf(text) : (Object) Long.valueOf(text);
                default:
                    if (text.endsWith("m") && !text.endsWith("Mi")) {
                        return Quantity.parseCpuMillis(text);
                    }
                    String unit = text.replaceAll("^-?[0-9.]+", "");
                    if (!Quantities.MEMORY_UNITS.contains(unit)) {
                        throw new IllegalArgumentException("unit");
                    }
                    return Quantity.parseBytes(text);
            }
        } catch (IllegalArgumentException e) {
            reporter.report(ErrorCode.E052, at, "invalid parameter value '" + text + "'",
                    "quantities are cpu (100m, as millicores) or memory (512Mi, as bytes)");
            return null;
        }
    }

    private static LabelSelector selector(List<Attribute.Requirement> requirements) {
        List<LabelSelector.Requirement> out = new ArrayList<>();
        for (Attribute.Requirement r : requirements) {
            out.add(new LabelSelector.Requirement(r.key(), OPERATORS.get(r.operator()),
                    r.values().stream().map(StringLit::value).toList()));
        }
        return new LabelSelector(Map.of(), out);
    }

    /** {@code "text ${expr} text"}: literal parts unescaped, each expression located at its first character. */
    Message message(Token t) {
        String raw = t.getText();
        Location start = ast.at(t);
        List<Message.Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 1;
        int end = raw.length() - 1;
        while (i < end) {
            if (raw.startsWith("${", i)) {
                int close = raw.indexOf('}', i + 2);
                if (close < 0 || close >= end) {
                    reporter.report(ErrorCode.E050, path, start.line(), start.column() + raw.codePointCount(0, i),
                            "'${' without its '}' in a message", "write ${expression}, or $${ for a literal '${'");
                    break;
                }
                if (literal.length() > 0) {
                    parts.add(new Message.Part(Strings.unquote("\"" + literal + "\"", (o, e) -> { }), null));
                    literal.setLength(0);
                }
                String inner = raw.substring(i + 2, close);
                String expr = Strings.unquote("\"" + inner + "\"", (o, e) -> { });
                Location exprAt = new Location(path, start.line(), start.column() + raw.codePointCount(0, i + 2));
                parts.add(new Message.Part(null, new CelSource(expr, exprAt)));
                i = close + 1;
            } else if (raw.startsWith("$${", i)) {
                literal.append("${");
                i += 3;
            } else {
                literal.append(raw.charAt(i));
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(new Message.Part(Strings.unquote("\"" + literal + "\"", (o, e) -> { }), null));
        }
        return new Message(start, parts);
    }
}
