package dev.capstan.gitsync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.SourceFile;
import dev.capstan.gitsync.Commit;
import dev.capstan.model.KubeObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Markdown plan stays a postable comment however large the change. */
class PlanMarkdownTest {

    private static List<KubeObject> services(int n, String image) {
        StringBuilder b = new StringBuilder("namespace big { }\n");
        for (int i = 0; i < n; i++) {
            b.append("service s").append(i).append(" in big {\n  image \"").append(image)
                    .append("\"\n  replicas 2\n  port http 8080\n}\n");
        }
        CompileResult r = new CapCompiler().compile(List.of(new SourceFile("big.cap", b.toString())));
        assertThat(r.errors()).isEmpty();
        return r.objects();
    }

    @Test
    void hugeChangesAreCutToFitAComment() {
        List<ObjectChange> changes = ObjectDiff.diff(services(300, "x/a:1"), services(300, "x/a:2"));
        Commit c = new Commit("0123456789abcdef0123456789abcdef01234567", "A <a@b>", "bump", Instant.EPOCH, null);
        Plan plan = new Plan(c, c, "", List.of(), List.of(), 0, changes, 301, PodImpact.NONE, null, null);

        String md = PlanMarkdown.render(plan);

        assertThat(changes).hasSize(300);
        assertThat(md.length()).isLessThan(65_536);
        assertThat(md.lines().filter(l -> l.startsWith("| changed |"))).hasSize(PlanMarkdown.MAX_ROWS);
        assertThat(md).contains("… and 100 more objects: run `capstan plan` for all of them.",
                "Field changes of 260 more objects are left out");
        assertThat(md.split("<details", -1)).hasSize(PlanMarkdown.MAX_DETAILS + 1);
    }
}
