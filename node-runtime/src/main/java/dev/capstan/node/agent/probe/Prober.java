package dev.capstan.node.agent.probe;

import dev.capstan.model.Probe;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.ExecResult;
import dev.capstan.node.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.function.ToIntFunction;

/**
 * Runs one check of a probe. Pods use the host network, so HTTP and TCP checks go to
 * {@code 127.0.0.1:<host port>}; exec checks run the command in the container through the runtime.
 */
@FunctionalInterface
public interface Prober {

    /** One check's outcome; {@code message} says why it failed (null on success). */
    record Outcome(boolean success, String message) {
        public static Outcome ok() {
            return new Outcome(true, null);
        }

        public static Outcome failed(String message) {
            return new Outcome(false, message);
        }
    }

    /**
     * @param ports resolves a probe's port (a container port's name or number) to the host port to dial;
     *              throws IllegalArgumentException when there is no such port
     */
    Outcome check(Probe probe, String containerId, ToIntFunction<String> ports);

    /** The real checks: HTTP GET (2xx and 3xx succeed), TCP connect, exec (exit code 0 succeeds). */
    static Prober over(ContainerRuntime runtime) {
        return (probe, containerId, ports) -> {
            Duration timeout = Duration.ofSeconds(Math.max(1, probe.timeoutOrDefault()));
            try {
                if (probe.httpGet() != null) {
                    return http(probe.httpGet(), ports.applyAsInt(probe.httpGet().port()), timeout);
                }
                if (probe.tcpSocket() != null) {
                    return tcp(ports.applyAsInt(probe.tcpSocket().port()), timeout);
                }
                if (probe.exec() != null && !probe.exec().command().isEmpty()) {
                    return exec(runtime, containerId, probe.exec(), timeout);
                }
                return Outcome.failed("the probe has no httpGet, tcpSocket or exec");
            } catch (IllegalArgumentException e) {
                return Outcome.failed(e.getMessage());
            }
        };
    }

    private static Outcome http(Probe.HttpGet get, int port, Duration timeout) {
        String scheme = get.scheme() == null ? "http" : get.scheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Outcome.failed("a probe's scheme is HTTP or HTTPS, not " + get.scheme());
        }
        String path = get.path() == null || get.path().isEmpty() ? "/" : get.path().startsWith("/") ? get.path()
                : "/" + get.path();
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) URI.create(scheme + "://127.0.0.1:" + port + path).toURL().openConnection();
            if (c instanceof javax.net.ssl.HttpsURLConnection tls) {
                // as the kubelet: the certificate is not verified (pods often serve self-signed ones)
                tls.setSSLSocketFactory(TrustAllTls.SOCKETS);
                tls.setHostnameVerifier((host, session) -> true);
            }
            c.setConnectTimeout((int) timeout.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setInstanceFollowRedirects(false);
            c.setRequestProperty("User-Agent", "capstan-probe/0.1");
            int code = c.getResponseCode();
            try (InputStream body = code >= 400 ? c.getErrorStream() : c.getInputStream()) {
                if (body != null) {
                    body.readNBytes(10 * 1024);
                }
            }
            return code >= 200 && code < 400 ? Outcome.ok()
                    : Outcome.failed("HTTP probe failed with status code " + code);
        } catch (IOException e) {
            return Outcome.failed("Get \"" + scheme + "://127.0.0.1:" + port + path + "\": " + describe(e));
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    private static Outcome tcp(int port, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            return Outcome.ok();
        } catch (IOException e) {
            return Outcome.failed("dial tcp 127.0.0.1:" + port + ": " + describe(e));
        }
    }

    private static Outcome exec(ContainerRuntime runtime, String containerId, Probe.Exec exec, Duration timeout) {
        try {
            ExecResult r = runtime.execSync(containerId, exec.command(), timeout);
            if (r.timedOut()) {
                return Outcome.failed("command " + exec.command() + " timed out after " + timeout.toSeconds() + "s");
            }
            return r.exitCode() == 0 ? Outcome.ok() : Outcome.failed("command " + exec.command()
                    + " exited with " + r.exitCode() + (r.output().isBlank() ? "" : ": " + r.output().strip()));
        } catch (RuntimeFailure e) {
            return Outcome.failed(e.getMessage());
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
