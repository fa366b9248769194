package dev.capstan.gitsync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.SourceFile;
import dev.capstan.model.KubeObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pairing and field-level diffs of compiled objects. */
class ObjectDiffTest {

    private static List<KubeObject> compile(String text) {
        CompileResult r = new CapCompiler().compile(List.of(new SourceFile("svc.cap", text)));
        assertThat(r.errors()).isEmpty();
        return r.objects();
    }

    private static String service(String prefix, String body) {
        return prefix + "namespace shop { }\nservice web in shop {\n  image \"x/web:1.0\"\n  replicas 2\n"
                + "  port http 8080 expose 80\n" + body + "}\n";
    }

    private static List<String> fieldsOf(List<ObjectChange> changes, String kind) {
        return changes.stream().filter(c -> c.kind().equals(kind)).flatMap(c -> c.fields().stream())
                .map(FieldChange::toString).toList();
    }

    @Test
    void movedLinesAndCommitsAreNotChanges() {
        List<KubeObject> base = compile(service("", ""));
        List<KubeObject> head = compile(service("# a comment\n\n\n", ""));
        assertThat(base.get(1).metadata().annotations()).isNotEqualTo(head.get(1).metadata().annotations());

        assertThat(ObjectDiff.diff(base, head)).isEmpty();
        assertThat(ObjectDiff.unchanged(base, head)).isEqualTo(base.size());
    }

    @Test
    void portsResourcesLabelsAndCommandHaveReadablePaths() {
        List<KubeObject> base = compile(service("", "  resources { cpu 100m  memory 64Mi }\n"));
        List<KubeObject> head = compile(service("", "  resources { cpu 100m  memory 128Mi }\n"
                + "  labels { tier = \"frontend\" }\n  command [\"httpd\", \"-f\"]\n").replace("8080", "8081"));

        List<ObjectChange> changes = ObjectDiff.diff(base, head);
        assertThat(changes).extracting(ObjectChange::id).containsExactly("Deployment shop/web", "Service shop/web");
        assertThat(fieldsOf(changes, "Deployment")).contains(
                "ports[http].containerPort 8080 → 8081",
                "resources.requests.memory 64Mi → 128Mi",
                "labels.tier (none) → frontend",
                "command (none) → [\"httpd\",\"-f\"]");
        assertThat(changes.get(0).pods()).isEqualTo(new PodImpact(0, 2, 0));
    }

    @Test
    void scalingAloneReplacesNoPods() {
        List<ObjectChange> up = ObjectDiff.diff(compile(service("", "")),
                compile(service("", "").replace("replicas 2", "replicas 7")));
        assertThat(up).singleElement().satisfies(c -> {
            assertThat(c.fields()).extracting(FieldChange::toString).containsExactly("replicas 2 → 7");
            assertThat(c.pods()).isEqualTo(new PodImpact(5, 0, 0));
        });
        List<ObjectChange> down = ObjectDiff.diff(compile(service("", "").replace("replicas 2", "replicas 7")),
                compile(service("", "")));
        assertThat(down.get(0).pods()).isEqualTo(new PodImpact(0, 0, 5));
    }

    @Test
    void templateChangeWhileScalingDownReplacesWhatStays() {
        List<ObjectChange> c = ObjectDiff.diff(compile(service("", "").replace("replicas 2", "replicas 4")),
                compile(service("", "").replace("x/web:1.0", "x/web:2.0")));
        assertThat(c.get(0).pods()).isEqualTo(new PodImpact(0, 2, 2));
    }

    @Test
    void addedAndRemovedEnvironmentVariablesShowTheirValues() {
        List<ObjectChange> c = ObjectDiff.diff(compile(service("", "  env { A = \"1\"  B = \"2\" }\n")),
                compile(service("", "  env { B = \"2\"  C = \"3\" }\n")));
        assertThat(fieldsOf(c, "Deployment")).containsExactly("env[A] 1 → (none)", "env[C] (none) → 3");
    }
}
