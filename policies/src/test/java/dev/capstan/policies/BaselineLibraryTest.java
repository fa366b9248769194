package dev.capstan.policies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.SourceFiles;
import dev.capstan.dsl.policy.Policy;
import dev.capstan.dsl.policy.PolicyTest;
import dev.capstan.engine.admission.Admission;
import dev.capstan.engine.admission.PolicyTests;
import dev.capstan.engine.admission.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The baseline library through the real compiler and admission engine. */
class BaselineLibraryTest {
    private static final Path BASELINE = Path.of("baseline");
    private static CompileResult library;
    private static Admission admission;

    @BeforeAll
    static void compile() throws Exception {
        library = new CapCompiler().compile(SourceFiles.load(BASELINE, Path.of(".")));
        assertThat(library.diagnostics()).isEmpty();
        admission = Admission.compile(library);
        assertThat(admission.diagnostics()).isEmpty();
    }

    @Test
    void hasAtLeastTwelvePoliciesEachWithATestThatCoversADenyOrWarn() {
        List<Policy> policies = library.policies().policies();
        assertThat(policies).hasSizeGreaterThanOrEqualTo(12);
        Map<String, PolicyTest> tests = library.policies().tests().stream()
                .collect(Collectors.toMap(PolicyTest::name, t -> t));
        for (Policy p : policies) {
            assertThat(tests).as("test block for " + p.name()).containsKey(p.name());
            assertThat(p.description()).as("description of " + p.name()).isNotBlank();
            assertThat(tests.get(p.name()).cases()).as("cases of " + p.name()).hasSizeGreaterThanOrEqualTo(1);
        }
        assertThat(admission.policies()).hasSameSizeAs(policies);
    }

    @Test
    void everyTestBlockPasses() {
        List<PolicyTests.Result> results = PolicyTests.run(admission);
        assertThat(results).hasSizeGreaterThanOrEqualTo(30);
        assertThat(results).allSatisfy(r -> assertThat(r.passed()).as(r.location() + " " + r.subject() + ": "
                + r.problem()).isTrue());
        Set<String> outcomes = results.stream().map(r -> r.got().split(" ")[0]).collect(Collectors.toSet());
        assertThat(outcomes).contains("allow", "deny", "warn");
    }

    @Test
    void theHelloExamplePassesTheBaseline() throws Exception {
        List<SourceFile> files = new ArrayList<>(SourceFiles.load(Path.of("../examples/hello"), Path.of("..")));
        CompileResult hello = new CapCompiler().compile(files);
        assertThat(hello.errors()).isEmpty();
        List<Verdict> verdicts = admission.evaluate(hello.objects());
        assertThat(verdicts).noneMatch(Verdict::blocks);
    }

    @Test
    void noPrivilegedDeniesPrivilegedPodsAndHostPathsWrittenToTheApi() {
        Map<String, Object> privileged = Map.of("apiVersion", "v1", "kind", "Pod",
                "metadata", Map.of("name", "root", "namespace", "shop"),
                "spec", Map.of("containers", List.of(Map.of("name", "c", "image", "x:1",
                        "securityContext", Map.of("privileged", true)))));
        Map<String, Object> hostPath = Map.of("apiVersion", "v1", "kind", "Pod",
                "metadata", Map.of("name", "disk", "namespace", "shop"),
                "spec", Map.of("containers", List.of(Map.of("name", "c", "image", "capstan.local/x:1")),
                        "volumes", List.of(Map.of("name", "root", "hostPath", Map.of("path", "/")))));
        Map<String, Object> plain = Map.of("apiVersion", "v1", "kind", "Pod",
                "metadata", Map.of("name", "ok", "namespace", "shop"),
                "spec", Map.of("containers", List.of(Map.of("name", "c", "image", "capstan.local/x:1"))));

        assertThat(admission.evaluatePod(privileged, Map.of())).extracting(v -> v.policy() + ": " + v.message())
                .containsExactly("no-privileged: pod root: privileged containers are not allowed");
        assertThat(admission.evaluatePod(hostPath, Map.of())).extracting(Verdict::message)
                .containsExactly("pod disk: hostPath volumes are not allowed");
        assertThat(admission.evaluatePod(plain, Map.of())).isEmpty();
    }
}
