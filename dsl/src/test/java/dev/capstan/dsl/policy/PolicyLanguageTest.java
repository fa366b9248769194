package dev.capstan.dsl.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.ast.Location;
import dev.capstan.model.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyLanguageTest {
    private static final String POLICY = """
            policy max-replicas {
              description "Not too many replicas"
              applies-to service, deployment
              match { tier = "web" }
              mode warn
              params { max = 10  registries = ["a.io", "b.io"]  ceiling = 2Gi  on = true }
              deny if service.replicas > params.max &&   # a comment
                      service.name != "x"
                message "service ${service.name} asks for ${service.replicas}, more than ${params.max}"
              deny if service.image == "" }

            bind max-replicas in prod { max = 20 }

            exception legacy {
              policy max-replicas
              objects ["shop/batch", "tools/*"]
              match { legacy = "true" }
              reason "scaled by hand until Q3"
            }
            """;

    private static CompileResult compile(String text) {
        return new CapCompiler().compile(List.of(new SourceFile("p.cap", text)));
    }

    @Test
    void parsesAPolicyWithExactConditionLocations() {
        CompileResult r = compile(POLICY);
        assertThat(r.diagnostics()).isEmpty();
        Policy p = r.policies().policies().get(0);
        assertThat(p.name()).isEqualTo("max-replicas");
        assertThat(p.mode()).isEqualTo(Mode.WARN);
        assertThat(p.appliesTo()).containsExactlyInAnyOrder("service", "deployment");
        assertThat(p.match().matches(Map.of("tier", "web"))).isTrue();
        assertThat(p.params()).containsEntry("max", 10L).containsEntry("registries", List.of("a.io", "b.io"))
                .containsEntry("ceiling", 2L << 30).containsEntry("on", true);
        Policy.Rule first = p.rules().get(0);
        assertThat(first.condition().location()).isEqualTo(new Location("p.cap", 7, 11));
        assertThat(first.condition().text()).startsWith("service.replicas > params.max &&").endsWith("service.name != \"x\"")
                .doesNotContain("comment");
        assertThat(first.condition().at(first.condition().text().indexOf("service.name")))
                .isEqualTo(new Location("p.cap", 8, 11));
        Message m = first.message();
        assertThat(m.parts()).hasSize(6);
        assertThat(m.parts().get(0).literal()).isEqualTo("service ");
        assertThat(m.parts().get(1).expr().text()).isEqualTo("service.name");
        assertThat(m.parts().get(1).expr().location()).isEqualTo(new Location("p.cap", 9, 24));
        Policy.Rule second = p.rules().get(1);
        assertThat(second.condition().text()).isEqualTo("service.image == \"\"");
        assertThat(second.message().parts().get(0).literal()).isEqualTo("denied by policy max-replicas");
    }

    @Test
    void parsesBindingsAndExceptions() {
        CompileResult r = compile(POLICY);
        assertThat(r.policies().bindings()).singleElement().satisfies(b -> {
            assertThat(b.namespace()).isEqualTo("prod");
            assertThat(b.params()).containsEntry("max", 20L);
        });
        PolicyException e = r.policies().exceptions().get(0);
        assertThat(e.covers("shop", "batch", Map.of())).isTrue();
        assertThat(e.covers("tools", "anything", Map.of())).isTrue();
        assertThat(e.covers("shop", "web", Map.of("legacy", "true"))).isTrue();
        assertThat(e.covers("shop", "web", Map.of())).isFalse();
        assertThat(e.covers("shop", "batch-7f9c-x", Map.of("app", "batch"))).isTrue();
    }

    @Test
    void compilesTestExamplesToObjects() {
        CompileResult r = compile(POLICY + """
                test max-replicas {
                  namespace prod { labels { env = "production" } }
                  service big in prod { image "x:1"  replicas 30  labels { tier = "web" } } expect warn by max-replicas
                  service small in t { image "x:1" } expect allow
                }
                """);
        assertThat(r.diagnostics()).isEmpty();
        PolicyTest t = r.policies().tests().get(0);
        assertThat(t.cases()).hasSize(2);
        PolicyTest.Case big = t.cases().get(0);
        assertThat(big.expect()).isEqualTo("warn");
        assertThat(big.by()).containsExactly("max-replicas");
        assertThat(big.objects()).anySatisfy(o -> assertThat(o).isInstanceOf(Deployment.class));
        assertThat(big.objects().get(0).metadata().labels()).containsEntry("env", "production");
        assertThat(t.cases().get(1).namespace()).isEqualTo("t");
    }

    @Test
    void reportsPolicyMistakesAtTheirLocation() {
        CompileResult r = compile("""
                policy p {
                  applies-to services
                  mode strict
                  params { max-count = 3 }
                  deny if message "x"
                }
                bind q in prod { max = 1 }
                bind p in prod { other = 1 }
                exception e { policy p }
                test p {
                  service s in t { image "x:1" } expect denied
                }
                """);
        assertThat(r.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                "error[E050] p.cap:1:1: policy 'p' has no 'deny if' rule (hint: deny if <CEL condition> message \"...\")",
                "error[E050] p.cap:2:14: unknown object kind 'services' (hint: applies-to takes service, namespace, deployment or pod)",
                "error[E050] p.cap:3:8: unknown mode 'strict' (hint: enforce, warn or audit)",
                "error[E052] p.cap:4:12: invalid parameter name 'max-count' (hint: CEL names use letters, digits and '_': max_count)",
                "error[E050] p.cap:5:3: 'deny if' needs a condition (hint: write a CEL expression: deny if service.replicas > 10 message \"...\")",
                "error[E051] p.cap:7:1: bind names unknown policy 'q' (hint: did you mean 'p'?)",
                "error[E052] p.cap:8:1: policy 'p' has no parameter 'other' (hint: it declares none)",
                "error[E053] p.cap:9:1: exception 'e' exempts nothing (hint: objects [\"namespace/name\"] or match { label = \"value\" })",
                "error[E053] p.cap:9:1: exception 'e' has no reason (hint: reason \"why, and until when\": reviewers read it)",
                "error[E054] p.cap:11:41: expect takes allow, deny, warn or audit, got 'denied'");
    }

    @Test
    void policyWordsStayUsableAsNames() {
        CompileResult r = compile("""
                namespace test { }
                service policy in test { image "x:1"  labels { match = "mode" } }
                """);
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.objects()).isNotEmpty();
    }
}
