package dev.capstan.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.common.types.ListType;
import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.SourceFile;
import dev.capstan.model.KubeObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostTest {
    private static final CelCompiler CEL = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("xs", ListType.create(SimpleType.STRING))
            .addVar("n", SimpleType.INT)
            .build();

    private static long worst(String expression, long iterations) throws Exception {
        return Cost.worstCase(CEL.compile(expression).getAst().getExpr(), iterations);
    }

    @Test
    void countsEverySubExpressionAndEveryIterationOfAComprehension() throws Exception {
        assertThat(worst("n", 1000)).isEqualTo(1);
        assertThat(worst("n > 3", 1000)).isEqualTo(3); // the call, n, 3
        long one = worst("xs.exists(x, x.startsWith('a'))", 1000);
        long ten = worst("xs.exists(x, x.startsWith('a'))", 10);
        assertThat(one).isGreaterThan(1000).isLessThan(20_000);
        assertThat(one - ten).isEqualTo(990 * ((one - ten) / 990)); // linear in the iterations
        long nested = worst("xs.exists(x, xs.exists(y, x == y))", 1000);
        assertThat(nested).isGreaterThan(1_000_000);
        assertThat(worst("xs.all(a, xs.all(b, xs.all(c, xs.all(d, xs.all(e, a == e))))) ", Integer.MAX_VALUE))
                .isEqualTo(Long.MAX_VALUE); // saturates, never wraps
    }

    @Test
    void onlyExpressionsThatCouldGoOverALimitRunMetered() {
        String policies = """
                policy simple { applies-to service  deny if service.replicas > 10 message "${service.name}" }
                policy loop { applies-to service  deny if service.env.exists(k, k.startsWith("SECRET")) }
                policy nested {
                  applies-to service
                  deny if service.ports.exists(p, service.ports.exists(q, p.port == q.port && p.name != q.name))
                }
                """;
        CompileResult r = new CapCompiler().compile(List.of(new SourceFile("p.cap", policies)));
        assertThat(r.errors()).isEmpty();
        assertThat(metered(r, Admission.Limits.DEFAULT)).containsExactly("nested");
        // a 1 ms time limit: only what cannot take 1,000 steps runs unmetered
        assertThat(metered(r, new Admission.Limits(1_000, 100_000, Duration.ofMillis(1)))).containsExactly("loop", "nested");
    }

    private static List<String> metered(CompileResult r, Admission.Limits limits) {
        CelPolicies cel = new CelPolicies(limits);
        List<String> out = new ArrayList<>();
        r.policies().policies().forEach(p -> {
            List<CelPolicies.Rule> rules = cel.compile(p, "service", new ArrayList<>());
            if (rules.stream().anyMatch(CelPolicies.Rule::metered)) {
                out.add(p.name());
            }
        });
        return out;
    }

    @Test
    void aLargeRevisionIsEvaluatedOnAllCoresWithTheVerdictsInObjectOrder() {
        StringBuilder src = new StringBuilder("namespace shop { }\n");
        for (int i = 0; i < 700; i++) {
            src.append("service s").append(i).append(" in shop { image \"capstan.local/s:")
                    .append(i % 7 == 0 ? "latest" : "1.0").append("\"  replicas ").append(1 + i % 13).append(" }\n");
        }
        src.append("""
                policy no-latest { applies-to service  deny if service.image.endsWith(":latest") message "${service.name}" }
                policy few { applies-to deployment  mode warn  deny if object.spec.replicas > 11 }
                policy nested {
                  applies-to pod
                  deny if object.spec.containers.exists(a, object.spec.containers.exists(b, a.name != b.name))
                }
                """);
        CompileResult r = new CapCompiler().compile(List.of(new SourceFile("big.cap", src.toString())));
        assertThat(r.errors()).isEmpty();
        Admission a = Admission.compile(r);
        List<Verdict> all = a.evaluate(r.objects());
        List<Verdict> oneByOne = new ArrayList<>();
        for (KubeObject o : r.objects()) {
            oneByOne.addAll(a.evaluate(List.of(o)));
        }
        long many = java.util.stream.IntStream.range(0, 700).filter(i -> 1 + i % 13 > 11).count();
        assertThat(all).hasSize(100 + (int) many).isEqualTo(oneByOne);
        assertThat(all).filteredOn(v -> v.policy().equals("no-latest")).hasSize(100)
                .allSatisfy(v -> assertThat(Integer.parseInt(v.message().substring(1)) % 7).isZero());
    }
}
