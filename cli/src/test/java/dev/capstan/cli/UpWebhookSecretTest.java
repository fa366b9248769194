package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.cli.up.UpOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@code capstan up} takes the webhook secret from: the file first, then CAPSTAN_WEBHOOK_SECRET. */
class UpWebhookSecretTest {
    @TempDir
    Path tmp;

    @Test
    void theFileWinsAndItsTrailingNewlineIsDropped() throws Exception {
        Path f = Files.writeString(tmp.resolve("secret"), "from-file\n");
        assertThat(UpCommand.webhookSecret(f, "from-env")).isEqualTo("from-file");
        assertThat(UpCommand.webhookSecret(null, " from-env ")).isEqualTo("from-env");
        assertThat(UpCommand.webhookSecret(null, null)).isNull();
        assertThat(UpCommand.webhookSecret(null, "  ")).isNull();
    }

    @Test
    void aMissingOrEmptyFileIsAUserError() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty"), "\n");
        assertThatThrownBy(() -> UpCommand.webhookSecret(empty, null)).isInstanceOf(UserError.class)
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> UpCommand.webhookSecret(tmp.resolve("nope"), null)).isInstanceOf(UserError.class)
                .hasMessageStartingWith("cannot read --webhook-secret-file");
    }

    @Test
    void optionsNeverPrintTheSecret() {
        UpOptions o = new UpOptions(tmp, 1, "process", null, Duration.ofSeconds(5), "127.0.0.1", 0, tmp, tmp, 20000,
                "c", Duration.ofSeconds(10)).withWebhookSecret("hunter2");
        assertThat(o.webhookSecret()).isEqualTo("hunter2");
        assertThat(o.toString()).contains("webhook=on").doesNotContain("hunter2");
    }
}
