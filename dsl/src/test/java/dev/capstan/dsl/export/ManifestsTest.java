package dev.capstan.dsl.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.SourceFiles;
import dev.capstan.model.Deployment;
import dev.capstan.model.Json;
import dev.capstan.model.KubeObject;
import dev.capstan.model.Kinds;
import dev.capstan.model.Namespace;
import dev.capstan.model.PodSpec;
import dev.capstan.model.Service;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ManifestsTest {
    private static List<KubeObject> objects;
    private static Manifests.Export export;

    @BeforeAll
    static void compile() throws IOException {
        Path dir = Path.of("src/test/resources/features");
        CompileResult result = new CapCompiler().compile(SourceFiles.load(dir.resolve("pod-settings.cap"), dir));
        assertThat(result.errors()).isEmpty();
        objects = result.objects();
        export = Manifests.of(objects);
    }

    static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        YAMLMapper mapper = new YAMLMapper();
        try (MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                out.add(it.next());
            }
        }
        return out;
    }

    @Test
    void yamlIsOneDocumentPerObjectWithKubernetesKinds() throws IOException {
        String yaml = export.yaml();
        assertThat(yaml).startsWith("---\napiVersion: v1\nkind: Namespace\n");
        List<JsonNode> docs = documents(yaml);
        assertThat(docs).hasSize(objects.size());
        assertThat(docs).extracting(d -> d.get("apiVersion").asText() + " " + d.get("kind").asText())
                .containsExactly("v1 Namespace", "apps/v1 Deployment", "apps/v1 Deployment", "v1 Service",
                        "v1 Service");
        assertThat(yaml).doesNotContain("status:").doesNotContain("uid:").doesNotContain("resourceVersion");
    }

    @Test
    void yamlParsesBackIntoTheSameModelObjects() throws IOException {
        List<JsonNode> docs = documents(export.yaml());
        for (int i = 0; i < docs.size(); i++) {
            KubeObject original = objects.get(i);
            KubeObject back = Json.MAPPER.treeToValue(docs.get(i), original.getClass());
            assertThat(back).as(original.key()).isEqualTo(withoutPriority(original));
        }
    }

    @Test
    void jsonIsOneListWithTheSameItems() throws IOException {
        JsonNode list = Json.MAPPER.readTree(export.json());
        assertThat(list.get("apiVersion").asText()).isEqualTo("v1");
        assertThat(list.get("kind").asText()).isEqualTo("List");
        assertThat(list.get("items")).hasSize(objects.size());
        assertThat(list.get("items").get(0)).isEqualTo(documents(export.yaml()).get(0));
    }

    @Test
    void intOrStringNumbersAreNumbersAndStringsThatLookLikeValuesStayStrings() throws IOException {
        JsonNode web = documents(export.yaml()).get(2);
        assertThat(web.at("/spec/strategy/rollingUpdate/maxSurge").isInt()).isTrue();
        assertThat(web.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
        assertThat(web.at("/metadata/annotations/prometheus.io~1scrape").isTextual()).isTrue();
        assertThat(web.at("/spec/template/spec/containers/0/livenessProbe/httpGet/port").asText()).isEqualTo("http");
        assertThat(export.yaml()).contains("prometheus.io/scrape: \"true\"");
    }

    @Test
    void priorityIsLeftOutWithANote() {
        assertThat(export.yaml()).doesNotContain("priority:");
        assertThat(export.notes()).singleElement().asString().startsWith("shop/web: priority 1000 left out");
    }

    @Test
    void everyKindRoundTripsThroughTheModelKinds() {
        assertThat(objects).extracting(KubeObject::kind).allSatisfy(k -> assertThat(Kinds.ALL.stream()
                .anyMatch(kind -> kind.kind().equals(k))).isTrue());
        assertThat(objects).hasAtLeastOneElementOfType(Namespace.class).hasAtLeastOneElementOfType(Service.class);
    }

    private static KubeObject withoutPriority(KubeObject o) {
        if (!(o instanceof Deployment d)) {
            return o;
        }
        PodSpec p = d.spec().template().spec();
        PodSpec stripped = new PodSpec(p.containers(), p.nodeName(), p.restartPolicy(),
                p.terminationGracePeriodSeconds(), p.nodeSelector(), p.hostNetwork(), p.affinity(), p.tolerations(),
                p.topologySpreadConstraints(), null);
        return d.withSpec(new Deployment.Spec(d.spec().replicas(), d.spec().selector(),
                new dev.capstan.model.PodTemplateSpec(d.spec().template().metadata(), stripped), d.spec().strategy()));
    }
}
