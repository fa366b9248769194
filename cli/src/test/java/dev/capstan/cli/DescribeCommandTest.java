package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.engine.api.ApiServer;
import dev.capstan.engine.client.HttpApiClient;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.scheduler.Binder;
import dev.capstan.engine.scheduler.Profile;
import dev.capstan.engine.scheduler.Scheduler;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.model.Condition;
import dev.capstan.engine.controller.builtin.DeploymentController;
import dev.capstan.model.Container;
import dev.capstan.model.Deployment;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.PodTemplateSpec;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import dev.capstan.model.Service;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code capstan describe} against a real API server over a real (embedded Hazelcast) store. */
class DescribeCommandTest {
    private static HazelcastStateStore store;
    private static ApiServer server;
    private static HttpApiClient api;

    @BeforeAll
    static void start() {
        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName("describe-" + UUID.randomUUID())
                .withPort(20000 + ThreadLocalRandom.current().nextInt(20000)).withBackupCount(0));
        server = ApiServer.builder(store).bind("127.0.0.1", 0).plainHttp().adminToken("t").build().start();
        api = new HttpApiClient(server.url(), "t");
        Map<String, String> alloc = Map.of("cpu", "1", "memory", "1Gi", "pods", "110");
        store.create(new Node(ObjectMeta.of(null, "small").withLabels(Map.of("zone", "a")), new Node.Spec(null, null,
                List.of(new Node.Taint("dedicated", "db", "PreferNoSchedule"))),
                new Node.Status(alloc, alloc, List.of(Condition.of("Ready", true, "KubeletReady", "agent is posting")),
                        List.of(new Node.Address("InternalIP", "10.0.0.7")), null)));
        Container big = new Container("main", "nginx:1.27", null, null, null,
                List.of(new Container.ContainerPort("http", 80, null, "TCP")),
                new Container.Resources(Map.of("cpu", "2", "memory", "512Mi"), null), null, null, null, null);
        store.create(new Pod(ObjectMeta.of("default", "huge").withLabels(Map.of("app", "huge")),
                new PodSpec(List.of(big), null, null, null, null, null), null));
        store.create(new Service(ObjectMeta.of("default", "web"),
                new Service.Spec(Map.of("app", "web"), List.of(new Service.Port("http", 80, "8080", "TCP")), "10.96.0.10",
                        null)));
        Scheduler scheduler = new Scheduler(store, new EventRecorder(store, Scheduler.COMPONENT), Profile.defaults(),
                Binder.of(store), Duration.ofSeconds(30));
        scheduler.resyncKeys();
        scheduler.reconcile("default/huge");
    }

    @AfterAll
    static void stop() {
        api.close();
        server.close();
        store.close();
    }

    private static String describe(String kind, String name) {
        return DescribeCommand.run(api, DescribeCommand.kind(kind), null, name,
                Clock.offset(Clock.system(ZoneOffset.UTC), Duration.ofSeconds(5)));
    }

    @Test
    void pendingPodShowsWhyItWasNotScheduledAndItsEvents() {
        String out = describe("pod", "huge");

        assertThat(out).contains("Name:           huge\n", "Namespace:      default\n", "Node:           <none>\n",
                "Labels:         app=huge\n", "Status:         Pending\n", "    Image:          nginx:1.27\n",
                "    Ports:          80/TCP\n", "    Requests:       cpu=2, memory=512Mi\n",
                "Scheduling:     0/1 nodes are available: 1 insufficient cpu.\n");
        assertThat(out).containsPattern("  PodScheduled +False +Unschedulable +0/1 nodes are available");
        assertThat(out).containsPattern(
                "  Warning +FailedScheduling +[0-9]+s +default-scheduler +0/1 nodes are available: 1 insufficient cpu\\.");
    }

    @Test
    void nodeShowsTaintsConditionsCapacityAndPods() {
        String out = describe("no", "small");

        assertThat(out).contains("Name:           small\n", "Labels:         zone=a\n",
                "Taints:         dedicated=db:PreferNoSchedule\n", "    InternalIP:     10.0.0.7\n",
                "    cpu:            1\n", "Non-terminated Pods:  (0 in total)\n", "Events:          <none>\n");
        assertThat(out).containsPattern("  Ready +True +KubeletReady +agent is posting");
    }

    @Test
    void serviceShowsSelectorPortsAndEndpoints() {
        String out = describe("svc", "web");

        assertThat(out).contains("Selector:       app=web\n", "IP:             10.96.0.10\n",
                "Port:           http  80/TCP\n", "TargetPort:     8080\n", "Endpoints:      <none>\n");
    }

    @Test
    void missingObjectsAndKindsAreUserErrors() {
        assertThatThrownBy(() -> describe("pod", "nope")).isInstanceOf(UserError.class)
                .hasMessage("pod \"nope\" not found in namespace default");
        assertThatThrownBy(() -> DescribeCommand.kind("statefulset")).isInstanceOf(UserError.class)
                .hasMessageContaining("try pod, service, node or deployment");
    }

    @Test
    void deploymentShowsReplicasRevisionsAndAMissedProgressDeadline() {
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(120));
        Deployment d = new Deployment(ObjectMeta.of("default", "api"), new Deployment.Spec(2,
                new LabelSelector(Map.of("app", "api")), new PodTemplateSpec(ObjectMeta.of(null, null)
                .withLabel("app", "api"), new PodSpec(List.of(new Container("main", "api:1", null, null, null, null,
                null, null, null, null, null)), null, null, null, null, null)), null, 60, null), null);
        store.create(d);
        DeploymentController c = new DeploymentController(store,
                new EventRecorder(store, DeploymentController.COMPONENT));
        c.reconcile("default/api"); // a ReplicaSet, revision 1, whose pods never come
        new DeploymentController(store, new EventRecorder(store, DeploymentController.COMPONENT, later), later)
                .reconcile("default/api");

        String out = describe("deploy", "api");

        assertThat(out).contains("Replicas:       2 desired | 0 updated | 0 total | 0 available | 0 unavailable\n",
                "StrategyType:   RollingUpdate\n", "RollingUpdateStrategy: 25% max unavailable, 25% max surge\n",
                "ProgressDeadline: 60s\n");
        assertThat(out).containsPattern("Progressing +False +ProgressDeadlineExceeded +ReplicaSet \"api-\\w+\" has timed out");
        assertThat(out).containsPattern("NewReplicaSet: +api-\\w+ \\(0/2 replicas created\\)");
        assertThat(out).containsPattern("  1 +api-\\w+ +2 +api:1");
        assertThat(out).containsPattern("Warning +ProgressDeadlineExceeded .*exceeded its progress deadline");
    }

    @Test
    void agesReadLikeKubectl() {
        Describer d = new Describer(api, Clock.fixed(Instant.parse("2026-01-02T03:00:00Z"), ZoneOffset.UTC));
        assertThat(d.age("2026-01-02T02:59:15Z")).isEqualTo("45s");
        assertThat(d.age("2026-01-02T02:30:00Z")).isEqualTo("30m");
        assertThat(d.age("2026-01-01T00:00:00Z")).isEqualTo("27h");
        assertThat(d.age("garbage")).isEqualTo("<unknown>");
    }
}
