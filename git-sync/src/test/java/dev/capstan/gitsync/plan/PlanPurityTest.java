package dev.capstan.gitsync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md: "The plan code in git-sync never imports apply code." */
class PlanPurityTest {
    private static final List<String> APPLY = List.of("RevisionApplier", "GitWatcher", "DriftController",
            "dev.capstan.engine.store", "dev.capstan.engine.controller", "dev.capstan.engine.client");

    @Test
    void planSourcesImportNoApplyCode() throws IOException {
        Path dir = Path.of("src/main/java/dev/capstan/gitsync/plan");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sources = files.filter(f -> f.toString().endsWith(".java")).toList();
            assertThat(sources).hasSizeGreaterThan(10);
            for (Path f : sources) {
                List<String> imports = Files.readAllLines(f).stream().filter(l -> l.startsWith("import ")).toList();
                for (String banned : APPLY) {
                    assertThat(imports).as("%s imports %s", f.getFileName(), banned)
                            .noneMatch(l -> l.contains(banned));
                }
            }
        }
    }
}
