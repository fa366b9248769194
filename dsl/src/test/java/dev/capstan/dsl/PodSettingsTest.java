package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.Affinity;
import dev.capstan.model.Container;
import dev.capstan.model.Deployment;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.PodSpec;
import dev.capstan.model.Probe;
import dev.capstan.model.Service;
import dev.capstan.model.Toleration;
import dev.capstan.model.TopologySpreadConstraint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Annotations, restart policy, probes, stop grace, update strategy and placement, lowered to the model. */
class PodSettingsTest {
    private static CompileResult result;
    private static Deployment web;

    @BeforeAll
    static void compile() throws IOException {
        Path dir = Path.of("src/test/resources/features");
        result = new CapCompiler().compile(List.of(SourceFiles.read(dir.resolve("pod-settings.cap"), dir)));
        web = result.objects().stream().filter(o -> o instanceof Deployment && o.metadata().name().equals("web"))
                .map(Deployment.class::cast).findFirst().orElseThrow();
    }

    private static PodSpec pod() {
        return web.spec().template().spec();
    }

    @Test
    void compilesWithoutDiagnostics() {
        assertThat(result.diagnostics()).isEmpty();
    }

    @Test
    void annotationsGoOnTheDeploymentItsPodsAndItsService() {
        assertThat(web.metadata().annotations()).containsEntry("prometheus.io/scrape", "true")
                .containsKey("capstan.dev/source");
        assertThat(web.spec().template().metadata().annotations()).containsExactly(
                Map.entry("prometheus.io/scrape", "true"));
        Service svc = result.objects().stream().filter(o -> o instanceof Service && o.metadata().name().equals("web"))
                .map(Service.class::cast).findFirst().orElseThrow();
        assertThat(svc.metadata().annotations()).containsEntry("prometheus.io/scrape", "true");
    }

    @Test
    void probesLowerWithSecondsAndThresholds() {
        Container c = pod().containers().get(0);
        assertThat(c.livenessProbe()).isEqualTo(new Probe(new Probe.HttpGet("/healthz", "http", "HTTP"), null, null,
                10, 5, 1, null, 3));
        assertThat(c.readinessProbe()).isEqualTo(new Probe(null, new Probe.TcpSocket("http"), null, null, 2, null,
                2, null));
        assertThat(c.startupProbe()).isEqualTo(new Probe(null, null, new Probe.Exec(List.of("cat", "/tmp/ready")),
                null, 1, null, null, 30));
    }

    @Test
    void restartGracePriorityAndUpdate() {
        assertThat(pod().restartPolicy()).isEqualTo("Always");
        assertThat(pod().terminationGracePeriodSeconds()).isEqualTo(30L);
        assertThat(pod().priority()).isEqualTo(1000);
        assertThat(web.spec().strategy()).isEqualTo(new Deployment.Strategy("RollingUpdate",
                new Deployment.RollingUpdate("1", "0")));
    }

    @Test
    void nodeSelectorAndNodeAffinity() {
        assertThat(pod().nodeSelector()).containsExactly(Map.entry("disktype", "ssd"));
        Affinity.NodeAffinity nodes = pod().affinity().nodeAffinity();
        assertThat(nodes.requiredDuringSchedulingIgnoredDuringExecution().nodeSelectorTerms()).containsExactly(
                new Affinity.NodeSelectorTerm(List.of(
                        new LabelSelector.Requirement("kubernetes.io/arch", "In", List.of("amd64", "arm64")),
                        new LabelSelector.Requirement("spot", "DoesNotExist", null))));
        assertThat(nodes.preferredDuringSchedulingIgnoredDuringExecution()).containsExactly(
                new Affinity.PreferredSchedulingTerm(20, new Affinity.NodeSelectorTerm(List.of(
                        new LabelSelector.Requirement("zone", "In", List.of("eu-1a"))))));
    }

    @Test
    void podAffinityAndAntiAffinityWithTopologyKeys() {
        Affinity a = pod().affinity();
        assertThat(a.podAffinity().preferredDuringSchedulingIgnoredDuringExecution()).containsExactly(
                new Affinity.WeightedPodAffinityTerm(50, new Affinity.PodAffinityTerm(
                        new LabelSelector(Map.of("app", "cache")), null, "topology.kubernetes.io/zone")));
        assertThat(a.podAntiAffinity().requiredDuringSchedulingIgnoredDuringExecution()).containsExactly(
                new Affinity.PodAffinityTerm(new LabelSelector(Map.of("app", "web")), null, "kubernetes.io/hostname"));
    }

    @Test
    void spreadShorthandAndFullForm() {
        assertThat(pod().topologySpreadConstraints()).containsExactly(
                new TopologySpreadConstraint(1, "kubernetes.io/hostname", "ScheduleAnyway",
                        new LabelSelector(Map.of("app", "web"))),
                new TopologySpreadConstraint(2, "topology.kubernetes.io/zone", "DoNotSchedule",
                        new LabelSelector(Map.of(), List.of(new LabelSelector.Requirement("tier", "NotIn",
                                List.of("db")), new LabelSelector.Requirement("canary", "DoesNotExist", null)))));
    }

    @Test
    void tolerations() {
        assertThat(pod().tolerations()).containsExactly(
                new Toleration("dedicated", "Equal", "web", "NoSchedule", null),
                new Toleration("node.kubernetes.io/unreachable", "Exists", null, "NoExecute", 60L));
    }

    @Test
    void defaultsStayKubernetesDefaults() {
        Deployment cache = result.objects().stream()
                .filter(o -> o instanceof Deployment && o.metadata().name().equals("cache"))
                .map(Deployment.class::cast).findFirst().orElseThrow();
        PodSpec p = cache.spec().template().spec();
        assertThat(p.affinity()).isNull();
        assertThat(p.tolerations()).isEmpty();
        assertThat(p.terminationGracePeriodSeconds()).isNull();
        assertThat(p.containers().get(0).livenessProbe()).isNull();
        assertThat(cache.spec().strategy().rollingUpdate()).isEqualTo(new Deployment.RollingUpdate("25%", "25%"));
        assertThat(cache.metadata().annotations()).containsOnlyKeys("capstan.dev/source");
    }

    @Test
    void selectorsHaveEqualityAndSetForms() {
        String text = """
                namespace n { }
                service db in n { image "i"  labels { tier = "db"  canary = "yes" } }
                service web in n {
                  image "i"
                  pod-affinity required by "example.com/rack" { tier in ("db", "cache")  canary  zone notin ("x") }
                }
                """;
        CompileResult r = new CapCompiler().compile(List.of(new SourceFile("t.cap", text)));
        assertThat(r.diagnostics()).isEmpty();
        Deployment d = r.objects().stream().filter(o -> o instanceof Deployment && o.metadata().name().equals("web"))
                .map(Deployment.class::cast).findFirst().orElseThrow();
        assertThat(d.spec().template().spec().affinity().podAffinity().requiredDuringSchedulingIgnoredDuringExecution())
                .containsExactly(new Affinity.PodAffinityTerm(new LabelSelector(Map.of(), List.of(
                        new LabelSelector.Requirement("tier", "In", List.of("db", "cache")),
                        new LabelSelector.Requirement("canary", "Exists", null),
                        new LabelSelector.Requirement("zone", "NotIn", List.of("x")))), null, "example.com/rack"));
    }

    @Test
    void anHttpsProbeCarriesItsScheme() {
        String text = """
                namespace n { }
                service web in n {
                  image "i"
                  port https 8443
                  liveness https "/healthz" port https every 5s
                  readiness http "/ready" port https
                }
                """;
        CompileResult r = new CapCompiler().compile(List.of(new SourceFile("t.cap", text)));
        assertThat(r.diagnostics()).isEmpty();
        Deployment d = r.objects().stream().filter(o -> o instanceof Deployment).map(Deployment.class::cast)
                .findFirst().orElseThrow();
        var c = d.spec().template().spec().containers().get(0);
        assertThat(c.livenessProbe().httpGet()).isEqualTo(new Probe.HttpGet("/healthz", "https", "HTTPS"));
        assertThat(c.readinessProbe().httpGet()).isEqualTo(new Probe.HttpGet("/ready", "https", "HTTP"));
    }
}
