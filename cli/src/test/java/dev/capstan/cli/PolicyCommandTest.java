package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class PolicyCommandTest {
    private static final String POLICY = """
            policy no-latest {
              applies-to service
              deny if service.image.endsWith(":latest") message "service ${service.name}: pin the image"
            }
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void passingTestsExitZeroWithAlignedOutput() throws IOException {
        write("p/no-latest.cap", POLICY + """
                test no-latest {
                  service bad in t { image "x/y:latest" }   expect deny by no-latest
                  service good in t { image "x/y:1.0" }     expect allow
                }
                """);
        CliRun run = CliRun.of("policy", "test", dir.resolve("p").toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("ok    no-latest  service t/bad   deny by no-latest  deny by no-latest")
                .contains("ok    no-latest  service t/good  allow              allow")
                .endsWith("2 passed, 0 failed\n");
    }

    @Test
    void aFailedExpectationExitsOneAndTheJunitXmlSaysWhy() throws Exception {
        Path file = write("p.cap", POLICY + """
                test no-latest {
                  service good in t { image "x/y:1.0" }     expect deny
                  service bad in t { image "x/y:latest" }   expect deny
                }
                """);
        Path xml = dir.resolve("reports/policy.xml");
        CliRun run = CliRun.of("policy", "test", file.toString(), "--junit", xml.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("FAIL  no-latest  service t/good").contains(":6:3: expected deny, got allow")
                .endsWith("1 passed, 1 failed\n");

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("2");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("expected deny, got allow");
        assertThat(((Element) failure.getParentNode()).getAttribute("name")).isEqualTo("service t/good expect deny");
    }

    @Test
    void aCelErrorIsReportedAtItsLineAndColumnAndExitsOne() throws IOException {
        Path file = write("p.cap", "policy p {\n  applies-to service\n  deny if service.imgae == \"\"\n}\n"
                + "test p { service s in t { image \"x:1\" } expect allow }\n");
        CliRun run = CliRun.of("policy", "test", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("error[E056] " + file + ":3:18: undefined field 'imgae'");
    }

    @Test
    void checkWithPoliciesDeniesAtTheObjectAndThePolicy() throws IOException {
        Path app = write("app/app.cap", "namespace shop { }\nservice web in shop { image \"x/web:latest\" }\n");
        Path policies = write("policies/p.cap", POLICY);
        CliRun run = CliRun.of("check", app.toString(), "--policies", policies.getParent().toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("error[E058] " + app + ":2:1: denied by policy no-latest: service shop/web: "
                + "service web: pin the image").contains(policies + ":3:3");

        Path fixed = write("app/app.cap", "namespace shop { }\nservice web in shop { image \"x/web:1.2\" }\n");
        assertThat(CliRun.of("check", fixed.toString(), "--policies", policies.toString()).exitCode()).isZero();
    }

    @Test
    void checkWarnsAtAnExceptionThatNamesNoObject() throws IOException {
        Path app = write("app/app.cap", "namespace shop { }\nservice web in shop { image \"x/web:latest\" }\n");
        Path policies = write("policies/p.cap", POLICY + """
                exception pinned-later {
                  policy no-latest
                  objects ["shop/web", "shop/wbe"]
                  reason "pinned in PLAT-9"
                }
                """);
        CliRun run = CliRun.of("check", app.toString(), "--policies", policies.getParent().toString());
        assertThat(run.exitCode()).as(run.out()).isZero(); // shop/web is exempt; the typo exempts nothing
        assertThat(run.out()).contains("warning[W052] " + policies + ":5:1: exception pinned-later names shop/wbe, "
                + "which no object is").doesNotContain("names shop/web,");
    }
}
