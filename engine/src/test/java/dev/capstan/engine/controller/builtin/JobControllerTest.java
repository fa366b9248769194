package dev.capstan.engine.controller.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.TestStores;
import dev.capstan.model.Job;
import dev.capstan.model.Kinds;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodTemplateSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link JobController}, reconcile by reconcile, with pods ended by hand as an agent would. */
class JobControllerTest {
    private static final AtomicInteger N = new AtomicInteger();
    private static HazelcastStateStore store;
    private String ns;
    private JobController controller;

    @BeforeAll
    static void startMember() {
        store = TestStores.start();
    }

    @AfterAll
    static void stopMember() {
        store.close();
    }

    @BeforeEach
    void setUp() {
        ns = "job" + N.incrementAndGet();
        controller = new JobController(store, new EventRecorder(store, JobController.COMPONENT),
                new Fixtures.MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    }

    private Job job(Integer completions, Integer parallelism, Integer backoffLimit, String restartPolicy) {
        PodTemplateSpec t = Fixtures.template("migrate", "migrate:1");
        t = new PodTemplateSpec(t.metadata(), t.spec().withRestartPolicy(restartPolicy));
        return store.create(new Job(ObjectMeta.of(ns, "migrate"), new Job.Spec(completions, parallelism, backoffLimit,
                new LabelSelector(Map.of("app", "migrate")), t), null));
    }

    private void reconcile() {
        controller.reconcile(ns + "/migrate");
    }

    private Job current() {
        return store.get(Kinds.JOB, ns, "migrate").orElseThrow();
    }

    private List<Pod> running() {
        return store.list(Kinds.POD, ns).stream().filter(p -> !p.isTerminal() && PodDeletion.isLive(p)).toList();
    }

    private void end(Pod p, String phase) {
        Pod now = store.get(Kinds.POD, ns, p.metadata().name()).orElseThrow();
        store.update(now.withStatus(new Pod.Status(phase, null, null, null, null, null, null, null)));
    }

    @Test
    void runsParallelPodsUntilEnoughSucceedThenCompletes() {
        job(3, 2, 3, "Never");
        reconcile();
        List<Pod> first = running();
        assertThat(first).hasSize(2).allSatisfy(p -> {
            assertThat(p.spec().restartPolicy()).isEqualTo("Never");
            assertThat(p.metadata().labels()).containsEntry(Job.JOB_NAME, "migrate");
            assertThat(p.metadata().controller().kind()).isEqualTo("Job");
        });
        assertThat(current().status().active()).isEqualTo(2);

        end(first.get(0), Pod.SUCCEEDED);
        end(first.get(1), Pod.SUCCEEDED);
        reconcile();
        assertThat(running()).as("only one more completion is needed").hasSize(1);
        assertThat(current().status().succeeded()).isEqualTo(2);

        end(running().get(0), Pod.SUCCEEDED);
        reconcile();
        Job done = current();
        assertThat(done.status().succeeded()).isEqualTo(3);
        assertThat(done.status().active()).isZero();
        assertThat(done.status().has("Complete")).isTrue();
        assertThat(done.status().completionTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(running()).isEmpty();
        assertThat(store.list(Kinds.POD, ns)).as("ended pods are kept for their logs").hasSize(3);
        assertThat(store.list(Kinds.EVENT, ns)).extracting(e -> e.reason()).contains("Completed");

        reconcile();
        assertThat(running()).as("a complete job starts nothing").isEmpty();
    }

    @Test
    void failsWhenFailuresExceedTheBackoffLimit() {
        job(1, 1, 1, null);
        reconcile();
        assertThat(running()).singleElement()
                .satisfies(p -> assertThat(p.spec().restartPolicy()).as("default for jobs").isEqualTo("Never"));

        end(running().get(0), Pod.FAILED);
        reconcile();
        assertThat(current().status().failed()).isEqualTo(1);
        assertThat(running()).as("one failure is within the limit: retried").hasSize(1);

        end(running().get(0), Pod.FAILED);
        reconcile();
        Job failed = current();
        assertThat(failed.status().failed()).isEqualTo(2);
        assertThat(failed.status().has("Failed")).isTrue();
        assertThat(failed.status().conditions()).anySatisfy(c -> assertThat(c.reason()).isEqualTo("BackoffLimitExceeded"));
        assertThat(running()).isEmpty();
        assertThat(store.list(Kinds.EVENT, ns)).filteredOn(e -> e.reason().equals("BackoffLimitExceeded"))
                .singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("Warning"));
    }

    @Test
    void onFailureCountsContainerRestartsAsFailures() {
        job(1, 1, 2, "OnFailure");
        reconcile();
        Pod p = store.get(Kinds.POD, ns, running().get(0).metadata().name()).orElseThrow();
        store.update(p.withStatus(new Pod.Status(Pod.RUNNING, null, null, null, null, null, null,
                List.of(new Pod.ContainerStatus("main", false, 3, null, null, "migrate:1", null, null)))));
        reconcile();
        assertThat(current().status().failed()).isEqualTo(3);
        assertThat(current().status().has("Failed")).isTrue();
        assertThat(running()).as("the restarting pod is stopped").isEmpty();
    }

    @Test
    void aJobThatRestartsAlwaysIsRefused() {
        job(1, 1, 1, "Always");
        reconcile();
        assertThat(store.list(Kinds.POD, ns)).isEmpty();
        assertThat(store.list(Kinds.EVENT, ns)).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("a job's restart policy is Never or OnFailure, not Always"));
    }
}
