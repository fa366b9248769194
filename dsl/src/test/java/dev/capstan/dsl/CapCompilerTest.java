package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.Container;
import dev.capstan.model.Deployment;
import dev.capstan.model.KubeObject;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.Namespace;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.PodSpec;
import dev.capstan.model.PodTemplateSpec;
import dev.capstan.model.Service;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CapCompilerTest {
    static final String HELLO_PATH = "examples/hello/hello.cap";
    static final String HELLO = """
            # comments with # or //
            namespace demo {
              labels { team = "storefront" }
            }

            service hello in demo {
              image    "capstan.local/busybox:1.35"
              command  ["sh", "-c", "exec httpd -f -p $(PORT) -h /www"]
              args     ["--verbose"]
              env      { GREETING = "hi"  "WITH.DOT" = "x" }
              replicas 2
              port http 8080 expose 80        # container port 8080; service port 80
              labels   { tier = "frontend"  "app.kubernetes.io/part-of" = "shop" }
              resources { cpu 100m  memory 32Mi }
            }
            """;

    private final DslCompiler compiler = new CapCompiler();

    static CompileResult compile(String... pathsAndTexts) {
        List<SourceFile> files = new ArrayList<>();
        for (int i = 0; i < pathsAndTexts.length; i += 2) {
            files.add(new SourceFile(pathsAndTexts[i], pathsAndTexts[i + 1]));
        }
        return new CapCompiler().compile(files);
    }

    @Test
    void lowersTheExampleToANamespaceADeploymentAndAService() {
        CompileResult result = compiler.compile(List.of(new SourceFile(HELLO_PATH, HELLO)));

        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.ok()).isTrue();
        Map<String, String> objectLabels = Map.of("tier", "frontend", "app.kubernetes.io/part-of", "shop",
                "app", "hello", "app.kubernetes.io/managed-by", "capstan");
        Map<String, String> source = Map.of("capstan.dev/source", "examples/hello/hello.cap:6");
        Map<String, String> quantities = Map.of("cpu", "100m", "memory", "32Mi");
        Container container = new Container("hello", "capstan.local/busybox:1.35",
                List.of("sh", "-c", "exec httpd -f -p $(PORT) -h /www"), List.of("--verbose"),
                List.of(new Container.EnvVar("GREETING", "hi"), new Container.EnvVar("WITH.DOT", "x")),
                List.of(new Container.ContainerPort("http", 8080, null, "TCP")),
                new Container.Resources(quantities, quantities), null);
        Deployment deployment = new Deployment(
                new ObjectMeta("hello", "demo", null, objectLabels, source, null, null, null, null, null, null),
                new Deployment.Spec(2, new LabelSelector(Map.of("app", "hello")),
                        new PodTemplateSpec(new ObjectMeta(null, null, null,
                                Map.of("app", "hello", "tier", "frontend", "app.kubernetes.io/part-of", "shop"),
                                null, null, null, null, null, null, null),
                                new PodSpec(List.of(container), null, "Always", null, null, null)),
                        new Deployment.Strategy("RollingUpdate", new Deployment.RollingUpdate("25%", "25%"))),
                null);
        Service service = new Service(
                new ObjectMeta("hello", "demo", null, objectLabels, source, null, null, null, null, null, null),
                new Service.Spec(Map.of("app", "hello"), List.of(new Service.Port("http", 80, "http", "TCP")), null,
                        "ClusterIP"));
        Namespace namespace = new Namespace("v1", "Namespace", new ObjectMeta("demo", null, null,
                Map.of("team", "storefront", "app.kubernetes.io/managed-by", "capstan"),
                Map.of("capstan.dev/source", "examples/hello/hello.cap:2"), null, null, null, null, null, null), null);

        assertThat(result.objects()).containsExactly(namespace, deployment, service);
    }

    @Test
    void keepsEnvInSourceOrder() {
        CompileResult result = compile("a.cap", """
                namespace n { }
                service s in n { image "i"  env { Z = "1"  A = "2"  M = "3" } }
                """);
        Deployment d = (Deployment) result.objects().get(1);
        assertThat(d.spec().template().spec().containers().get(0).env())
                .extracting(Container.EnvVar::name).containsExactly("Z", "A", "M");
    }

    @Test
    void defaultsToOneReplicaAndNoServiceWithoutPorts() {
        CompileResult result = compile("a.cap", "namespace n { }\nservice worker in n { image \"w:1\" }\n");

        assertThat(result.ok()).isTrue();
        assertThat(result.objects()).extracting(KubeObject::kind).containsExactly("Namespace", "Deployment");
        Deployment d = (Deployment) result.objects().get(1);
        assertThat(d.spec().replicas()).isEqualTo(1);
        assertThat(d.spec().template().spec().containers().get(0).resources()).isNull();
        assertThat(d.metadata().labels()).containsOnly(Map.entry("app", "worker"),
                Map.entry("app.kubernetes.io/managed-by", "capstan"));
    }

    @Test
    void exposesTheContainerPortWhenNoExposeIsGiven() {
        CompileResult result = compile("a.cap", """
                namespace n { }
                service api in n {
                  image "api:2"
                  port http 8080
                  port admin 9090 expose 19090
                }
                """);
        Service s = (Service) result.objects().get(2);
        assertThat(s.spec().ports()).containsExactly(new Service.Port("http", 8080, "http", "TCP"),
                new Service.Port("admin", 19090, "admin", "TCP"));
    }

    @Test
    void ordersNamespacesThenDeploymentsThenServicesEachByKey() {
        CompileResult result = compile(
                "b.cap", "service b in zz { image \"i\" port p 1 }\nservice a in zz { image \"i\" port p 1 }\n",
                "a.cap", "namespace zz { }\nnamespace aa { }\nservice c in aa { image \"i\" port p 1 }\n");

        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.objects()).extracting(o -> o.kind() + " " + o.key()).containsExactly(
                "Namespace aa", "Namespace zz",
                "Deployment aa/c", "Deployment zz/a", "Deployment zz/b",
                "Service aa/c", "Service zz/a", "Service zz/b");
    }

    @Test
    void resolvesNamespacesAcrossFiles() {
        CompileResult result = compile("ns.cap", "namespace shop { }", "web.cap", "service web in shop { image \"w\" }");
        assertThat(result.ok()).isTrue();
        assertThat(result.objects().get(1).metadata().annotation(ObjectMeta.SOURCE)).isEqualTo("web.cap:1");
    }

    @Test
    void passesKubernetesVariablesThroughAndResolvesEscapes() {
        CompileResult result = compile("a.cap", """
                namespace n { }
                service s in n { image "i"  args ["$(PORT_HTTP)", "say \\"hi\\"\\n", "\\u00e9"] }
                """);
        Deployment d = (Deployment) result.objects().get(1);
        assertThat(d.spec().template().spec().containers().get(0).args())
                .containsExactly("$(PORT_HTTP)", "say \"hi\"\n", "\u00e9");
    }

    @Test
    void acceptsEveryCpuAndMemoryForm() {
        for (String cpu : List.of("100m", "0.5", "2")) {
            for (String memory : List.of("32Mi", "1Gi", "512Ki", "1G")) {
                CompileResult result = compile("a.cap", "namespace n { }\nservice s in n { image \"i\"\n"
                        + "resources { cpu " + cpu + " memory " + memory + " } }");
                assertThat(result.diagnostics()).as(cpu + " " + memory).isEmpty();
            }
        }
    }

    @Test
    void warningsDoNotStopCompilation() {
        CompileResult result = compile("a.cap", "namespace n { }\nservice s in n { image \"i\" args [\"${x}\"] }");
        assertThat(result.ok()).isTrue();
        assertThat(result.warnings()).extracting(Diagnostic::code).containsExactly("W001");
        assertThat(result.objects()).hasSize(2);
    }

    @Test
    void emitsNothingWhenAnyFileHasAnError() {
        CompileResult result = compile("good.cap", "namespace n { }\nservice s in n { image \"i\" }",
                "bad.cap", "service t in n { }");
        assertThat(result.ok()).isFalse();
        assertThat(result.objects()).isEmpty();
        assertThat(result.errors()).extracting(Diagnostic::format)
                .containsExactly("error[E007] bad.cap:1:9: service 't' has no image");
    }

    @Test
    void treatsNullInputAsEmpty() {
        assertThat(compiler.compile(null).ok()).isTrue();
        assertThat(compiler.compile(Arrays.asList(null, new SourceFile("a.cap", "namespace n { }")))
                .objects()).hasSize(1);
    }

    @Test
    void givesEqualResultsFromManyThreads() throws Exception {
        List<SourceFile> files = List.of(new SourceFile(HELLO_PATH, HELLO),
                new SourceFile("bad.cap", "service x in nowhere { replica 3 }"));
        CompileResult expected = compiler.compile(files);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<CompileResult>> futures = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                futures.add(pool.submit(() -> compiler.compile(files)));
            }
            for (Future<CompileResult> f : futures) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
