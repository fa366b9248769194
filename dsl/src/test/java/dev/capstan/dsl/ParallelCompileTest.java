package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Large inputs are parsed on all cores; the result must not depend on it. */
class ParallelCompileTest {

    @Test
    void aLargeCompileGivesTheSameResultEveryTimeInFileOrder() {
        List<SourceFile> files = new ArrayList<>();
        files.add(new SourceFile("common.cap", "namespace shop { }\nconst IMAGE = \"i:1\"\n"));
        for (int f = 0; f < 40; f++) {
            StringBuilder text = new StringBuilder("import \"common.cap\"\n");
            for (int s = 0; s < 60; s++) {
                text.append("service s").append(f).append('-').append(s).append(" in shop {\n  image IMAGE\n")
                        .append("  replicas ").append(s == 7 ? "20000" : "2").append('\n')
                        .append("  env { A = \"").append("x".repeat(80)).append("\" }\n}\n");
            }
            files.add(new SourceFile("f" + f + ".cap", text.toString()));
        }
        CompileResult first = new CapCompiler().compile(files);
        CompileResult second = new CapCompiler().compile(files);
        assertThat(first.errors()).hasSize(40);
        assertThat(first.diagnostics()).isEqualTo(second.diagnostics());
        assertThat(first.errors()).extracting(Diagnostic::path)
                .isEqualTo(files.subList(1, files.size()).stream().map(SourceFile::path).toList());
        files.set(1, new SourceFile("f0.cap", files.get(1).text().replace("20000", "2")));
        for (int f = 2; f < files.size(); f++) {
            files.set(f, new SourceFile(files.get(f).path(), files.get(f).text().replace("20000", "2")));
        }
        CompileResult ok = new CapCompiler().compile(files);
        assertThat(ok.errors()).isEmpty();
        assertThat(ok.objects()).isEqualTo(new CapCompiler().compile(files).objects()).hasSize(1 + 2400);
    }
}
