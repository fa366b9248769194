package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandTest {
    @TempDir
    Path dir;

    @Test
    void translatesExportedManifestsBackIntoSourceThatCompiles() throws IOException {
        Path cap = dir.resolve("shop.cap");
        Files.writeString(cap, """
                namespace shop { }
                service web in shop {
                  image     "capstan.local/busybox:1.35"
                  replicas  2
                  port http 8080 expose 80
                }
                """);
        CliRun export = CliRun.of("export", cap.toString());
        assertThat(export.exitCode()).isZero();
        Path yaml = dir.resolve("shop.yaml");
        Files.writeString(yaml, export.out());
        Path out = dir.resolve("back/shop.cap");
        Files.createDirectories(out.getParent());
        CliRun imported = CliRun.of("import", "-o", out.toString(), yaml.toString());
        assertThat(imported.exitCode()).isZero();
        assertThat(Files.readString(out)).contains("service web in shop {", "port http 8080 expose 80", "replicas 2");
        assertThat(CliRun.of("check", out.toString()).exitCode()).isZero();
    }

    @Test
    void refusesAnAliasWithItsLocationAndWritesNothing() throws IOException {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "base: &b {image: x}\nweb: *b\n");
        CliRun run = CliRun.of("import", yaml.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("error[E046]", "bad.yaml:2:6: YAML aliases are not accepted (*b)",
                "capstan: nothing imported");
    }
}
