package dev.capstan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelJsonTest {

    @Test
    void podRoundTripsInKubernetesShape() {
        Container c = new Container("web", "capstan.local/busybox:1.35", List.of("httpd"), List.of("-f"),
                List.of(new Container.EnvVar("A", "b")), List.of(new Container.ContainerPort("http", 8080, null, "TCP")),
                new Container.Resources(Map.of("cpu", "100m", "memory", "32Mi"), null), null);
        Pod pod = new Pod(ObjectMeta.of("demo", "web-1").withLabel("app", "web"),
                new PodSpec(List.of(c), "node-1", "Always", null, null, true), null);

        String json = Json.write(pod);

        assertThat(json).startsWith("{\"apiVersion\":\"v1\",\"kind\":\"Pod\"");
        assertThat(json).contains("\"nodeName\":\"node-1\"").doesNotContain("null")
                .doesNotContain("\"ready\"").doesNotContain("\"terminal\"");
        Pod back = Json.read(json, Pod.class);
        assertThat(back).isEqualTo(pod);
        assertThat(back.spec().cpuMillis()).isEqualTo(100);
        assertThat(back.spec().memoryBytes()).isEqualTo(32L << 20);
    }

    @Test
    void readsKubernetesJsonWithUnknownFields() {
        String json = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\","
                + "\"namespace\":\"n\",\"managedFields\":[]},\"spec\":{\"replicas\":3,\"paused\":false}}";
        Deployment d = Json.read(json, Deployment.class);
        assertThat(d.spec().replicas()).isEqualTo(3);
        assertThat(d.key()).isEqualTo("n/d");
        assertThat(Kinds.of(d)).isSameAs(Kinds.DEPLOYMENT);
    }

    @Test
    void parsesQuantities() {
        assertThat(Quantity.parseCpuMillis("250m")).isEqualTo(250);
        assertThat(Quantity.parseCpuMillis("1.5")).isEqualTo(1500);
        assertThat(Quantity.parseBytes("1Gi")).isEqualTo(1L << 30);
        assertThat(Quantity.parseBytes("500M")).isEqualTo(500_000_000L);
        assertThat(Quantity.formatBytes(64L << 20)).isEqualTo("64Mi");
        assertThatThrownBy(() -> Quantity.parseBytes("lots")).hasMessageContaining("32Mi");
    }

    @Test
    void findsKindsByAnyName() {
        assertThat(Kinds.find("po")).contains(Kinds.POD);
        assertThat(Kinds.find("Deployments")).contains(Kinds.DEPLOYMENT);
        assertThat(Kinds.find("svc")).contains(Kinds.SERVICE);
        assertThat(Kinds.find("bogus")).isEmpty();
    }

    @Test
    void setBasedSelectorsMatchAsKubernetesDoes() {
        LabelSelector s = new LabelSelector(Map.of("app", "web"), List.of(
                new LabelSelector.Requirement("tier", "In", List.of("front", "api")),
                new LabelSelector.Requirement("canary", "DoesNotExist", null)));
        assertThat(s.matches(Map.of("app", "web", "tier", "api"))).isTrue();
        assertThat(s.matches(Map.of("app", "web", "tier", "db"))).isFalse();
        assertThat(s.matches(Map.of("app", "web", "tier", "api", "canary", "yes"))).isFalse();
        assertThat(new LabelSelector(Map.of()).matches(Map.of("a", "b"))).as("empty selects nothing").isFalse();
        assertThat(new LabelSelector.Requirement("cores", "Gt", List.of("4")).matches(Map.of("cores", "8"))).isTrue();
    }

    @Test
    void tolerationsMatchTaints() {
        Node.Taint gpu = new Node.Taint("gpu", "true", "NoSchedule");
        assertThat(new Toleration("gpu", "Equal", "true", "NoSchedule", null).tolerates(gpu)).isTrue();
        assertThat(new Toleration("gpu", "Exists", null, null, null).tolerates(gpu)).isTrue();
        assertThat(new Toleration("gpu", "Equal", "false", null, null).tolerates(gpu)).isFalse();
        assertThat(new Toleration(null, "Exists", null, null, null).tolerates(gpu)).isTrue();
        assertThat(new Toleration("gpu", "Exists", null, "NoExecute", null).tolerates(gpu)).isFalse();
    }

    @Test
    void placementAndProbesRoundTrip() {
        Affinity.PodAffinityTerm apart = new Affinity.PodAffinityTerm(new LabelSelector(Map.of("app", "web")), null,
                "kubernetes.io/hostname");
        Container c = new Container("web", "img", null, null, null, null, null, null,
                new Probe(new Probe.HttpGet("/healthz", "http", null), null, null, null, 5, 1, null, 3), null, null);
        PodSpec spec = new PodSpec(List.of(c), null, "Always", 30L, Map.of("zone", "a"), true,
                new Affinity(null, null, new Affinity.PodAffinity(List.of(apart), null)),
                List.of(new Toleration("gpu", "Exists", null, "NoSchedule", null)),
                List.of(new TopologySpreadConstraint(1, "zone", "DoNotSchedule", new LabelSelector(Map.of("app", "web")))),
                100);
        Pod pod = new Pod(ObjectMeta.of("demo", "p"), spec, null);

        String json = Json.write(pod);

        assertThat(json).contains("\"podAntiAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\"")
                .contains("\"livenessProbe\":{\"httpGet\":{\"path\":\"/healthz\",\"port\":\"http\"}");
        assertThat(Json.read(json, Pod.class)).isEqualTo(pod);
        assertThat(pod.spec().withNodeName("n1").affinity()).isEqualTo(spec.affinity());
    }
}
