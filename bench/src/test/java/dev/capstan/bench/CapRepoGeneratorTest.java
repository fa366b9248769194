package dev.capstan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.DiagnosticRenderer;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.SourceFiles;
import dev.capstan.model.Deployment;
import dev.capstan.model.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapRepoGeneratorTest {
    @TempDir
    Path tmp;

    @Test
    void generatedRepositoryCompilesToOneDeploymentPerService() throws Exception {
        CapRepoGenerator.Generated repo = CapRepoGenerator.generate(tmp, 300, 7, 3, 42);

        List<SourceFile> files = SourceFiles.load(tmp, tmp);
        CompileResult result = new CapCompiler().compile(files);

        assertThat(result.ok()).as(DiagnosticRenderer.render(result.diagnostics(), files)).isTrue();
        assertThat(result.warnings()).isEmpty();
        assertThat(files).hasSize(9);
        assertThat(repo.files()).isEqualTo(9);
        assertThat(repo.bytes()).isEqualTo(files.stream().mapToLong(f -> f.text().getBytes().length).sum());
        assertThat(result.objects().stream().filter(o -> o instanceof Deployment)).hasSize(300);
        assertThat(result.objects().stream().filter(o -> o instanceof Service)).isNotEmpty();
    }

    @Test
    void usesEveryServiceAttribute() throws Exception {
        CapRepoGenerator.generate(tmp, 200, 1, 2, 1);

        String text = Files.readString(tmp.resolve("services/part-000.cap"));

        assertThat(text).contains("image ", "command ", "args ", "env {", "replicas ", "port http 8080 expose 80",
                "port metrics 9090", "labels ", "resources {");
        assertThat(text).contains("import \"../common/base.cap\"", "const PART", "extends web", "extends worker",
                "...SHOP", "= REGISTRY");
    }

    @Test
    void sameSeedGivesSameBytesAndAnotherSeedDoesNot() throws Exception {
        CapRepoGenerator.generate(tmp.resolve("a"), 50, 2, 2, 7);
        CapRepoGenerator.generate(tmp.resolve("b"), 50, 2, 2, 7);
        CapRepoGenerator.generate(tmp.resolve("c"), 50, 2, 2, 8);

        String a = Files.readString(tmp.resolve("a/services/part-001.cap"));
        assertThat(Files.readString(tmp.resolve("b/services/part-001.cap"))).isEqualTo(a);
        assertThat(Files.readString(tmp.resolve("c/services/part-001.cap"))).isNotEqualTo(a);
    }

    @Test
    void theDefaultRepositoryCompilesUnderTheDefaultLimitAndLargerOnesRaiseIt() {
        // what a user's 10,000-service repository needs must not need a raised limit
        assertThat(CapCompiler.Limits.DEFAULT.maxDeclarations()).isGreaterThanOrEqualTo(10_000 + 10);
        assertThat(CompileBenchmark.compiler(CapCompiler.Limits.DEFAULT.maxDeclarations() + 5)).isNotNull();
    }
}
