package dev.capstan.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.engine.store.StoreException;
import dev.capstan.model.Json;
import dev.capstan.model.Kinds;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorsTest {
    private static final Map<String, String> LABELS = Map.of("app", "web", "tier", "front", "env", "prod");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''|true", "app=web|true", "app==web|true", "app=db|false", "app!=db|true", "app!=web|false",
        "app=web,tier=front|true", "app=web,tier=back|false", "app|true", "!app|false", "!missing|true",
        "missing!=x|true", "env in (prod,staging)|true", "env in (dev)|false", "env notin (dev, qa)|true",
        "app=web, env in (prod)|true"})
    void matchesLabelSelectors(String selector, boolean expected) {
        assertThat(Selectors.labels(selector).test(LABELS)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"a=b=c", "=x", "a b=c", "app=we b"})
    void refusesMalformedLabelSelectorsWith400(String selector) {
        assertThatThrownBy(() -> Selectors.labels(selector)).isInstanceOf(StoreException.class)
                .hasMessageContaining("label selector").extracting(e -> ((StoreException) e).httpStatus())
                .isEqualTo(400);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "spec.nodeName=node-1|true", "spec.nodeName=node-2|false", "spec.nodeName!=node-2|true",
        "metadata.name=web-1,metadata.namespace=shop|true", "status.phase=Pending|true", "status.podIP=|true"})
    void matchesPodFieldSelectors(String selector, boolean expected) {
        var pod = Json.MAPPER.valueToTree(Fixtures.pod("shop", "web-1", "node-1", LABELS));
        assertThat(Selectors.fields(Kinds.POD, selector).test((com.fasterxml.jackson.databind.JsonNode) pod))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"spec.replicas=3", "nodeName", "spec.nodeName=a,bogus"})
    void refusesUnsupportedFieldSelectors(String selector) {
        assertThatThrownBy(() -> Selectors.fields(Kinds.POD, selector)).isInstanceOf(StoreException.class)
                .extracting(e -> ((StoreException) e).httpStatus()).isEqualTo(400);
    }
}
