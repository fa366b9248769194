package dev.capstan.gitsync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.Deployment;
import dev.capstan.model.KubeObject;
import dev.capstan.model.ObjectMeta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact text, Markdown and JSON of a plan over a real two-commit repository, pinned in golden files. */
class PlanGoldenTest {
    @TempDir
    static Path dir;
    static String base;
    static String head;
    static ClusterSnapshot nodes;

    @BeforeAll
    static void repository() throws Exception {
        String[] shas = PlanScenario.build(dir.resolve("repo"));
        base = shas[0];
        head = shas[1];
        Path file = dir.resolve("nodes.yaml");
        Files.writeString(file, PlanScenario.NODES);
        nodes = NodesFile.read(file);
    }

    @Test
    void commitsHaveFixedShasSoGoldenFilesCanPinThem() throws Exception {
        String[] again = PlanScenario.build(dir.resolve("again"));
        assertThat(again).containsExactly(base, head);
    }

    @Test
    void textMatchesGoldenFile() throws Exception {
        Plan plan = PlanScenario.plan(dir.resolve("repo"), base, head, nodes, null);
        Golden.assertMatches("shop.txt", PlanText.render(plan));
        assertThat(plan.exitCode()).isEqualTo(1);
    }

    @Test
    void markdownMatchesGoldenFile() throws Exception {
        Golden.assertMatches("shop.md", PlanMarkdown.render(PlanScenario.plan(dir.resolve("repo"), base, head, nodes,
                null)));
    }

    @Test
    void jsonMatchesGoldenFile() throws Exception {
        Golden.assertMatches("shop.json", PlanJson.render(PlanScenario.plan(dir.resolve("repo"), base, head, nodes,
                null)));
    }

    @Test
    void verdictsShowBothLocationsAndAnEnforceDenyFailsThePlan() throws Exception {
        Plan plan = PlanScenario.plan(dir.resolve("repo"), base, head, null, new PinnedImages());
        assertThat(plan.denied()).isTrue();
        assertThat(plan.exitCode()).isEqualTo(2);
        Golden.assertMatches("shop-denied.txt", PlanText.render(plan));
        Golden.assertMatches("shop-denied.md", PlanMarkdown.render(plan));
    }

    @Test
    void reversedPlanUndoesEverything() throws Exception {
        Plan plan = PlanScenario.plan(dir.resolve("repo"), head, base, null, null);
        assertThat(plan.count(ObjectChange.Action.ADDED)).isEqualTo(2); // old: Deployment + Service
        assertThat(plan.count(ObjectChange.Action.REMOVED)).isEqualTo(2); // cache
        assertThat(plan.pods()).isEqualTo(new PodImpact(2, 3, 4)); // old 2 created; web 3 replaced, 2 removed; cache 2
    }

    @Test
    void samePlanTwiceIsNoChange() throws Exception {
        Plan plan = PlanScenario.plan(dir.resolve("repo"), head, head, nodes, null);
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.exitCode()).isZero();
        assertThat(PlanText.render(plan)).contains("no changes (5 unchanged)", "0 new pods, 0 scheduled, all fit",
                "result: no changes (exit 0)");
    }

    /**
     * A stand-in for the admission engine behind the same interface: images must not be {@code :latest}
     * (enforce) and more than four replicas is worth a warning. Only to test how verdicts are reported.
     */
    static final class PinnedImages implements PolicyCheck {
        @Override
        public List<PlanVerdict> check(dev.capstan.dsl.CompileResult head, List<dev.capstan.dsl.SourceFile> files) {
            List<PlanVerdict> out = new ArrayList<>();
            for (KubeObject o : head.objects()) {
                if (o instanceof Deployment d) {
                    String at = d.metadata().annotation(ObjectMeta.SOURCE) + ":1";
                    String image = d.spec().template().spec().containers().get(0).image();
                    if (!image.endsWith(":1.35")) {
                        out.add(new PlanVerdict("pinned-images", "enforce", PlanVerdict.Effect.DENY,
                                "Deployment " + d.key(), "service " + d.metadata().name() + ": image " + image
                                + " is not on the approved list", at, "policies/images.cap:3:3"));
                    }
                    if (d.spec().replicas() > 4) {
                        out.add(new PlanVerdict("replica-budget", "warn", PlanVerdict.Effect.WARN,
                                "Deployment " + d.key(), "more than 4 replicas | check the budget", at,
                                "policies/budget.cap:9:3"));
                    }
                }
            }
            return out;
        }
    }
}
