package dev.capstan.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code wrk} (keep-alive HTTP load) and reads its requests/s and latency percentiles. */
final class Wrk {
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PCT = Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$",
            Pattern.MULTILINE);

    /** One run's result; latencies in microseconds. */
    record Result(double requestsPerSecond, double p50us, double p99us, String raw) {
    }

    private Wrk() {
    }

    /** The wrk binary, or a failure saying how to install it. */
    static String binary() throws BenchmarkFailure {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "wrk"))) {
                return Path.of(dir, "wrk").toString();
            }
        }
        throw new BenchmarkFailure("wrk is not installed; install it (as root: apt-get install wrk) and run again");
    }

    static Result run(String url, int threads, int connections, int seconds) throws IOException, InterruptedException,
            BenchmarkFailure {
        List<String> cmd = new ArrayList<>(List.of(binary(), "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--latency", url));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new BenchmarkFailure("wrk did not finish: " + String.join(" ", cmd));
        }
        return parse(out);
    }

    static Result parse(String out) throws BenchmarkFailure {
        Matcher rps = RPS.matcher(out);
        if (!rps.find()) {
            throw new BenchmarkFailure("cannot read wrk's output:\n" + out);
        }
        double p50 = -1;
        double p99 = -1;
        Matcher m = PCT.matcher(out);
        while (m.find()) {
            double v = Double.parseDouble(m.group(2)) * switch (m.group(3).toLowerCase(Locale.ROOT)) {
                case "us" -> 1;
                case "ms" -> 1000;
                default -> 1_000_000;
            };
            if (m.group(1).equals("50")) {
                p50 = v;
            } else {
                p99 = v;
            }
        }
        if (p50 < 0 || p99 < 0 || out.contains("Non-2xx")) {
            throw new BenchmarkFailure("wrk reported errors or no latency distribution:\n" + out);
        }
        return new Result(Double.parseDouble(rps.group(1)), p50, p99, out);
    }
}
