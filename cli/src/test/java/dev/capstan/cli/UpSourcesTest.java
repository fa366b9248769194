package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code capstan up}'s source options: bad combinations fail at once with one clear line and exit 2. */
class UpSourcesTest {
    @TempDir
    Path tmp;

    @Test
    void eitherADirectoryOrSources() {
        CliRun r = CliRun.of("up", "--source", "a=/srv/a", "deploy");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("give either DIR or --source/--sources, not both").doesNotContain("at dev.");
    }

    @Test
    void sourceNamesAreUniqueAndWellFormed() {
        CliRun dup = CliRun.of("up", "--source", "a=/srv/a", "--source", "a=/srv/b");
        assertThat(dup.exitCode()).isEqualTo(2);
        assertThat(dup.err()).contains("two sources are named 'a'");

        CliRun bad = CliRun.of("up", "--source", "https://u:hunter2@git.example.com/x.git");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("expected NAME=URL").doesNotContain("hunter2");
    }

    @Test
    void signaturesNeedTrustedKeys() {
        CliRun r = CliRun.of("up", "--verify-signatures", "--source", "a=/srv/a");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--verify-signatures needs --trusted-keys FILE|DIR");
    }

    @Test
    void aBadSourcesFileIsReportedWithItsLocation() throws Exception {
        Path f = tmp.resolve("sources.yaml");
        Files.writeString(f, "sources:\n  - name: shop\n    url: /x\n    token: abc\n");
        CliRun r = CliRun.of("up", "--sources", f.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(f + ":4:5: unknown key 'token'");
    }
}
