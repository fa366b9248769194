package dev.capstan.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.ast.Location;
import dev.capstan.dsl.policy.Mode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private static final String SERVICES = """
            namespace shop { labels { env = "production" } }
            namespace dev { }
            service web in shop {
              image "capstan.local/web:latest"
              replicas 12
              port http 8080 expose 80
              resources { cpu 100m  memory 64Mi }
              labels { tier = "frontend" }
            }
            service api in dev {
              image "capstan.local/api:1.2"
              replicas 1
            }
            """;

    static CompileResult compile(String policies) {
        CompileResult r = new CapCompiler().compile(List.of(new SourceFile("services.cap", SERVICES),
                new SourceFile("policies.cap", policies)));
        assertThat(r.errors()).isEmpty();
        return r;
    }

    @Test
    void deniesWithInterpolatedMessageAndBothLocations() {
        CompileResult r = compile("""
                policy no-latest {
                  applies-to service
                  deny if service.image.endsWith(":latest")
                    message "service ${service.name}: pin ${service.image} (replicas ${service.replicas})"
                }
                """);
        Admission a = Admission.compile(r);
        assertThat(a.diagnostics()).isEmpty();
        List<Verdict> v = a.evaluate(r.objects());
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.effect()).isEqualTo(Verdict.Effect.DENY);
            assertThat(x.blocks()).isTrue();
            assertThat(x.object()).isEqualTo("shop/web");
            assertThat(x.message()).isEqualTo("service web: pin capstan.local/web:latest (replicas 12)");
            assertThat(x.objectSource()).isEqualTo(new Location("services.cap", 3, 1));
            assertThat(x.policySource()).isEqualTo(new Location("policies.cap", 3, 3));
        });
        assertThat(Verdict.diagnostics(v)).extracting(Diagnostic::toString).first().asString()
                .startsWith("error[E058] services.cap:3:1: denied by policy no-latest: service shop/web:");
    }

    @Test
    void locatesCelTypeAndSyntaxErrorsInTheCapFile() {
        CompileResult r = compile("""
                policy typo {
                  applies-to service
                  deny if service.replicas > 3 &&
                          servce.image == "x"
                }
                policy not-bool {
                  applies-to service
                  deny if service.replicas + 1
                }
                policy syntax {
                  applies-to namespace
                  deny if ns.name == ) message "bad ${ns.nmae}"
                }
                policy wrong-type {
                  applies-to service
                  params { max = 3 }
                  deny if service.image > params.max
                }
                """);
        Admission a = Admission.compile(r);
        assertThat(a.ok()).isFalse();
        assertThat(a.diagnostics()).extracting(d -> d.code() + " " + d.location()).containsExactly(
                "E056 policies.cap:4:11",
                "E056 policies.cap:8:11",
                "E055 policies.cap:12:22",
                "E056 policies.cap:12:41",
                "E056 policies.cap:17:25");
        assertThat(a.diagnostics().get(0).message()).contains("servce");
        assertThat(a.diagnostics().get(1).message()).contains("must be a bool");
        assertThat(a.policies()).isEmpty();
    }

    @Test
    void modesGiveTheirEffects() {
        CompileResult r = compile("""
                policy replicas-warn { applies-to service  mode warn  deny if service.replicas > 10 message "many" }
                policy replicas-audit { applies-to service  mode audit  deny if service.replicas < 2 message "few" }
                """);
        List<Verdict> v = Admission.compile(r).evaluate(r.objects());
        assertThat(v).extracting(x -> x.policy() + " " + x.effect() + " " + x.object() + " " + x.blocks())
                .containsExactly("replicas-audit AUDIT dev/api false", "replicas-warn WARN shop/web false");
        assertThat(v.get(1).mode()).isEqualTo(Mode.WARN);
    }

    @Test
    void paramsAreBoundPerNamespace() {
        CompileResult r = compile("""
                policy max-replicas {
                  applies-to service
                  params { max = 20 }
                  deny if service.replicas > params.max message "${service.replicas} > ${params.max}"
                }
                bind max-replicas in shop { max = 10 }
                policy registries {
                  applies-to service
                  params { allowed = ["capstan.local/"] }
                  deny if !params.allowed.exists(p, service.image.startsWith(p)) message "registry"
                }
                bind registries in dev { allowed = ["ghcr.io/"] }
                """);
        List<Verdict> v = Admission.compile(r).evaluate(r.objects());
        assertThat(v).extracting(x -> x.policy() + " " + x.object() + " " + x.message())
                .containsExactly("registries dev/api registry", "max-replicas shop/web 12 > 10");
    }

    @Test
    void exceptionsExemptNamedObjectsAndLabels() {
        String policy = """
                policy no-latest { applies-to service, deployment, pod
                  deny if object.metadata.name == "" message "x" }
                """;
        CompileResult typed = compile("""
                policy no-latest { applies-to service  deny if service.image.endsWith(":latest") message "pin" }
                policy few { applies-to service  deny if service.replicas < 2 message "few" }
                exception legacy { policy no-latest  objects ["shop/web"]  reason "until Q3" }
                exception dev-ok { policy few  match { "app" = "api" }  reason "dev has one" }
                """);
        assertThat(Admission.compile(typed).evaluate(typed.objects())).isEmpty();
        assertThat(Admission.compile(compile(policy)).diagnostics()).extracting(Diagnostic::code)
                .contains("E056"); // a service has no metadata
    }

    @Test
    void namespaceDeploymentAndPodShapes() {
        CompileResult r = compile("""
                policy prod-replicas {
                  applies-to service
                  deny if "env" in ns.labels && ns.labels["env"] == "production" && service.replicas < 20
                    message "prod"
                }
                policy ns-owner { applies-to namespace  deny if !("env" in ns.labels) message "no env" }
                policy deploy { applies-to deployment  deny if object.spec.replicas > 10 message "big" }
                policy pod { applies-to pod  deny if pod.spec.containers.exists(c, c.image.endsWith(":latest")) message "latest" }
                """);
        List<Verdict> v = Admission.compile(r).evaluate(r.objects());
        assertThat(v).extracting(x -> x.policy() + " " + x.kind() + " " + x.object()).containsExactlyInAnyOrder(
                "prod-replicas service shop/web", "ns-owner namespace dev", "deploy deployment shop/web",
                "pod pod shop/web");
    }

    @Test
    void aPathologicalPolicyIsStoppedByItsLimitsAndReportedAsItsError() {
        CompileResult r = compile("""
                policy slow {
                  applies-to service
                  deny if [1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c,
                          [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, [1,2,3,4,5,6,7,8,9,10].all(f,
                          a + b + c + d + e + f > 0))))))
                    message "never"
                }
                policy fine { applies-to service  deny if service.replicas > 10 message "many" }
                """);
        Admission a = Admission.compile(r.policies(), new Admission.Limits(Integer.MAX_VALUE, 50_000, Duration.ofSeconds(30)));
        List<Verdict> v = a.evaluate(r.objects());
        assertThat(v).extracting(x -> x.policy() + " " + x.effect() + " " + x.object()).containsExactly(
                "slow ERROR dev/api", "fine DENY shop/web");
        assertThat(v.get(0).message()).contains("cost limit");
        assertThat(v.get(0).blocks()).isTrue();

        Admission iterations = Admission.compile(r.policies(), new Admission.Limits(1_000, Long.MAX_VALUE, Duration.ofSeconds(30)));
        assertThat(iterations.evaluate(r.objects()).get(0).message()).contains("comprehension iterations");

        Admission timed = Admission.compile(r.policies(), new Admission.Limits(Integer.MAX_VALUE, Long.MAX_VALUE, Duration.ofMillis(20)));
        List<Verdict> t = timed.evaluate(r.objects());
        assertThat(t.get(0).message()).contains("time limit");
        assertThat(t).filteredOn(x -> x.policy().equals("slow")).hasSize(1); // skipped after its first failure
    }

    @Test
    void aRuntimeErrorIsThatObjectsErrorOnly() {
        CompileResult r = compile("""
                policy env { applies-to service  deny if ns.labels["env"] == "production" message "prod" }
                """);
        List<Verdict> v = Admission.compile(r).evaluate(r.objects());
        assertThat(v).extracting(x -> x.effect() + " " + x.object()).containsExactly("ERROR dev/api", "DENY shop/web");
        assertThat(v.get(0).message()).contains("env");
    }
}
