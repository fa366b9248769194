package dev.capstan.engine.admission;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelVariableResolver;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.Severity;
import dev.capstan.dsl.ast.Location;
import dev.capstan.dsl.policy.CelSource;
import dev.capstan.dsl.policy.Message;
import dev.capstan.dsl.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** CEL for policies: one compiler per policy and kind (the kind's variables and the policy's params), one runtime. */
final class CelPolicies {
    /**
     * The slowest a step is assumed to be when deciding that an expression cannot reach the time limit either
     * (measured steps take 20–100 ns on this project's 2-core machines; a regex on a long string can take more).
     */
    private static final long STEP_NANOS = 1_000;

    private final CelRuntime runtime;
    private final CelOptions options;
    private final Admission.Limits limits;

    CelPolicies(Admission.Limits limits) {
        this.limits = limits;
        options = CelOptions.current().comprehensionMaxIterations(limits.maxIterations())
                .enableHeterogeneousNumericComparisons(true).build();
        runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(options).build();
    }

    /**
     * One compiled expression.
     *
     * @param metered whether its worst case can go over the step or time limit, so that it must run under a
     *                {@link Budget} (see {@link Cost})
     */
    record Expr(CelSource source, CelRuntime.Program program, boolean metered) {
        Object evaluate(CelVariableResolver vars, Budget budget) throws CelEvaluationException {
            return metered ? program.trace(vars, budget) : program.eval(vars);
        }
    }

    /**
     * A rule compiled for one kind.
     *
     * @param metered whether the condition or a part of the message runs under the meter (worked out once: it
     *                is asked on every evaluation)
     */
    record Rule(Policy.Rule rule, Expr condition, List<Object> message, boolean metered) {
        Rule(Policy.Rule rule, Expr condition, List<Object> message) {
            this(rule, condition, message, condition != null && (condition.metered()
                    || message.stream().anyMatch(p -> p instanceof Expr e && e.metered())));
        }
    }

    /** Compiles every rule of the policy for the kind; null (with diagnostics added) when anything fails. */
    List<Rule> compile(Policy policy, String kind, List<Diagnostic> diagnostics) {
        StructType params = Shapes.params(policy.name(), policy.params());
        CelType type = Shapes.KINDS.get(kind);
        var builder = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setTypeProvider(Shapes.provider(params))
                .addVar(variable(kind), type)
                .addVar("object", type)
                .addVar("params", params);
        if (!kind.equals("namespace")) {
            builder.addVar("ns", Shapes.NAMESPACE);
        }
        CelCompiler compiler = builder.build();
        List<Rule> rules = new ArrayList<>();
        boolean ok = true;
        for (Policy.Rule r : policy.rules()) {
            Expr condition = expr(compiler, r.condition(), kind, true, diagnostics);
            List<Object> message = new ArrayList<>();
            for (Message.Part p : r.message().parts()) {
                if (p.literal() != null) {
                    message.add(p.literal());
                } else {
                    Expr e = expr(compiler, p.expr(), kind, false, diagnostics);
                    ok &= e != null;
                    message.add(e);
                }
            }
            ok &= condition != null;
            rules.add(new Rule(r, condition, message));
        }
        return ok ? rules : null;
    }

    private Expr expr(CelCompiler compiler, CelSource source, String kind, boolean condition,
                      List<Diagnostic> diagnostics) {
        CelValidationResult result;
        try {
            CelValidationResult parsed = compiler.parse(source.text());
            if (parsed.hasError()) {
                for (CelIssue issue : parsed.getErrors()) {
                    diagnostics.add(diag(ErrorCode.E055, at(source, issue), clean(issue.getMessage()), kind));
                }
                return null;
            }
            result = compiler.check(parsed.getAst());
        } catch (CelValidationException | RuntimeException e) {
            diagnostics.add(diag(ErrorCode.E055, source.location(), clean(e.getMessage()), kind));
            return null;
        }
        if (result.hasError()) {
            for (CelIssue issue : result.getErrors()) {
                diagnostics.add(diag(ErrorCode.E056, at(source, issue), clean(issue.getMessage()), kind));
            }
            return null;
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            CelType t = ast.getResultType();
            if (condition && !(t.equals(SimpleType.BOOL) || t.equals(SimpleType.DYN))) {
                diagnostics.add(diag(ErrorCode.E056, source.location(), "a deny condition must be a bool, got "
                        + t.name(), kind));
                return null;
            }
            long worst = Cost.worstCase(ast.getExpr(), limits.maxIterations());
            boolean metered = worst > limits.maxSteps()
                    || worst > limits.timeout().toNanos() / STEP_NANOS;
            return new Expr(source, runtime.createProgram(ast), metered);
        } catch (CelValidationException | CelEvaluationException e) {
            diagnostics.add(diag(ErrorCode.E056, source.location(), clean(e.getMessage()), kind));
            return null;
        }
    }

    private static Location at(CelSource source, CelIssue issue) {
        var loc = issue.getSourceLocation();
        if (loc == null || loc.getLine() < 1) {
            return source.location();
        }
        int line = source.location().line() + loc.getLine() - 1;
        int column = loc.getLine() == 1 ? source.location().column() + loc.getColumn() : loc.getColumn() + 1;
        return new Location(source.location().path(), line, column);
    }

    private static Diagnostic diag(ErrorCode code, Location at, String message, String kind) {
        return new Diagnostic(Severity.ERROR, code.name(), at.path(), at.line(), at.column(), message,
                "as a " + kind + " policy it sees " + variable(kind) + ", object, "
                        + (kind.equals("namespace") ? "" : "ns, ") + "params (docs/policies.md)");
    }

    /** CEL's message without its trailing container note. */
    private static String clean(String message) {
        if (message == null) {
            return "invalid expression";
        }
        return message.replace(" (in container '')", "").replaceFirst(" expecting \\{.*", "").replaceFirst("^ERROR: <input>:\\d+:\\d+: ", "");
    }

    /** The variable of a kind: its name, except {@code ns} for a namespace ({@code namespace} is reserved in CEL). */
    static String variable(String kind) {
        return kind.equals("namespace") ? "ns" : kind;
    }

    /** The variables of one evaluation, resolved without building a map (CEL would copy a map on every call). */
    static CelVariableResolver activation(String kind, Map<String, Object> object, Map<String, Object> namespace,
                                          Map<String, Object> params) {
        Optional<Object> self = Optional.of(object);
        Optional<Object> ns = kind.equals("namespace") ? self : Optional.of(namespace);
        Optional<Object> p = Optional.of(params);
        String variable = variable(kind);
        return name -> switch (name) {
            case "object" -> self;
            case "params" -> p;
            case "ns" -> ns;
            default -> name.equals(variable) ? self : Optional.empty();
        };
    }
}
