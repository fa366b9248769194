package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.dsl.export.Manifests;
import dev.capstan.dsl.format.Formatter;
import dev.capstan.model.DaemonSet;
import dev.capstan.model.Job;
import dev.capstan.model.KubeObject;
import dev.capstan.model.Service;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code job} and {@code daemon} blocks: lowered to batch/v1 Jobs and apps/v1 DaemonSets, checked, formatted. */
class WorkloadsTest {
    private static final String SOURCE = """
            namespace shop { }
            namespace ops { }

            template small {
              resources { cpu 50m  memory 32Mi }
            }

            job migrate in shop extends small {
              image "capstan.local/migrate:1.4"
              command ["migrate", "--to", "latest"]
              completions 3
              parallelism 2
              backoff-limit 4
              restart on-failure
            }

            daemon log-agent in ops {
              image "capstan.local/log-agent:2"
              node-selector { disk = "ssd" }
              tolerate dedicated = "db" effect no-schedule
              port metrics 9100
            }
            """;

    private static CompileResult compile(String text) {
        return new CapCompiler().compile(List.of(new SourceFile("work.cap", text)));
    }

    private static <T extends KubeObject> T only(CompileResult r, Class<T> type) {
        return r.objects().stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    @Test
    void aJobBlockBecomesAJobWithItsCountsAndTemplate() {
        CompileResult r = compile(SOURCE);
        assertThat(r.diagnostics()).isEmpty();
        Job job = only(r, Job.class);
        assertThat(job.metadata().namespace()).isEqualTo("shop");
        assertThat(job.metadata().annotations()).containsEntry("capstan.dev/source", "work.cap:8");
        assertThat(job.spec().completions()).isEqualTo(3);
        assertThat(job.spec().parallelism()).isEqualTo(2);
        assertThat(job.spec().backoffLimit()).isEqualTo(4);
        assertThat(job.spec().template().spec().restartPolicy()).isEqualTo("OnFailure");
        assertThat(job.spec().template().spec().containers().get(0).resources().requests())
                .containsEntry("cpu", "50m");
        assertThat(job.spec().template().metadata().labels()).containsEntry("app", "migrate");
    }

    @Test
    void aJobRestartsNeverByDefaultAndTakesKubernetesDefaultsForItsCounts() {
        CompileResult r = compile("namespace shop { }\njob once in shop { image \"x:1\" }\n");
        assertThat(r.diagnostics()).isEmpty();
        Job job = only(r, Job.class);
        assertThat(job.spec().template().spec().restartPolicy()).isEqualTo("Never");
        assertThat(job.spec().completions()).isNull();
        assertThat(job.spec().completionsOrDefault()).isEqualTo(1);
        assertThat(job.spec().backoffLimitOrDefault()).isEqualTo(6);
    }

    @Test
    void aDaemonBlockBecomesADaemonSetAndAServiceForItsPorts() {
        CompileResult r = compile(SOURCE);
        DaemonSet ds = only(r, DaemonSet.class);
        assertThat(ds.metadata().namespace()).isEqualTo("ops");
        assertThat(ds.spec().selector().matchLabels()).containsEntry("app", "log-agent");
        assertThat(ds.spec().template().spec().nodeSelector()).containsEntry("disk", "ssd");
        assertThat(ds.spec().template().spec().tolerations()).singleElement()
                .satisfies(t -> assertThat(t.effect()).isEqualTo("NoSchedule"));
        assertThat(ds.spec().template().spec().restartPolicy()).isEqualTo("Always");
        assertThat(only(r, Service.class).metadata().name()).isEqualTo("log-agent");
        assertThat(r.objects()).extracting(KubeObject::kind)
                .containsExactly("Namespace", "Namespace", "Job", "DaemonSet", "Service");
    }

    @Test
    void mistakesAreLocatedErrors() {
        CompileResult r = compile("""
                namespace shop { }
                service web in shop {
                  image "web:1"
                  completions 2
                }
                daemon agent in shop {
                  image "agent:1"
                  replicas 3
                }
                job migrate in shop {
                  image "m:1"
                  restart always
                  backoff-limit -1
                }
                job web in shop { image "other:1" }
                """);
        assertThat(r.errors()).extracting(Diagnostic::format).containsExactly(
                "error[E019] work.cap:4:3: 'completions' is only for a job",
                "error[E019] work.cap:8:3: 'replicas' has no meaning in a daemon",
                "error[E019] work.cap:12:11: a job's pods run to completion: 'restart always' would never let them "
                        + "finish",
                r.errors().get(3).format(),
                "error[E006] work.cap:15:5: service 'web' is already declared in namespace 'shop' at work.cap:2:9");
        assertThat(r.errors().get(3).format()).startsWith("error[E010] work.cap:13:17:").contains("backoff-limit");
    }

    @Test
    void formattingKeepsTheBlocksAndIsIdempotent() {
        Formatter.Result once = Formatter.format(new SourceFile("work.cap", SOURCE.replace("  completions 3", "completions    3")));
        assertThat(once.ok()).isTrue();
        assertThat(once.text()).contains("job migrate in shop extends small {\n", "  completions   3\n",
                "daemon log-agent in ops {\n");
        assertThat(Formatter.format(new SourceFile("work.cap", once.text())).text()).isEqualTo(once.text());
        CompileResult again = compile(once.text());
        assertThat(only(again, Job.class).spec()).isEqualTo(only(compile(SOURCE), Job.class).spec());
        assertThat(only(again, DaemonSet.class).spec()).isEqualTo(only(compile(SOURCE), DaemonSet.class).spec());
    }

    @Test
    void exportsAsKubernetesManifests() {
        String yaml = Manifests.of(compile(SOURCE).objects()).yaml();
        assertThat(yaml).contains("apiVersion: batch/v1\nkind: Job\n", "apiVersion: apps/v1\nkind: DaemonSet\n",
                "  completions: 3\n", "  backoffLimit: 4\n", "      restartPolicy: OnFailure\n");
    }
}
