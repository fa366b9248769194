package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void jsonListsEveryDiagnosticWithItsFieldsAndExitsOneOnErrors() throws IOException {
        Path file = write("bad.cap", "namespace shop { }\nservice web in shop {\n  image \"i\"\n  replica 3\n"
                + "  args [\"${x}\"]\n}\n");
        CliRun run = CliRun.of("check", "--format", "json", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        List<Map<String, Object>> diagnostics = new ObjectMapper().readValue(run.out(), new TypeReference<>() { });
        assertThat(diagnostics).hasSize(2);
        assertThat(diagnostics.get(0)).containsExactly(
                Map.entry("severity", "error"), Map.entry("code", "E002"), Map.entry("path", file.toString()),
                Map.entry("line", 4), Map.entry("column", 3), Map.entry("message", "unknown attribute 'replica'"),
                Map.entry("hint", "did you mean 'replicas'?"));
        assertThat(diagnostics.get(1)).containsEntry("severity", "warning").containsEntry("code", "W001");
    }

    @Test
    void nodePortsAreCheckedAgainstTheGivenRange() throws IOException {
        Path file = write("np.cap", "namespace shop { }\nservice web in shop {\n  image \"i\"\n"
                + "  port http 8080 node-port 40010\n}\n");
        CliRun outside = CliRun.of("check", file.toString());
        assertThat(outside.exitCode()).isEqualTo(1);
        assertThat(outside.out()).contains("node port 40010 is outside 30000-32767");
        assertThat(CliRun.of("check", "--node-port-range", "40000-40099", file.toString()).exitCode()).isZero();
        CliRun bad = CliRun.of("check", "--node-port-range", "40099-40000", file.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--node-port-range: a node port range is FIRST-LAST");
    }

    @Test
    void jsonIsAnEmptyArrayAndExitZeroWhenAllIsWell() throws IOException {
        Path file = write("ok.cap", "namespace shop { }\nservice web in shop { image \"i\" }\n");
        CliRun run = CliRun.of("check", "--format", "json", file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().trim()).isEqualTo("[ ]");
    }

    @Test
    void warningsAloneExitZeroInJsonToo() throws IOException {
        Path file = write("warn.cap", "namespace shop { }\nservice web in shop { image \"i\"  args [\"${x}\"] }\n");
        CliRun run = CliRun.of("check", "--format", "json", file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("\"W001\"");
    }

    @Test
    void textStaysTheDefault() throws IOException {
        Path file = write("bad.cap", "namespace shop { }\nservice web in shop { imgae \"i\" }\n");
        CliRun run = CliRun.of("check", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("error[E002]").contains("  = hint: did you mean 'image'?");
    }

    @Test
    void anUnknownFormatIsAUsageError() throws IOException {
        Path file = write("ok.cap", "namespace shop { }\n");
        CliRun run = CliRun.of("check", "--format", "xml", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("capstan: error:").doesNotContain("Exception");
    }
}
