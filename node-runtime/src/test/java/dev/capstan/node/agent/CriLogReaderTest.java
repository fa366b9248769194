package dev.capstan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.Container;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriLogReaderTest {
    @TempDir
    Path dir;

    private static String cri(String stream, String tag, String text) {
        return "2026-11-21T10:00:00.123456789Z " + stream + " " + tag + " " + text + "\n";
    }

    private static String readAll(InputStream in) throws Exception {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void stripsThePrefixAndJoinsPartialLines() throws Exception {
        Path f = dir.resolve("0.log");
        Files.writeString(f, cri("stdout", "F", "hello") + cri("stderr", "P", "a long ") + cri("stderr", "P", "line ")
                + cri("stderr", "F", "ends here") + cri("stdout", "F", "") + cri("stdout", "F", "with  two  spaces"));
        assertThat(readAll(new CriLogReader(List.of(), f, null, false, () -> false)))
                .isEqualTo("hello\na long line ends here\n\nwith  two  spaces\n");
    }

    @Test
    void tailLinesCountsWholeLinesAcrossRotatedFiles() throws Exception {
        Path old = dir.resolve("0.log.1");
        Path f = dir.resolve("0.log");
        Files.writeString(old, cri("stdout", "F", "one") + cri("stdout", "F", "two"));
        Files.writeString(f, cri("stdout", "P", "thr") + cri("stdout", "F", "ee") + cri("stdout", "F", "four"));
        assertThat(readAll(new CriLogReader(List.of(old), f, null, false, () -> false)))
                .isEqualTo("one\ntwo\nthree\nfour\n");
        assertThat(readAll(new CriLogReader(List.of(old), f, 3, false, () -> false))).isEqualTo("two\nthree\nfour\n");
        assertThat(readAll(new CriLogReader(List.of(old), f, 0, false, () -> false))).isEmpty();
    }

    @Test
    void followKeepsStreamingThroughARotationUntilTheContainerStops() throws Exception {
        Path f = dir.resolve("0.log");
        Files.writeString(f, cri("stdout", "F", "first"));
        AtomicBoolean running = new AtomicBoolean(true);
        CriLogReader reader = new CriLogReader(List.of(), f, 1, true, running::get);
        CompletableFuture<String> all = CompletableFuture.supplyAsync(() -> {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                reader.transferTo(out);
                return out.toString(StandardCharsets.UTF_8);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(400);
        Files.writeString(f, cri("stdout", "F", "second"), StandardOpenOption.APPEND);
        Thread.sleep(400);
        Files.move(f, dir.resolve("0.log.1"));
        Files.writeString(f, cri("stdout", "F", "after rotation"));
        Thread.sleep(400);
        assertThat(all).isNotDone();
        running.set(false);
        assertThat(all.get(5, TimeUnit.SECONDS)).isEqualTo("first\nsecond\nafter rotation\n");
    }

    @Test
    void closingEndsAFollow() throws Exception {
        Path f = dir.resolve("0.log");
        Files.writeString(f, cri("stdout", "F", "x"));
        CriLogReader reader = new CriLogReader(List.of(), f, null, true, () -> true);
        assertThat(reader.read(new byte[10], 0, 10)).isEqualTo(2);
        CompletableFuture<Integer> next = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.read(new byte[10], 0, 10);
            } catch (Exception e) {
                return -2;
            }
        });
        Thread.sleep(300);
        reader.close();
        assertThat(next.get(5, TimeUnit.SECONDS)).isLessThan(0);
    }

    @Test
    void rotationShiftsFilesAndKeepsOnlyTheLimit() throws Exception {
        AgentConfig cfg = AgentConfig.defaults("n", 20000, dir).withLogRotation(10, 2);
        ContainerLogs logs = new ContainerLogs(cfg, null);
        Path pod = logs.podDir("ns", "p", "u1").resolve("app");
        Files.createDirectories(pod);
        Path f = pod.resolve("0.log");
        for (String gen : List.of("a", "b", "c")) {
            Files.writeString(f, cri("stdout", "F", gen));
            logs.rotateFile(f);
        }
        Files.writeString(f, cri("stdout", "F", "d"));
        assertThat(Files.readString(pod.resolve("0.log.1"))).contains(" c");
        assertThat(Files.readString(pod.resolve("0.log.2"))).contains(" b");
        assertThat(pod.resolve("0.log.3")).doesNotExist();

        Pod p = new Pod(ObjectMeta.of("ns", "p").withUid("u1"), new PodSpec(List.of(new Container("app", "img",
                List.of("sh"), null, null, null, null, null)), "n", null, null, null, true), null);
        assertThat(readAll(logs.open(p, "app", false, false, null, a -> () -> false))).isEqualTo("b\nc\nd\n");
        Files.writeString(pod.resolve("1.log"), cri("stdout", "F", "next attempt"));
        assertThat(readAll(logs.open(p, "app", false, false, null, a -> () -> false))).isEqualTo("next attempt\n");
        assertThat(readAll(logs.open(p, "app", true, false, 1, a -> () -> false))).isEqualTo("d\n");

        logs.removeGone(java.util.Set.of("u1"));
        assertThat(pod).exists();
        logs.removeGone(java.util.Set.of());
        assertThat(logs.podDir("ns", "p", "u1")).doesNotExist();
    }
}
