package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.Container;
import dev.capstan.model.Deployment;
import dev.capstan.model.Namespace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code const} and {@code import}: values by name, in the file and across files. */
class ConstantsTest {

    /** Compiles path/text pairs. */
    private static CompileResult compile(String... pathsAndTexts) {
        List<SourceFile> files = new ArrayList<>();
        for (int i = 0; i < pathsAndTexts.length; i += 2) {
            files.add(new SourceFile(pathsAndTexts[i], pathsAndTexts[i + 1]));
        }
        return new CapCompiler().compile(files);
    }

    private static Deployment deployment(CompileResult r, String name) {
        return r.objects().stream().filter(o -> o instanceof Deployment && o.metadata().name().equals(name))
                .map(Deployment.class::cast).findFirst().orElseThrow();
    }

    private static List<String> messages(CompileResult r) {
        return r.diagnostics().stream().map(Diagnostic::format).toList();
    }

    @Test
    void constantsGoWhereTheirValuesGo() {
        CompileResult r = compile("a.cap", """
                const IMAGE    = "capstan.local/busybox:1.35"
                const REPLICAS = 3
                const HTTP     = 8080
                const CPU      = 250m
                const MEM      = 64Mi
                const PERIOD   = 5s
                const SH       = ["sh", "-c"]
                const TEAM     = { team = "shop" }
                const SURGE    = 50%
                const ALIAS    = IMAGE

                namespace shop { labels { ...TEAM } }

                service web in shop {
                  image     ALIAS
                  command   [SH, "exec httpd"]
                  replicas  REPLICAS
                  port http HTTP expose HTTP
                  resources { cpu CPU  memory MEM }
                  labels    { ...TEAM  tier = "web" }
                  env       { PORT = HTTP }
                  liveness  http "/" port http every PERIOD
                  update    { max-surge SURGE }
                }
                """);
        assertThat(messages(r)).isEmpty();
        Deployment web = deployment(r, "web");
        Container c = web.spec().template().spec().containers().get(0);
        assertThat(c.image()).isEqualTo("capstan.local/busybox:1.35");
        assertThat(c.command()).containsExactly("sh", "-c", "exec httpd");
        assertThat(web.spec().replicas()).isEqualTo(3);
        assertThat(c.ports().get(0).containerPort()).isEqualTo(8080);
        assertThat(c.resources().requests()).containsEntry("cpu", "250m").containsEntry("memory", "64Mi");
        assertThat(c.env()).extracting(Container.EnvVar::value).containsExactly("8080");
        assertThat(c.livenessProbe().periodSeconds()).isEqualTo(5);
        assertThat(web.metadata().labels()).containsEntry("team", "shop").containsEntry("tier", "web");
        Namespace shop = (Namespace) r.objects().stream().filter(o -> o instanceof Namespace).findFirst().orElseThrow();
        assertThat(shop.metadata().labels()).containsEntry("team", "shop");
    }

    @Test
    void importsMakeAnotherFilesConstantsVisibleRelativeToTheImporter() {
        CompileResult r = compile(
                "common/base.cap", """
                        const IMAGE = "capstan.local/busybox:1.35"
                        const PORT  = 8080
                        template base { image IMAGE }
                        """,
                "services/web.cap", """
                        import "../common/base.cap" (PORT, base)
                        namespace shop { }
                        service web in shop extends base { port http PORT }
                        """);
        assertThat(messages(r)).isEmpty();
        assertThat(deployment(r, "web").spec().template().spec().containers().get(0).image())
                .isEqualTo("capstan.local/busybox:1.35");
    }

    @Test
    void aConstantIsInvisibleWithoutAnImportAndImportsAreNotPassedOn() {
        CompileResult r = compile(
                "a.cap", "const X = \"x\"\n",
                "b.cap", "import \"a.cap\"\nconst Y = X\n",
                "c.cap", "import \"b.cap\"\nnamespace n { labels { k = X  j = Y } }\n",
                "d.cap", "namespace m { labels { k = Y } }\n");
        assertThat(messages(r)).containsExactly(
                "error[E040] c.cap:2:28: unknown constant 'X'",
                "error[E040] d.cap:1:28: unknown constant 'Y'");
        assertThat(r.diagnostics().get(1).hint()).isEqualTo("'Y' is declared in b.cap: import \"b.cap\"");
    }

    @Test
    void cyclesAreReportedAtEveryConstantOfTheCircleAndUsesAddNothing() {
        CompileResult r = compile("a.cap", """
                const A = [B]
                const B = { k = C }
                const C = A
                namespace n { labels { k = C } }
                """);
        assertThat(messages(r)).containsExactly(
                "error[E041] a.cap:1:7: constant cycle: A -> B -> C -> A",
                "error[E041] a.cap:2:7: constant cycle: A -> B -> C -> A",
                "error[E041] a.cap:3:7: constant cycle: A -> B -> C -> A");
    }

    @Test
    void aValueOfTheWrongKindIsAnErrorAtItsUse() {
        CompileResult r = compile("a.cap", """
                const NAME = "web"
                const LIST = ["a"]
                namespace n { }
                service s in n {
                  image    LIST
                  replicas NAME
                }
                """);
        assertThat(messages(r)).containsExactly(
                "error[E042] a.cap:5:12: constant 'LIST' is a list, but a string goes here",
                "error[E042] a.cap:6:12: constant 'NAME' is a string, but a number goes here");
    }

    @Test
    void duplicateAndClashingConstantsAreDuplicateDeclarations() {
        CompileResult r = compile(
                "a.cap", "const X = \"1\"\nconst X = \"2\"\n",
                "b.cap", "import \"a.cap\"\nconst X = \"3\"\nnamespace n { labels { k = X } }\n");
        assertThat(messages(r)).containsExactly(
                "error[E006] a.cap:2:7: constant 'X' is already declared at a.cap:1:7",
                "error[E006] b.cap:2:7: constant 'X' is also imported from a.cap (line 1)");
    }

    @Test
    void importPathsStayInsideTheDirectoryCompiled() {
        CompileResult r = compile("x/a.cap", """
                import "../../b.cap"
                import "/etc/passwd"
                import "missing.cap"
                import "a.cap"
                """);
        assertThat(messages(r)).containsExactly(
                "error[E043] x/a.cap:1:8: import '../../b.cap' leaves the directory being compiled",
                "error[E043] x/a.cap:2:8: import paths are relative to the importing file, got '/etc/passwd'",
                "error[E043] x/a.cap:3:8: no file 'x/missing.cap' to import",
                "error[E044] x/a.cap:4:8: a file cannot import itself");
    }

    @Test
    void aSyntaxErrorInAnImportedFileHidesNoOtherError() {
        CompileResult r = compile(
                "a.cap", "const X = \n",
                "b.cap", "import \"a.cap\"\nnamespace n { labels { k = X } }\n");
        assertThat(r.diagnostics()).extracting(Diagnostic::code).containsExactly("E001");
    }
}
