package dev.capstan.cli;

import dev.capstan.engine.client.ApiUnavailableException;
import dev.capstan.engine.client.HttpApiClient;
import dev.capstan.engine.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code capstan logs POD}: a container's log through the API server (which reads it from the pod's node
 * agent), like {@code kubectl logs}.
 */
@Command(name = "logs", description = "Print the log of a pod's container (add -f to follow it).")
final class LogsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "POD")
    String pod;

    @Option(names = {"-n", "--namespace"}, description = "Namespace (default: default).")
    String namespace;

    @Option(names = {"-c", "--container"}, description = "Container (needed when the pod has several).")
    String container;

    @Option(names = {"-f", "--follow"}, description = "Keep printing while the container runs.")
    boolean follow;

    @Option(names = {"-p", "--previous"}, description = "The previous, terminated instance of the container.")
    boolean previous;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines.")
    Integer tail;

    @Option(names = "--kubeconfig", paramLabel = "PATH", description = "Default: ~/.capstan/kubeconfig, as written by 'capstan up'.")
    Path kubeconfig;

    @Override
    public Integer call() {
        if (tail != null && tail < 0) {
            throw new UserError("--tail must be 0 or more lines", 2);
        }
        String ns = namespace == null ? "default" : namespace;
        try (HttpApiClient api = ApiConnection.connect(kubeconfig);
             InputStream in = api.logs(ns, pod, container, follow, previous, tail)) {
            copy(in, System.out);
        } catch (ApiUnavailableException e) {
            throw new UserError(e.getMessage() + " (is 'capstan up' running?)");
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UserError("the log stream of pod " + pod + " broke: " + e.getMessage());
        }
        return 0;
    }

    /** Copies as it arrives (a followed log comes a line at a time). */
    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            out.flush();
        }
    }
}
