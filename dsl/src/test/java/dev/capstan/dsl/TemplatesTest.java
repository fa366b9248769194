package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.Deployment;
import dev.capstan.model.PodSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Templates: {@code template NAME [extends T] { ... }} and {@code service S in N extends T { ... }}. */
class TemplatesTest {

    private static CompileResult compile(String... texts) {
        List<SourceFile> files = new java.util.ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            files.add(new SourceFile("f" + i + ".cap", texts[i]));
        }
        return new CapCompiler().compile(files);
    }

    private static Deployment deployment(CompileResult r, String name) {
        return r.objects().stream().filter(o -> o instanceof Deployment && o.metadata().name().equals(name))
                .map(Deployment.class::cast).findFirst().orElseThrow();
    }

    @Test
    void aServiceInheritsAndOverridesByKeywordAcrossFilesAndChains() {
        CompileResult r = compile("""
                template base {
                  image    "registry/app:1"
                  replicas 2
                  port http 8080
                  tolerate dedicated = "apps" effect no-schedule
                }
                template web extends base {
                  replicas 3
                  liveness http "/healthz" port http
                }
                """, """
                namespace shop { }
                service front in shop extends web {
                  image "registry/front:2"
                }
                service api in shop extends base {
                  port grpc 9090
                }
                """);
        assertThat(r.diagnostics()).isEmpty();
        Deployment front = deployment(r, "front");
        PodSpec pod = front.spec().template().spec();
        assertThat(front.spec().replicas()).isEqualTo(3);
        assertThat(pod.containers().get(0).image()).isEqualTo("registry/front:2");
        assertThat(pod.containers().get(0).ports()).extracting(p -> p.name()).containsExactly("http");
        assertThat(pod.containers().get(0).livenessProbe().httpGet().port()).isEqualTo("http");
        assertThat(pod.tolerations()).hasSize(1);
        Deployment api = deployment(r, "api");
        assertThat(api.spec().replicas()).isEqualTo(2);
        assertThat(api.spec().template().spec().containers().get(0).ports()).extracting(p -> p.name())
                .containsExactly("grpc");
        assertThat(front.metadata().annotations().get("capstan.dev/source")).isEqualTo("f1.cap:2");
    }

    @Test
    void anUnknownTemplateIsAnErrorAtItsNameWithASuggestion() {
        CompileResult r = compile("namespace n { }\ntemplate base { image \"i\" }\nservice s in n extends bsae { }\n");
        assertThat(r.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                "warning[W004] f0.cap:2:10: template 'base' is not used, so its attributes are not checked (hint: "
                        + "extend it: service NAME in NAMESPACE extends base { ... }, or remove it)",
                "error[E023] f0.cap:3:24: unknown template 'bsae' (hint: did you mean 'base'?)");
    }

    @Test
    void aCycleIsReportedOnceWhereItCloses() {
        CompileResult r = compile("namespace n { }\ntemplate a extends b { image \"i\" }\ntemplate b extends a { }\n"
                + "service s in n extends a { }\nservice t in n extends b { }\ntemplate c extends c { }\n"
                + "service u in n extends c { image \"i\" }\n");
        assertThat(r.errors()).extracting(Diagnostic::toString).containsExactly(
                "error[E022] f0.cap:3:20: template cycle: a extends b extends a (hint: a template cannot extend "
                        + "itself; remove one 'extends')",
                "error[E022] f0.cap:6:20: template cycle: c extends c (hint: a template cannot extend itself; "
                        + "remove one 'extends')");
    }

    @Test
    void aMistakeInATemplateIsReportedOnceHoweverManyServicesExtendIt() {
        CompileResult r = compile("namespace n { }\ntemplate base { image \"i\"  replicas 20000 }\n"
                + "service a in n extends base { }\nservice b in n extends base { }\n");
        assertThat(r.errors()).extracting(Diagnostic::toString).containsExactly(
                "error[E010] f0.cap:2:37: replicas must be between 0 and 10000, got 20000");
    }

    @Test
    void templateNamesAreCheckedAndUnique() {
        CompileResult r = compile("template Base { }\ntemplate ok { }\ntemplate ok { }\n");
        assertThat(r.errors()).extracting(Diagnostic::code).containsExactly("E004", "E006");
    }

    @Test
    void aServiceWithoutImageIsStillAnErrorWhenItsTemplateHasNone() {
        CompileResult r = compile("namespace n { }\ntemplate base { replicas 2 }\nservice s in n extends base { }\n");
        assertThat(r.errors()).extracting(Diagnostic::code).containsExactly("E007");
    }
}
