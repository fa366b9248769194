package dev.capstan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {
    private final Map<String, String> env = Map.of("PORT", "20001", "POD_NAME", "web-x1");

    @Test
    void expandsKnownVariablesKubernetesStyle() {
        assertThat(Env.expand("-p $(PORT)", env)).isEqualTo("-p 20001");
        assertThat(Env.expand("$(POD_NAME):$(PORT)", env)).isEqualTo("web-x1:20001");
    }

    @Test
    void leavesUnknownVariablesShellSyntaxAndEscapesAlone() {
        assertThat(Env.expand("$(NOPE) $PORT", env)).isEqualTo("$(NOPE) $PORT");
        assertThat(Env.expand("$$(PORT)", env)).isEqualTo("$(PORT)");
        assertThat(Env.expand("$(PORT", env)).isEqualTo("$(PORT");
    }

    @Test
    void namesPortVariables() {
        assertThat(Env.portVar("http-alt")).isEqualTo("PORT_HTTP_ALT");
    }
}
