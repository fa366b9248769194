package dev.capstan.gitsync.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.SourceFile;
import dev.capstan.engine.scheduler.Placement;
import dev.capstan.model.Deployment;
import dev.capstan.model.KubeObject;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The placement dry run: the real scheduler over a snapshot, and the nodes file that describes one. */
class PlacementSimulationTest {
    @TempDir
    Path dir;

    private static List<KubeObject> compile(String text) {
        CompileResult r = new CapCompiler().compile(List.of(new SourceFile("s.cap", text)));
        assertThat(r.errors()).isEmpty();
        return r.objects();
    }

    private static String svc(String name, int replicas, String memory) {
        return "service " + name + " in shop {\n  image \"x/" + name + ":1\"\n  replicas " + replicas
                + "\n  resources { cpu 100m  memory " + memory + " }\n}\n";
    }

    private static Node node(String name, String memory) {
        return Placement.simulatedNode(name, Map.of("cpu", "4", "memory", memory, "pods", "110"),
                Map.of("kubernetes.io/hostname", name), List.of());
    }

    /** Running pods as the live cluster reports them: bound, labelled like the Deployment's template. */
    private static List<Pod> running(KubeObject deployment, String node, int n) {
        Deployment d = (Deployment) deployment;
        List<Pod> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectMeta m = ObjectMeta.of("shop", d.metadata().name() + "-live-" + i)
                    .withLabels(d.spec().template().metadata().labels());
            out.add(new Pod(m, d.spec().template().spec().withNodeName(node), Pod.Status.pending(null, null, null)));
        }
        return out;
    }

    @Test
    void podsOfARemovedServiceMakeRoomOnALiveCluster() {
        List<KubeObject> base = compile("namespace shop { }\n" + svc("old", 3, "1Gi"));
        List<KubeObject> head = compile("namespace shop { }\n" + svc("big", 3, "1Gi"));
        Deployment old = (Deployment) base.get(1);
        ClusterSnapshot full = new ClusterSnapshot("live", List.of(node("n1", "3Gi")), running(old, "n1", 3));

        PlacementReport r = PlacementSimulation.run(full, base, head, ObjectDiff.diff(base, head));

        assertThat(r.newPods()).isEqualTo(3);
        assertThat(r.scheduled()).isEqualTo(3);
        assertThat(r.unfit()).isEmpty();
    }

    @Test
    void scalingUpOnAFullClusterReportsTheSchedulersReason() {
        List<KubeObject> base = compile("namespace shop { }\n" + svc("web", 2, "1Gi"));
        List<KubeObject> head = compile("namespace shop { }\n" + svc("web", 4, "1Gi"));
        ClusterSnapshot snapshot = new ClusterSnapshot("live", List.of(node("n1", "3Gi"), node("n2", "1Gi")),
                running(base.get(1), "n1", 2));

        PlacementReport r = PlacementSimulation.run(snapshot, base, head, ObjectDiff.diff(base, head));

        assertThat(r.newPods()).isEqualTo(2); // only the two extra replicas: the template did not change
        assertThat(r.scheduled()).isEqualTo(2); // one on each node
        PlacementReport again = PlacementSimulation.run(snapshot, base,
                compile("namespace shop { }\n" + svc("web", 5, "1Gi")), ObjectDiff.diff(base,
                        compile("namespace shop { }\n" + svc("web", 5, "1Gi"))));
        assertThat(again.unfit()).singleElement().satisfies(u -> {
            assertThat(u.deployment()).isEqualTo("shop/web");
            assertThat(u.pods()).isEqualTo(1);
            assertThat(u.reason()).isEqualTo("0/2 nodes are available: 2 insufficient memory.");
            assertThat(u.source()).isEqualTo("s.cap:2");
        });
    }

    @Test
    void nodesFileRunsTheBaseFirstThenTheChange() throws Exception {
        Path file = dir.resolve("nodes.yaml");
        Files.writeString(file, """
                nodes:
                  - { name: n1, cpu: "1", memory: 2Gi }
                  - name: gpu
                    cpu: "8"
                    memory: 64Gi
                    taints: [ { key: dedicated, value: gpu, effect: NoSchedule } ]
                """);
        ClusterSnapshot snapshot = NodesFile.read(file);
        assertThat(snapshot.pods()).isNull();
        List<KubeObject> base = compile("namespace shop { }\n" + svc("web", 1, "1Gi"));
        List<KubeObject> head = compile("namespace shop { }\n" + svc("web", 1, "1Gi") + svc("api", 2, "1Gi"));

        PlacementReport r = PlacementSimulation.run(snapshot, base, head, ObjectDiff.diff(base, head));

        // web holds 1Gi of n1; one api pod fits beside it; the tainted node takes nothing.
        assertThat(r.newPods()).isEqualTo(2);
        assertThat(r.scheduled()).isEqualTo(1);
        assertThat(r.unfit().get(0).reason()).isEqualTo("0/2 nodes are available: 1 insufficient memory, "
                + "1 node(s) had untolerated taint {dedicated: gpu}.");
    }

    @Test
    void badNodesFilesAreRefusedWithTheirLocation() throws Exception {
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, "nodes:\n  - name: n1\n    cpu: \"2\"\n    memroy: 4Gi\n");
        assertThatThrownBy(() -> NodesFile.read(typo)).isInstanceOf(PlanException.class)
                .hasMessageStartingWith(typo + ":4:5: unknown field 'memroy' (expected one of name, cpu, memory, pods, labels, taints)");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"nodes\": [{\"name\": \"n1\", \"cpu\": \"lots\", \"memory\": \"4Gi\"}]}");
        assertThatThrownBy(() -> NodesFile.read(bad)).hasMessageStartingWith(bad + ": node n1: bad quantity");
        assertThatThrownBy(() -> NodesFile.read(dir.resolve("none.yaml"))).hasMessageEndingWith("no such file");
        Path alias = dir.resolve("alias.yaml");
        Files.writeString(alias, "nodes:\n  - { name: a, cpu: &c \"2\", memory: 1Gi }\n  - { name: b, cpu: *c, memory: 1Gi }\n");
        assertThatThrownBy(() -> NodesFile.read(alias)).hasMessage(alias + ":3:21: YAML aliases (*name) are not "
                + "supported: write the value out");
    }
}
