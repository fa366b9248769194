package dev.capstan.engine.admission;

import dev.capstan.dsl.ast.Location;
import dev.capstan.dsl.policy.Policy;
import dev.capstan.dsl.policy.PolicyTest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs {@code test} blocks: each example is evaluated by the policies in scope (the policy the test is named
 * after, or all of them), and its verdicts are compared with its {@code expect}:
 * <ul>
 *   <li>{@code allow}: no deny, warn or audit verdict;</li>
 *   <li>{@code deny}: at least one deny ({@code by P}: one from each P);</li>
 *   <li>{@code warn}: no deny, at least one warn; {@code audit}: no deny or warn, at least one audit.</li>
 * </ul>
 * A policy error on an example fails that case. Exceptions apply as in admission.
 */
public final class PolicyTests {
    private PolicyTests() {
    }

    /**
     * One example's outcome.
     *
     * @param test     the test block's name
     * @param subject  {@code service NS/NAME} or {@code namespace NAME}
     * @param got      what the verdicts amount to: allow, deny, warn, audit or error, with the policies that gave them
     * @param problem  why it failed, or null when it passed
     */
    public record Result(String test, String subject, Location location, String expect, String got, String problem,
                         long nanos) {
        public boolean passed() {
            return problem == null;
        }
    }

    /** Runs every test of the admission's source; never throws. */
    public static List<Result> run(Admission admission) {
        Set<String> names = admission.source().policies().stream().map(Policy::name).collect(Collectors.toSet());
        List<Result> out = new ArrayList<>();
        for (PolicyTest t : admission.source().tests()) {
            Set<String> only = names.contains(t.name()) ? Set.of(t.name()) : null;
            for (PolicyTest.Case c : t.cases()) {
                long start = System.nanoTime();
                List<Verdict> verdicts = admission.evaluate(c.objects(), only).stream()
                        .filter(v -> c.kind().equals("namespace") ? v.kind().equals("namespace")
                                : !v.kind().equals("namespace"))
                        .toList();
                out.add(judge(t, c, verdicts, System.nanoTime() - start));
            }
        }
        return out;
    }

    private static Result judge(PolicyTest t, PolicyTest.Case c, List<Verdict> verdicts, long nanos) {
        String subject = c.kind().equals("service") ? "service " + c.namespace() + "/" + c.name() : "namespace " + c.name();
        Set<String> deny = by(verdicts, Verdict.Effect.DENY);
        Set<String> warn = by(verdicts, Verdict.Effect.WARN);
        Set<String> audit = by(verdicts, Verdict.Effect.AUDIT);
        Set<String> error = by(verdicts, Verdict.Effect.ERROR);
        String got = !error.isEmpty() ? "error" : !deny.isEmpty() ? "deny" : !warn.isEmpty() ? "warn"
                : !audit.isEmpty() ? "audit" : "allow";
        Set<String> gotBy = switch (got) {
            case "error" -> error;
            case "deny" -> deny;
            case "warn" -> warn;
            case "audit" -> audit;
            default -> Set.of();
        };
        String gotText = gotBy.isEmpty() ? got : got + " by " + String.join(", ", gotBy);
        String problem = null;
        if (got.equals("error")) {
            problem = verdicts.stream().filter(v -> v.effect() == Verdict.Effect.ERROR)
                    .map(v -> v.policy() + ": " + v.message()).collect(Collectors.joining("; "));
        } else if (!got.equals(c.expect())) {
            problem = "expected " + c.expect() + ", got " + gotText + messages(verdicts);
        } else if (!gotBy.containsAll(c.by())) {
            Set<String> missing = new LinkedHashSet<>(c.by());
            missing.removeAll(gotBy);
            problem = "expected " + c.expect() + " by " + String.join(", ", missing) + ", got " + gotText;
        }
        return new Result(t.name(), subject, c.location(), c.expect() + (c.by().isEmpty() ? "" : " by "
                + String.join(", ", c.by())), gotText, problem, nanos);
    }

    private static String messages(List<Verdict> verdicts) {
        return verdicts.isEmpty() ? "" : " (" + verdicts.stream().map(v -> v.policy() + ": " + v.message())
                .distinct().collect(Collectors.joining("; ")) + ")";
    }

    private static Set<String> by(List<Verdict> verdicts, Verdict.Effect effect) {
        Set<String> out = new LinkedHashSet<>();
        verdicts.stream().filter(v -> v.effect() == effect).forEach(v -> out.add(v.policy()));
        return out;
    }

    /** Aligned text, one line per example, failures with their location and reason, then a summary line. */
    public static String text(List<Result> results) {
        int test = 4;
        int subject = 7;
        int expect = 6;
        for (Result r : results) {
            test = Math.max(test, r.test().length());
            subject = Math.max(subject, r.subject().length());
            expect = Math.max(expect, r.expect().length());
        }
        StringBuilder out = new StringBuilder();
        String row = "%-4s  %-" + test + "s  %-" + subject + "s  %-" + expect + "s  %s%n";
        out.append(String.format(Locale.ROOT, row, "", "TEST", "EXAMPLE", "EXPECT", "GOT"));
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, row, r.passed() ? "ok" : "FAIL", r.test(), r.subject(), r.expect(),
                    r.got()));
            if (!r.passed()) {
                out.append("      ").append(r.location()).append(": ").append(r.problem()).append('\n');
            }
        }
        long failed = results.stream().filter(r -> !r.passed()).count();
        out.append(results.size() - failed).append(" passed, ").append(failed).append(" failed\n");
        return out.toString();
    }

    /** JUnit XML (one testsuite; a testcase per example, classname the test block). */
    public static String junitXml(List<Result> results) {
        long failed = results.stream().filter(r -> !r.passed()).count();
        double total = results.stream().mapToLong(Result::nanos).sum() / 1e9;
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append(String.format(Locale.ROOT, "<testsuites tests=\"%d\" failures=\"%d\" time=\"%.6f\">%n",
                results.size(), failed, total));
        out.append(String.format(Locale.ROOT, "  <testsuite name=\"capstan policy tests\" tests=\"%d\" failures=\"%d\""
                + " errors=\"0\" skipped=\"0\" time=\"%.6f\">%n", results.size(), failed, total));
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "    <testcase classname=\"%s\" name=\"%s\" file=\"%s\" line=\"%d\""
                    + " time=\"%.6f\"", xml(r.test()), xml(r.subject() + " expect " + r.expect()),
                    xml(r.location().path()), r.location().line(), r.nanos() / 1e9));
            if (r.passed()) {
                out.append("/>\n");
            } else {
                out.append(">\n      <failure message=\"").append(xml(r.problem())).append("\" type=\"expectation\">")
                        .append(xml(r.location() + ": " + r.problem())).append("</failure>\n    </testcase>\n");
            }
        }
        out.append("  </testsuite>\n</testsuites>\n");
        return out.toString();
    }

    private static String xml(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c == '\n' || c == '\t' || c >= 0x20) {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }
}
