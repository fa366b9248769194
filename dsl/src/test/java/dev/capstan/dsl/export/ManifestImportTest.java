package dev.capstan.dsl.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.SourceFiles;
import dev.capstan.model.Json;
import dev.capstan.model.KubeObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code capstan import}: Kubernetes YAML to .cap, safely, saying what it leaves out. */
class ManifestImportTest {

    private static ManifestImport.Result translate(String yaml) {
        return ManifestImport.translate(List.of(new SourceFile("in.yaml", yaml)));
    }

    private static List<String> messages(ManifestImport.Result r) {
        return r.diagnostics().stream().map(Diagnostic::format).toList();
    }

    /** The objects as JSON without the source annotation, which names the file and line they came from. */
    private static List<JsonNode> comparable(List<KubeObject> objects) {
        List<JsonNode> out = new ArrayList<>();
        for (KubeObject o : objects) {
            ObjectNode n = Json.MAPPER.valueToTree(o);
            for (JsonNode meta : n.findParents("annotations")) {
                ObjectNode a = (ObjectNode) meta.get("annotations");
                a.remove("capstan.dev/source");
                if (a.isEmpty()) {
                    ((ObjectNode) meta).remove("annotations");
                }
            }
            out.add(n);
        }
        return out;
    }

    private static void roundTrips(List<SourceFile> sources) {
        CompileResult first = new CapCompiler().compile(sources);
        assertThat(first.errors()).isEmpty();
        String yaml = Manifests.of(first.objects()).yaml();
        ManifestImport.Result imported = translate(yaml);
        assertThat(imported.ok()).isTrue();
        assertThat(imported.diagnostics()).isEmpty();
        CompileResult second = new CapCompiler().compile(List.of(new SourceFile("imported.cap", imported.source())));
        assertThat(second.diagnostics()).isEmpty();
        assertThat(comparable(second.objects())).isEqualTo(comparable(first.objects()));
    }

    @Test
    void theExamplesSurviveExportImportCompile() throws IOException {
        Path examples = Path.of("../examples");
        roundTrips(SourceFiles.load(examples.resolve("hello"), examples));
    }

    @Test
    void podSettingsSurviveExportImportCompile() {
        roundTrips(List.of(new SourceFile("s.cap", """
                namespace shop { labels { team = "web" } }
                service web in shop {
                  image       "capstan.local/busybox:1.35"
                  command     ["sh", "-c", "exec httpd -p $PORT"]
                  args        ["-v", "quote \\" and \\\\"]
                  env         { A = "1"  "WITH.DOT" = "x" }
                  replicas    3
                  port http 8080 expose 80
                  port metrics 9090
                  labels      { tier = "web"  "app.kubernetes.io/part-of" = "shop" }
                  resources   { cpu 250m  memory 64Mi }
                  annotations { "prometheus.io/scrape" = "true" }
                  liveness    http "/healthz" port http every 5s timeout 2s initial-delay 10s failure-threshold 4
                  readiness   tcp port http every 2s success-threshold 2
                  startup     exec ["cat", "/tmp/ready"] every 1s failure-threshold 30
                  stop-grace  20s
                  update      { max-surge 1  max-unavailable 0 }
                  node-selector { disktype = "ssd" }
                  tolerate    dedicated = "web" effect no-schedule
                  tolerate    "node.kubernetes.io/unreachable" effect no-execute for 60s
                }
                service worker in shop { image "w:1" }
                """)));
    }

    @Test
    void whatCannotBeExpressedIsReportedWhereItIsWritten() {
        ManifestImport.Result r = translate("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  selector:
                    matchLabels: {app: web}
                  template:
                    spec:
                      containers:
                      - name: web
                        image: nginx
                        volumeMounts: [{name: data, mountPath: /data}]
                ---
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: nightly}
                """);
        assertThat(r.ok()).isTrue();
        assertThat(messages(r)).containsExactly(
                "warning[W041] in.yaml:13:9: cannot express container.volumeMounts; left out",
                "warning[W041] in.yaml:15:1: kind CronJob (batch/v1) is not translated");
        assertThat(r.source()).contains("# not expressed: in.yaml:13:9: cannot express container.volumeMounts")
                .contains("namespace default { }").contains("service web in default {");
        assertThat(new CapCompiler().compile(List.of(new SourceFile("x.cap", r.source()))).ok()).isTrue();
    }

    @Test
    void unsafeYamlIsRefusedWithItsLocation() {
        assertThat(messages(translate("a: &x {b: 1}\nc: *x\n")))
                .containsExactly("error[E046] in.yaml:2:4: YAML aliases are not accepted (*x)");
        assertThat(messages(translate("base: &b {x: 1}\nweb:\n  <<: *b\n")))
                .singleElement().asString().startsWith("error[E046] in.yaml:3:7: YAML aliases are not accepted");
        assertThat(messages(translate("kind: Service\nkind: Deployment\n")))
                .containsExactly("error[E046] in.yaml:2:1: duplicate key 'kind' (first at line 1)");
        assertThat(messages(translate("[".repeat(100) + "]".repeat(100) + "\n"))).singleElement().asString()
                .startsWith("error[E046] in.yaml:").contains("nested too deeply");
        assertThat(messages(translate("a: [1, 2\n"))).singleElement().asString()
                .startsWith("error[E046] in.yaml:").contains("not valid YAML");
        ManifestImport.Result huge = translate("#".repeat(SafeYaml.MAX_CODE_POINTS + 1));
        assertThat(huge.ok()).isFalse();
        assertThat(messages(huge)).singleElement().asString().contains("too large");
    }
}
