package dev.capstan.node.runtime.process;

import dev.capstan.node.runtime.ExecResult;
import dev.capstan.node.runtime.RuntimeFailure;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The process runtime's {@code execSync}: a host process with the container's environment, in the
 * container's working directory, its output captured (capped), killed with its descendants on timeout.
 */
final class ProcessExec {

    private ProcessExec() {
    }

    static ExecResult run(List<String> command, Map<String, String> env, Path workDir, Duration timeout)
            throws RuntimeFailure {
        if (command.isEmpty()) {
            throw new RuntimeFailure("exec needs a command");
        }
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        Path exe = ProcessTrees.resolve(command.get(0), path, workDir).orElseThrow(() -> new RuntimeFailure(
                "command '" + command.get(0) + "' not found on PATH " + path));
        List<String> argv = new ArrayList<>(command);
        argv.set(0, exe.toString());
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new RuntimeFailure("cannot start " + argv + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> drain(p.getInputStream(), out), "capstan-exec-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                ProcessTrees.stop(Map.of(0, p.toHandle()), Duration.ZERO);
                return new ExecResult(-1, text(out), true);
            }
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new RuntimeFailure("interrupted while running " + argv, e);
        }
        return new ExecResult(p.exitValue(), text(out), false);
    }

    private static void drain(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    if (out.size() < ExecResult.MAX_OUTPUT) {
                        out.write(buf, 0, Math.min(n, ExecResult.MAX_OUTPUT - out.size()));
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone: keep what was read
        }
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
