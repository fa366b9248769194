package dev.capstan.engine.admission;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelVariableResolver;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.ast.Location;
import dev.capstan.dsl.policy.Binding;
import dev.capstan.dsl.policy.Policy;
import dev.capstan.dsl.policy.PolicyException;
import dev.capstan.dsl.policy.PolicySet;
import dev.capstan.model.KubeObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Admission: the policies of one revision, type-checked and compiled once, evaluated over objects.
 *
 * <pre>
 * Admission admission = Admission.compile(result.policies());   // CEL checked; errors in diagnostics()
 * List&lt;Verdict&gt; verdicts = admission.evaluate(result.objects());
 * boolean rejected = verdicts.stream().anyMatch(Verdict::blocks);
 * </pre>
 *
 * <p>Immutable after {@link #compile}; {@link #evaluate} is thread-safe and never throws for a policy's
 * failure: a CEL runtime error, or going over the cost or time limit of {@link Limits}, is that policy's
 * {@link Verdict.Effect#ERROR} verdict on that object; a policy over a limit is not run again in that call. Only
 * expressions whose worst case could go over a limit run under the meter ({@link Cost}). A policy with a compile
 * error is left out (its diagnostics say why); callers treat {@code !ok()} as a broken revision.
 */
public final class Admission {

    /**
     * Bounds on one evaluation of one rule on one object.
     *
     * @param maxIterations iterations of one comprehension ({@code all}, {@code exists}, {@code map}, ...)
     * @param maxSteps      sub-expression evaluations (the cost)
     * @param timeout       wall-clock time
     */
    public record Limits(int maxIterations, long maxSteps, Duration timeout) {
        /** 1,000 iterations, 100,000 steps, 100 ms. */
        public static final Limits DEFAULT = new Limits(1_000, 100_000, Duration.ofMillis(100));
    }

    private final PolicySet source;
    private final List<Diagnostic> diagnostics;
    private final List<Compiled> compiled;
    private final Limits limits;
    /** The kinds some compiled policy applies to: views of other kinds are never built. */
    private final Set<String> kinds;

    /** One policy compiled for each kind it applies to. */
    record Compiled(Policy policy, Map<String, List<CelPolicies.Rule>> byKind, Map<String, Map<String, Object>> params,
                    List<PolicyException> exceptions) {
        Map<String, Object> paramsFor(String namespace) {
            Map<String, Object> p = params.get(namespace);
            return p != null ? p : params.get("");
        }
    }

    private Admission(PolicySet source, List<Diagnostic> diagnostics, List<Compiled> compiled, Limits limits) {
        this.source = source;
        this.diagnostics = List.copyOf(diagnostics);
        this.compiled = List.copyOf(compiled);
        this.limits = limits;
        Set<String> k = new HashSet<>();
        compiled.forEach(c -> k.addAll(c.byKind().keySet()));
        this.kinds = Set.copyOf(k);
    }

    /** The policies of a compile result (see {@link #compile(PolicySet, Limits)}). */
    public static Admission compile(CompileResult result) {
        return compile(result.policies(), Limits.DEFAULT);
    }

    public static Admission compile(PolicySet policies) {
        return compile(policies, Limits.DEFAULT);
    }

    /**
     * Type-checks and compiles every CEL expression of the set, the policies side by side on all cores (each
     * has compilers of its own); never throws. Diagnostics come in policy order.
     */
    public static Admission compile(PolicySet policies, Limits limits) {
        CelPolicies cel = new CelPolicies(limits);
        record One(Compiled compiled, List<Diagnostic> diagnostics) {
        }
        List<One> each = policies.policies().parallelStream().map(p -> {
            List<Diagnostic> diagnostics = new ArrayList<>();
            return new One(compile(cel, p, policies, diagnostics), diagnostics);
        }).toList();
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<Compiled> out = new ArrayList<>();
        for (One one : each) {
            diagnostics.addAll(one.diagnostics());
            if (one.compiled() != null) {
                out.add(one.compiled());
            }
        }
        return new Admission(policies, dedupe(diagnostics), out, limits);
    }

    /** One policy for every kind it applies to, with its bindings and exceptions; null when CEL failed. */
    private static Compiled compile(CelPolicies cel, Policy p, PolicySet policies, List<Diagnostic> diagnostics) {
        Map<String, List<CelPolicies.Rule>> byKind = new LinkedHashMap<>();
        boolean ok = true;
        for (String kind : p.appliesTo().stream().sorted().toList()) {
            List<CelPolicies.Rule> rules = cel.compile(p, kind, diagnostics);
            ok &= rules != null;
            byKind.put(kind, rules);
        }
        if (!ok) {
            return null;
        }
        Map<String, Map<String, Object>> params = new HashMap<>();
        params.put("", p.params());
        for (Binding b : policies.bindings()) {
            if (b.policy().equals(p.name())) {
                Map<String, Object> merged = new HashMap<>(params.getOrDefault(b.namespace(), p.params()));
                merged.putAll(b.params());
                params.put(b.namespace(), merged);
            }
        }
        List<PolicyException> exceptions = policies.exceptions().stream()
                .filter(e -> e.policies().contains(p.name())).toList();
        return new Compiled(p, byKind, params, exceptions);
    }

    /** The same diagnostic reported for two kinds of one policy is reported once. */
    private static List<Diagnostic> dedupe(List<Diagnostic> diagnostics) {
        return List.copyOf(new java.util.LinkedHashSet<>(diagnostics));
    }

    /** Every CEL error, located in its {@code .cap} file; empty when all policies compiled. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    public boolean ok() {
        return diagnostics.stream().noneMatch(Diagnostic::isError);
    }

    /** The policy blocks this was compiled from. */
    public PolicySet source() {
        return source;
    }

    /** Names of the policies that compiled. */
    public List<String> policies() {
        return compiled.stream().map(c -> c.policy().name()).toList();
    }

    /**
     * Evaluates every policy on the objects of one revision (Namespaces, Deployments, Services as compiled): a
     * Deployment is seen as a {@code service} (as written, with its Service's ports), as a {@code deployment}, and
     * its pod template as a {@code pod}; a Namespace as a {@code namespace}. Verdicts in object order, then policy
     * order.
     */
    public List<Verdict> evaluate(Collection<? extends KubeObject> objects) {
        return evaluate(Subjects.of(objects, kinds), null, null);
    }

    /** Like {@link #evaluate(Collection)} with only the named policies (all when {@code only} is null). */
    public List<Verdict> evaluate(Collection<? extends KubeObject> objects, Set<String> only) {
        return evaluate(Subjects.of(objects, kinds), only, null);
    }

    /**
     * Told the time of each evaluation (one policy's rules on one object): for benchmarks and metrics. Called from
     * the evaluating threads, several at once when a revision is large: implementations must be thread-safe.
     */
    @FunctionalInterface
    public interface Timings {
        void evaluated(String policy, String kind, long nanos);
    }

    /** Like {@link #evaluate(Collection)}, telling {@code timings} how long each evaluation took. */
    public List<Verdict> evaluate(Collection<? extends KubeObject> objects, Timings timings) {
        return evaluate(Subjects.of(objects, kinds), null, timings);
    }

    /**
     * Evaluates the pod policies on one pod written to the API, in its raw Kubernetes JSON (so fields the model
     * does not keep, such as {@code securityContext}, are seen), in a namespace with these labels.
     */
    public List<Verdict> evaluatePod(Map<String, Object> podJson, Map<String, String> namespaceLabels) {
        return evaluate(List.of(Subjects.pod(podJson, namespaceLabels)), null, null);
    }

    /** Subjects per task when a revision is evaluated on several cores. */
    private static final int CHUNK = 256;

    /**
     * Evaluates in chunks of subjects on all cores (a revision of 10,000 services is 30,000 subjects); the
     * verdicts come back in subject order, as if evaluated one by one.
     */
    private List<Verdict> evaluate(List<Subjects.Subject> subjects, Set<String> only, Timings timings) {
        Set<String> tripped = ConcurrentHashMap.newKeySet();
        if (subjects.size() <= CHUNK) {
            List<Verdict> verdicts = new ArrayList<>();
            evaluate(subjects, only, timings, tripped, verdicts);
            return verdicts;
        }
        int chunks = (subjects.size() + CHUNK - 1) / CHUNK;
        List<List<Verdict>> parts = IntStream.range(0, chunks).parallel().mapToObj(i -> {
            List<Verdict> part = new ArrayList<>();
            evaluate(subjects.subList(i * CHUNK, Math.min(subjects.size(), (i + 1) * CHUNK)), only, timings, tripped,
                    part);
            return part;
        }).toList();
        List<Verdict> verdicts = new ArrayList<>();
        parts.forEach(verdicts::addAll);
        return verdicts;
    }

    private void evaluate(List<Subjects.Subject> subjects, Set<String> only, Timings timings, Set<String> tripped,
                          List<Verdict> verdicts) {
        long timeout = limits.timeout().toNanos();
        for (Subjects.Subject s : subjects) {
            for (Compiled c : compiled) {
                Policy p = c.policy();
                List<CelPolicies.Rule> rules = c.byKind().get(s.kind());
                if (rules == null || (only != null && !only.contains(p.name())) || tripped.contains(p.name())) {
                    continue;
                }
                long started = timings == null ? 0 : System.nanoTime();
                if (!p.match().isEmpty() && !p.match().matches(s.labels())) {
                    continue;
                }
                if (exempt(c, s)) {
                    continue;
                }
                CelVariableResolver vars = CelPolicies.activation(s.kind(), s.view(), s.namespace(),
                        c.paramsFor(s.namespaceName()));
                for (CelPolicies.Rule r : rules) {
                    Budget budget = r.metered() ? new Budget(limits.maxSteps(), System.nanoTime() + timeout) : null;
                    try {
                        Object result = r.condition().evaluate(vars, budget);
                        if (!(result instanceof Boolean)) {
                            throw new IllegalStateException("the condition gave " + result + ", not a bool");
                        }
                        if ((Boolean) result) {
                            String message = message(r, vars, budget);
                            verdicts.add(verdict(c, r, s, effect(p), message));
                        }
                    } catch (CelEvaluationException | RuntimeException | Budget.Exceeded e) {
                        String failure = failure(e);
                        verdicts.add(verdict(c, r, s, Verdict.Effect.ERROR, failure));
                        if (failure.startsWith("over its")) {
                            tripped.add(p.name()); // a runaway policy is not run again in this call
                        }
                        break;
                    }
                }
                if (timings != null) {
                    timings.evaluated(p.name(), s.kind(), System.nanoTime() - started);
                }
            }
        }
    }

    private static boolean exempt(Compiled c, Subjects.Subject s) {
        for (PolicyException e : c.exceptions()) {
            if (e.covers(s.namespaceName(), s.name(), s.labels())) {
                return true;
            }
        }
        return false;
    }

    private static String message(CelPolicies.Rule r, CelVariableResolver vars, Budget budget)
            throws CelEvaluationException {
        StringBuilder out = new StringBuilder();
        for (Object part : r.message()) {
            if (part instanceof String literal) {
                out.append(literal);
            } else {
                out.append(text(((CelPolicies.Expr) part).evaluate(vars, budget)));
            }
        }
        return out.toString();
    }

    private static String text(Object value) {
        if (value instanceof Collection<?> list) {
            return list.stream().map(Admission::text).toList().toString();
        }
        return String.valueOf(value);
    }

    private static String failure(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof Budget.Exceeded)) {
            t = t.getCause();
        }
        if (t instanceof Budget.Exceeded) {
            return t.getMessage();
        }
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        java.util.regex.Matcher budget = java.util.regex.Pattern.compile("Iteration budget exceeded: (\\d+)").matcher(m);
        if (budget.find()) {
            return "over its cost limit (" + budget.group(1) + " comprehension iterations)";
        }
        return "evaluation failed: " + m.replaceFirst("^evaluation error( at <input>:\\d+)?: ", "");
    }

    private static Verdict.Effect effect(Policy p) {
        return switch (p.mode()) {
            case ENFORCE -> Verdict.Effect.DENY;
            case WARN -> Verdict.Effect.WARN;
            case AUDIT -> Verdict.Effect.AUDIT;
        };
    }

    private static Verdict verdict(Compiled c, CelPolicies.Rule r, Subjects.Subject s, Verdict.Effect effect,
                                   String message) {
        Location policyAt = r.rule().location();
        return new Verdict(c.policy().name(), c.policy().mode(), effect, s.kind(), s.namespaceName(), s.name(),
                message, s.source(), policyAt);
    }
}
