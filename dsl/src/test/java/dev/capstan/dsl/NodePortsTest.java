package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.dsl.export.ManifestImport;
import dev.capstan.dsl.export.Manifests;
import dev.capstan.dsl.format.Formatter;
import dev.capstan.model.Service;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code port http 8080 expose 80 node-port 30080}: a Service of type NodePort. */
class NodePortsTest {
    private static final String HEAD = "namespace demo { }\n";

    private static CompileResult compile(String text) {
        return new CapCompiler().compile(List.of(new SourceFile("t.cap", text)));
    }

    private static Service service(CompileResult r, String name) {
        return r.objects().stream().filter(o -> o instanceof Service && o.metadata().name().equals(name))
                .map(Service.class::cast).findFirst().orElseThrow();
    }

    @Test
    void aNodePortLowersToTypeNodePortAndIsExported() {
        CompileResult r = compile(HEAD + """
                const NODE = 30081
                service web in demo {
                  image "i"
                  port http 8080 expose 80 node-port 30080
                  port admin 9090 node-port NODE
                  port metrics 9100
                }
                service plain in demo {
                  image "i"
                  port http 8080
                }
                """);
        assertThat(r.diagnostics()).isEmpty();
        Service web = service(r, "web");
        assertThat(web.spec().type()).isEqualTo("NodePort");
        assertThat(web.spec().ports()).extracting(Service.Port::name, Service.Port::port, Service.Port::nodePort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("http", 80, 30080),
                        org.assertj.core.groups.Tuple.tuple("admin", 9090, 30081),
                        org.assertj.core.groups.Tuple.tuple("metrics", 9100, null));
        assertThat(service(r, "plain").spec().type()).isEqualTo("ClusterIP");
        assertThat(service(r, "plain").spec().ports().get(0).nodePort()).isNull();

        String yaml = Manifests.of(r.objects()).yaml();
        assertThat(yaml).contains("type: NodePort").contains("nodePort: 30080").contains("nodePort: 30081")
                .contains("type: ClusterIP");
        assertThat(yaml.split("nodePort:", -1)).hasSize(3);
    }

    @Test
    void importReadsTheNodePortBack() {
        CompileResult r = compile(HEAD + "service web in demo {\n  image \"i\"\n  port http 8080 expose 80 node-port 30080\n}\n");
        ManifestImport.Result back = ManifestImport.translate(List.of(new SourceFile("in.yaml",
                Manifests.of(r.objects()).yaml())));
        assertThat(back.diagnostics()).isEmpty();
        assertThat(back.source()).contains("port http 8080 expose 80 node-port 30080");
        CompileResult again = compile(back.source());
        assertThat(service(again, "web")).usingRecursiveComparison().ignoringFields("metadata.annotations")
                .isEqualTo(service(r, "web"));
    }

    @Test
    void fmtKeepsTheNodePort() {
        String src = HEAD + "service web in demo {\n  image \"i\"\n    port http 8080   expose 80  node-port   30080\n}\n";
        String out = Formatter.format(new SourceFile("t.cap", src)).text();
        assertThat(out).contains("  port http 8080 expose 80 node-port 30080\n");
        assertThat(service(compile(out), "web").spec().ports().get(0).nodePort()).isEqualTo(30080);
    }

    @Test
    void aNodePortOutsideTheRangeIsAnErrorAtTheNumber() {
        CompileResult r = compile(HEAD + "service web in demo {\n  image \"i\"\n  port http 8080 node-port 8080\n"
                + "  port a 81 node-port 32768\n  port b 82 node-port 1.5\n}\n");
        assertThat(r.errors()).extracting(Diagnostic::toString).containsExactly(
                "error[E063] t.cap:4:28: node port 8080 is outside 30000-32767 (hint: node ports are in the cluster's "
                        + "range 30000-32767, e.g. node-port 30080)",
                "error[E063] t.cap:5:23: node port 32768 is outside 30000-32767 (hint: node ports are in the cluster's "
                        + "range 30000-32767, e.g. node-port 30080)",
                "error[E010] t.cap:6:23: a node port must be a whole number, got '1.5'");
        assertThat(r.objects()).isEmpty();
    }

    @Test
    void aCompilerToldTheClustersRangeChecksAgainstThatOne() {
        String src = HEAD + "service web in demo {\n  image \"i\"\n  port http 8080 node-port 40010\n"
                + "  port a 81 node-port 30080\n}\n";
        CompileResult r = new CapCompiler().nodePorts(40000, 40099).compile(List.of(new SourceFile("t.cap", src)));
        assertThat(r.errors()).extracting(Diagnostic::toString).containsExactly(
                "error[E063] t.cap:5:23: node port 30080 is outside 40000-40099 (hint: node ports are in the cluster's "
                        + "range 40000-40099, e.g. node-port 40080 (capstan up --node-port-range))");
        assertThat(compile(src).errors()).extracting(Diagnostic::toString)
                .containsExactly("error[E063] t.cap:4:28: node port 40010 is outside 30000-32767 (hint: node ports are in "
                        + "the cluster's range 30000-32767, e.g. node-port 30080)");
    }

    @Test
    void aNodePortUsedTwiceIsAnErrorAtBothPorts() {
        CompileResult r = compile(HEAD + """
                service a in demo {
                  image "i"
                  port http 8080 node-port 30080
                }
                service b in demo {
                  image "i"
                  port web 8081 node-port 30080
                }
                """);
        assertThat(r.errors()).extracting(Diagnostic::toString).containsExactlyInAnyOrder(
                "error[E063] t.cap:8:27: node port 30080 is already used by port 'http' of service demo/a (t.cap:4) "
                        + "(hint: give each service port its own node port)",
                "error[E063] t.cap:4:28: node port 30080 is also used by port 'web' of service demo/b (t.cap:8) "
                        + "(hint: give each service port its own node port)");
    }

    @Test
    void nodePortIsAKeywordOnlyAfterAPort() {
        CompileResult r = compile("namespace node-port { }\nservice node-port in node-port {\n  image \"i\"\n"
                + "  port node-port 8080 node-port 30080\n  env { node-port = \"x\" }\n}\n");
        assertThat(r.diagnostics()).isEmpty();
        assertThat(service(r, "node-port").spec().ports().get(0).nodePort()).isEqualTo(30080);
    }

    @Test
    void nodePortAutoLowersToNodePortWithTheNumberLeftToTheCluster() {
        CompileResult r = compile(HEAD + """
                service web in demo {
                  image "i"
                  port http 8080 expose 80 node-port auto
                  port admin 9090 node-port 30081
                }
                service other in demo {
                  image "i"
                  port http 8080 node-port auto
                }
                """);
        assertThat(r.diagnostics()).isEmpty();
        Service web = service(r, "web");
        assertThat(web.spec().type()).isEqualTo("NodePort");
        assertThat(web.spec().ports()).extracting(Service.Port::name, Service.Port::nodePort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("http", null),
                        org.assertj.core.groups.Tuple.tuple("admin", 30081));
        assertThat(service(r, "other").spec().type()).isEqualTo("NodePort");
        assertThat(service(r, "other").spec().ports().get(0).nodePort()).isNull();
        String yaml = Manifests.of(r.objects()).yaml();
        assertThat(yaml.split("type: NodePort", -1)).hasSize(3);
        assertThat(yaml.split("nodePort:", -1)).hasSize(2);
    }

    @Test
    void fmtExportAndImportKeepNodePortAuto() {
        String src = HEAD + "service web in demo {\n  image \"i\"\n   port http 8080  expose 80 node-port   auto\n}\n";
        String out = Formatter.format(new SourceFile("t.cap", src)).text();
        assertThat(out).contains("  port http 8080 expose 80 node-port auto\n");
        CompileResult r = compile(out);
        assertThat(r.diagnostics()).isEmpty();
        ManifestImport.Result back = ManifestImport.translate(List.of(new SourceFile("in.yaml",
                Manifests.of(r.objects()).yaml())));
        assertThat(back.diagnostics()).isEmpty();
        assertThat(back.source()).contains("port http 8080 expose 80 node-port auto");
        assertThat(service(compile(back.source()), "web")).usingRecursiveComparison()
                .ignoringFields("metadata.annotations").isEqualTo(service(r, "web"));
    }

    @Test
    void aKubernetesNodePortServiceWithoutNumbersImportsAsAuto() {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: demo}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: web
                        image: i
                        ports: [{name: http, containerPort: 8080}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: demo}
                spec:
                  type: NodePort
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: http}]
                """;
        ManifestImport.Result back = ManifestImport.translate(List.of(new SourceFile("in.yaml", yaml)));
        assertThat(back.diagnostics()).isEmpty();
        assertThat(back.source()).contains("port http 8080 expose 80 node-port auto");
    }

    @Test
    void aWordOtherThanAutoIsAnErrorAtTheWord() {
        CompileResult r = compile(HEAD + "service web in demo {\n  image \"i\"\n  port http 8080 node-port any\n}\n");
        assertThat(r.errors()).extracting(Diagnostic::toString).containsExactly(
                "error[E064] t.cap:4:28: node-port takes a number or 'auto', not 'any' (hint: write node-port auto "
                        + "to have the cluster allocate one, or a number in 30000-32767)");
        assertThat(r.objects()).isEmpty();
    }
}
