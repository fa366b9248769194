package dev.capstan.node.runtime.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CriLogFileTest {

    @Test
    void formatsTimestampsLikeGoRfc3339Nano() {
        assertThat(CriLogFile.timestamp(Instant.parse("2024-05-01T10:00:00Z"))).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(CriLogFile.timestamp(Instant.parse("2024-05-01T10:00:00.120Z"))).isEqualTo("2024-05-01T10:00:00.12Z");
        assertThat(CriLogFile.timestamp(Instant.ofEpochSecond(0, 123456789))).isEqualTo("1970-01-01T00:00:00.123456789Z");
    }

    @Test
    void writesOneTaggedLinePerLineOfOutput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.log");
        CriLogFile log = new CriLogFile(file, 2);
        log.pump(new ByteArrayInputStream("one\ntwo\nlast without newline".getBytes(StandardCharsets.UTF_8)), "stdout");
        log.pump(new ByteArrayInputStream("oops\n".getBytes(StandardCharsets.UTF_8)), "stderr");

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4);
        assertThat(lines).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z (stdout|stderr) [FP] .*"));
        assertThat(lines.get(0)).endsWith(" stdout F one");
        assertThat(lines.get(2)).endsWith(" stdout F last without newline");
        assertThat(lines.get(3)).endsWith(" stderr F oops");
    }

    @Test
    void splitsVeryLongLinesIntoPartialPieces(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.log");
        String longLine = "x".repeat(CriLogFile.MAX_LINE + 10);
        new CriLogFile(file, 1).pump(new ByteArrayInputStream((longLine + "\n").getBytes(StandardCharsets.UTF_8)), "stdout");

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains(" stdout P ").endsWith("x".repeat(100));
        assertThat(lines.get(1)).endsWith(" stdout F " + "x".repeat(10));
    }

    @Test
    void appendsToAnExistingLog(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.log");
        Files.writeString(file, "earlier\n");
        new CriLogFile(file, 1).pump(new ByteArrayInputStream("now\n".getBytes(StandardCharsets.UTF_8)), "stdout");
        assertThat(Files.readAllLines(file)).hasSize(2).first().isEqualTo("earlier");
    }
}
