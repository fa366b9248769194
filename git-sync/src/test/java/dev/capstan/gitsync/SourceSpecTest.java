package dev.capstan.gitsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --source NAME=URL#BRANCH:PATH} and the sources file. */
class SourceSpecTest {
    @TempDir
    Path tmp;

    @Test
    void parsesNameUrlBranchAndPath() {
        SourceSpec s = SourceSpec.parse("shop=https://git.example.com/shop.git#main:deploy/prod/");
        assertThat(s.name()).isEqualTo("shop");
        assertThat(s.url()).isEqualTo("https://git.example.com/shop.git");
        assertThat(s.branch()).isEqualTo("main");
        assertThat(s.path()).isEqualTo("deploy/prod");
        assertThat(s.remote()).isTrue();
        assertThat(s.ssh()).isFalse();

        SourceSpec local = SourceSpec.parse("web=/src/web#:deploy");
        assertThat(local.branch()).isNull();
        assertThat(local.path()).isEqualTo("deploy");
        assertThat(local.remote()).isFalse();

        SourceSpec scp = SourceSpec.parse("infra=git@git.example.com:org/infra.git#release/1.2");
        assertThat(scp.url()).isEqualTo("git@git.example.com:org/infra.git");
        assertThat(scp.branch()).isEqualTo("release/1.2");
        assertThat(scp.ssh()).isTrue();
    }

    @Test
    void refusesBadNamesBranchesAndPaths() {
        assertThatThrownBy(() -> SourceSpec.parse("https://x/y.git")).hasMessageContaining("expected NAME=URL");
        assertThatThrownBy(() -> SourceSpec.parse("Shop=/x")).hasMessageContaining("lowercase letters");
        assertThatThrownBy(() -> SourceSpec.parse("shop=/x#a..b")).hasMessageContaining("not a branch name");
        assertThatThrownBy(() -> SourceSpec.parse("shop=/x#main:../etc")).hasMessageContaining("inside the repository");
    }

    @Test
    void urlsLoseTheirSecretsForPeople() {
        assertThat(SourceSpec.redact("https://x-access-token:ghp_secret@github.com/o/r.git"))
                .isEqualTo("https://github.com/o/r.git");
        assertThat(SourceSpec.redact("https://ghp_secret@github.com/o/r.git")).isEqualTo("https://github.com/o/r.git");
        assertThat(SourceSpec.redact("ssh://git:pw@host:2222/r.git")).isEqualTo("ssh://git@host:2222/r.git");
        assertThat(SourceSpec.redact("ssh://git@host/r.git")).isEqualTo("ssh://git@host/r.git");
        assertThat(SourceSpec.parse("s=https://u:p4ss@h/r.git").toString()).doesNotContain("p4ss");
    }

    @Test
    void readsASourcesFileWithPathsRelativeToIt() throws Exception {
        Path f = tmp.resolve("sources.yaml");
        Files.writeString(f, """
                sources:
                  - name: shop
                    url: https://git.example.com/shop.git
                    branch: main
                    path: deploy
                    passwordFile: secrets/shop-token
                    poll: 2m
                  - name: local
                    url: repos/web
                """);
        List<SourceSpec> s = SourcesFile.load(f);
        assertThat(s).extracting(SourceSpec::name).containsExactly("shop", "local");
        assertThat(s.get(0).auth().passwordFile()).isEqualTo(tmp.resolve("secrets/shop-token").toAbsolutePath());
        assertThat(s.get(0).poll()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.get(1).url()).isEqualTo(tmp.resolve("repos/web").toAbsolutePath().toString());
    }

    @Test
    void sourcesFileErrorsSayWhere() throws Exception {
        Path f = tmp.resolve("sources.yaml");
        Files.writeString(f, "sources:\n  - name: shop\n    url: /x\n    brnch: main\n");
        assertThatThrownBy(() -> SourcesFile.load(f)).hasMessage(f + ":4:5: unknown key 'brnch' (expected one of "
                + "branch, knownHostsFile, name, passwordEnv, passwordFile, path, poll, sshKeyFile, url, username)");

        Files.writeString(f, "sources:\n  - name: shop\n    url: /x\n  - name: shop\n    url: /y\n");
        assertThatThrownBy(() -> SourcesFile.load(f)).hasMessage(f + ":4:5: two sources are named 'shop'");

        Files.writeString(f, "sources:\n  - &a\n    name: shop\n    url: /x\n  - *a\n");
        assertThatThrownBy(() -> SourcesFile.load(f)).hasMessageContaining("anchors and aliases are not supported");

        Files.writeString(f, "sources:\n  - name: shop\n    url: /x\n    poll: soon\n");
        assertThatThrownBy(() -> SourcesFile.load(f)).hasMessageContaining(":2:5: poll 'soon': expected a duration");
    }
}
