package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
    private static final Path KUBECTL = Path.of("/usr/bin/kubectl");
    private static final String SOURCE = """
            namespace shop { }
            service web in shop {
              image     "capstan.local/busybox:1.35"
              replicas  2
              port http 8080 expose 80
              liveness  http "/healthz" port http every 5s
              update    { max-surge 1  max-unavailable 0 }
              spread    by node
              tolerate  dedicated = "web" effect no-schedule
            }
            """;

    @TempDir
    Path dir;

    private Path source() throws IOException {
        Path p = dir.resolve("shop.cap");
        Files.writeString(p, SOURCE);
        return p;
    }

    @Test
    void writesKubernetesYamlToStdout() throws IOException {
        CliRun run = CliRun.of("export", "--format", "k8s", source().toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("---\napiVersion: v1\nkind: Namespace\n")
                .contains("---\napiVersion: apps/v1\nkind: Deployment\n").contains("---\napiVersion: v1\nkind: Service\n")
                .contains("maxSurge: 1\n").contains("topologyKey: kubernetes.io/hostname");
    }

    @Test
    void writesOneJsonList() throws IOException {
        CliRun run = CliRun.of("export", "--format", "json", source().toString());
        assertThat(run.exitCode()).isZero();
        JsonNode list = new ObjectMapper().readTree(run.out());
        assertThat(list.get("kind").asText()).isEqualTo("List");
        assertThat(list.get("items")).extracting(i -> i.get("kind").asText())
                .containsExactly("Namespace", "Deployment", "Service");
    }

    @Test
    void compileErrorsGoToStderrAndNothingToStdout() throws IOException {
        Path bad = dir.resolve("bad.cap");
        Files.writeString(bad, "namespace shop { }\nservice web in shop { replica 2 }\n");
        CliRun run = CliRun.of("export", bad.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("error[E002]").contains("nothing exported");
    }

    /**
     * kubectl reads the manifests. {@code kubectl create --dry-run=client} needs an API server for discovery;
     * without one the check falls back to {@code kubectl label --local}, which decodes every document offline.
     */
    @Test
    void kubectlAcceptsTheManifests() throws Exception {
        assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed at /usr/bin/kubectl: check skipped");
        Path yaml = dir.resolve("shop.yaml");
        Files.writeString(yaml, CliRun.of("export", source().toString()).out());
        List<String> expected = List.of("namespace/shop", "deployment.apps/web", "service/web");
        Result create = kubectl("create", "--dry-run=client", "-o", "name", "--validate=false", "-f", yaml.toString());
        if (create.code == 0) {
            assertThat(create.out.lines().toList()).containsExactlyElementsOf(expected);
            return;
        }
        assertThat(create.err).as("kubectl create failed for another reason than a missing server")
                .containsAnyOf("connection refused", "couldn't get current server", "unable to recognize");
        Result local = kubectl("label", "--local", "-o", "name", "-f", yaml.toString(), "checked=yes");
        assertThat(local.code).as(local.err).isZero();
        assertThat(local.out.lines().toList()).containsExactlyElementsOf(expected);
    }

    private record Result(int code, String out, String err) {
    }

    private Result kubectl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(KUBECTL.toString(), "--request-timeout=5s"));
        command.addAll(List.of(args));
        Path out = dir.resolve("kubectl.out");
        Path err = dir.resolve("kubectl.err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("KUBECONFIG", dir.resolve("no-kubeconfig").toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl did not finish in 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
