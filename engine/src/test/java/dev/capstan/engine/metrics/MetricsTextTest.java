package dev.capstan.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricsTextTest {
    @Test
    void declaresEachFamilyOnceAndEscapesLabelValues() {
        MetricsText a = new MetricsText()
                .add("x_total", MetricsText.Type.COUNTER, "Xs.", 3, "service", "a/\"b\"\\c\nd")
                .add("x_total", MetricsText.Type.COUNTER, "Xs.", 4, "service", "e")
                .add("up", MetricsText.Type.GAUGE, "Up.", 1);
        MetricsText b = new MetricsText().add("up", MetricsText.Type.GAUGE, "Up.", 0).append(a);
        assertThat(a.text()).isEqualTo("""
                # HELP x_total Xs.
                # TYPE x_total counter
                x_total{service="a/\\"b\\"\\\\c\\nd"} 3
                x_total{service="e"} 4
                # HELP up Up.
                # TYPE up gauge
                up 1
                """);
        assertThat(b.text()).startsWith("# HELP up Up.\n# TYPE up gauge\nup 0\n# HELP x_total");
        assertThatThrownBy(() -> new MetricsText().add("x", MetricsText.Type.GAUGE, "X.", 1, "odd"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
