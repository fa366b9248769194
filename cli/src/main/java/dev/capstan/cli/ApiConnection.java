package dev.capstan.cli;

import dev.capstan.engine.client.HttpApiClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How the commands that read the cluster reach the API: the kubeconfig {@code capstan up} wrote, or the one given. */
final class ApiConnection {
    private ApiConnection() {
    }

    /** A client from {@code kubeconfig}, or from {@code ~/.capstan/kubeconfig} when null; a {@link UserError} when there is none. */
    static HttpApiClient connect(Path kubeconfig) {
        Path path = kubeconfig != null ? kubeconfig : UpCommand.HOME.resolve("kubeconfig");
        if (!Files.exists(path)) {
            throw new UserError("no kubeconfig at " + path + ": start the cluster with 'capstan up', or pass --kubeconfig");
        }
        try {
            return HttpApiClient.fromKubeconfig(path);
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
    }
}
