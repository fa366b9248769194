package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The likely mistakes in probes, restart, stop grace, update and placement, each with its exact message. */
class PodDiagnosticsTest {

    static Stream<Arguments> mistakes() {
        return Stream.of(
                row("liveness http \"/healthz\" port htp",
                        "error[E018] t.cap:5:33: liveness probe uses port 'htp', which this service does not declare (hint: did you mean 'http'?)"),
                row("liveness http \"healthz\" port http",
                        "error[E019] t.cap:5:17: an http probe path starts with '/', got 'healthz' (hint: write \"/healthz\")"),
                row("liveness tcp port http every 5",
                        "error[E017] t.cap:5:32: every needs a unit: '5' (hint: did you mean 5s?)"),
                row("liveness tcp port http every 500ms",
                        "error[E017] t.cap:5:32: every must be a whole number of seconds, got '500ms' (hint: Kubernetes counts these in seconds: write 1s)"),
                row("liveness tcp port http timeout 5sec",
                        "error[E017] t.cap:5:34: unknown duration unit 'sec' in '5sec' (hint: units are ms, s, m and h)"),
                row("liveness tcp port http every 0s",
                        "error[E010] t.cap:5:32: every must be between 1s and 86400s, got 0s"),
                row("liveness tcp port http failure-threshold 0",
                        "error[E010] t.cap:5:44: failure-threshold must be between 1 and 10000, got 0"),
                row("liveness tcp port http success-threshold 2",
                        "error[E019] t.cap:5:44: a liveness probe's success-threshold must be 1 (hint: remove it; only readiness probes take another success-threshold)"),
                row("readiness tcp port http success-threshold 2 every 1s every 2s",
                        "error[E012] t.cap:5:56: duplicate probe setting 'every' (first set at line 5) (hint: remove one of them)"),
                row("startup exec []",
                        "error[E019] t.cap:5:3: an exec probe needs a command (hint: write exec [\"cat\", \"/tmp/healthy\"])"),
                row("liveness http port http",
                        "error[E001] t.cap:5:17: expected a string, found 'port' (hint: write the path first: http \"/healthz\" port http)"),
                row("liveness tcp http",
                        "error[E001] t.cap:5:16: expected 'port', found 'http' (hint: name one of the service's ports: tcp port http)"),
                row("restart sometimes",
                        "error[E019] t.cap:5:11: unknown restart policy 'sometimes' (hint: one of always, on-failure, never)"),
                row("restart never",
                        "warning[W002] t.cap:5:11: a Kubernetes Deployment accepts only 'restart always'; 'never' is kept but a cluster will reject the export (hint: remove the line, or use 'restart always')"),
                row("stop-grace 30",
                        "error[E017] t.cap:5:14: stop-grace needs a unit: '30' (hint: did you mean 30s?)"),
                row("stop-grace -1s",
                        "error[E010] t.cap:5:14: stop-grace must be between 0s and 86400s, got -1s"),
                row("update { max-surge 0  max-unavailable 0 }",
                        "error[E021] t.cap:5:3: max-surge and max-unavailable cannot both be 0 (hint: a rolling update needs room to move: set max-surge 1)"),
                row("update { max-surge 150% }",
                        "error[E010] t.cap:5:22: max-surge must be between 0 and 100, got 150"),
                row("update { max-surge 1.5 }",
                        "error[E010] t.cap:5:22: max-surge must be a whole number, got '1.5'"),
                row("update { max-surge 1 max-surge 2 }",
                        "error[E012] t.cap:5:24: duplicate update setting 'max-surge' (first set at line 5) (hint: remove one of them)"),
                row("node-affinity required { }",
                        "error[E020] t.cap:5:3: node-affinity has an empty selector, which matches nothing (hint: add a requirement: { disktype = \"ssd\" })"),
                row("node-affinity preferred weight 0 { disktype = \"ssd\" }",
                        "error[E010] t.cap:5:34: weight must be between 1 and 100, got 0"),
                row("node-affinity preferred weight 101 { disktype = \"ssd\" }",
                        "error[E010] t.cap:5:34: weight must be between 1 and 100, got 101"),
                row("node-affinity required { disktype in () }",
                        "error[E020] t.cap:5:28: 'in' needs at least one value (hint: write: disktype in (\"a\", \"b\"))"),
                row("node-affinity required { a = \"x\" }\n  node-affinity required { b = \"y\" }",
                        "error[E003] t.cap:6:3: 'node-affinity required' is already set at line 5 (hint: each attribute appears once in a service; remove one)"),
                row("pod-affinity required by node { app = \"webb\" }",
                        "warning[W003] t.cap:5:3: this selector matches the pods of no service in namespace 'demo' (hint: did you mean app = \"web\"?)"),
                row("pod-affinity required by node { app = \"cache\" }",
                        "warning[W003] t.cap:5:3: this selector matches the pods of no service in namespace 'demo' (hint: a service's pods carry app = \"SERVICE\" and the service's labels)"),
                row("pod-anti-affinity preferred by \"bad key\" { app = \"web\" }",
                        "error[E013] t.cap:5:34: invalid topology key 'bad key' (hint: keys use letters, digits, '-', '_' and '.', and start and end with a letter or digit)"),
                row("pod-affinity required node { app = \"web\" }",
                        "error[E001] t.cap:5:25: expected 'by', found 'node' (hint: write: by node)"),
                row("pod-affinity required by zone { app = \"web\"  app = \"api\" }",
                        "error[E020] t.cap:5:48: 'app' is already required to equal a value at line 5; nothing can match both (hint: to allow either value, write: app in (\"web\", \"api\"))"),
                row("spread by zone max-skew 0",
                        "error[E010] t.cap:5:27: max-skew must be between 1 and 1000, got 0"),
                row("tolerate dedicated = \"gpu\" effect noschedule",
                        "error[E019] t.cap:5:37: unknown taint effect 'noschedule' (hint: did you mean 'no-schedule'? (one of no-schedule, prefer-no-schedule, no-execute))"),
                row("tolerate dedicated effect no-schedule for 30s",
                        "error[E021] t.cap:5:45: 'for' applies only to effect no-execute (hint: write: tolerate dedicated effect no-execute for 30s)"),
                row("tolerate dedicated for 30s",
                        "error[E021] t.cap:5:26: 'for' applies only to effect no-execute (hint: write: tolerate dedicated effect no-execute for 30s)"),
                row("priority 2000000000",
                        "error[E010] t.cap:5:12: priority must be between -2147483648 and 1000000000, got 2000000000"),
                row("annotations { \"capstan.dev/source\" = \"x\" }",
                        "error[E016] t.cap:5:17: annotation 'capstan.dev/source' is set by capstan (hint: remove it; capstan.dev/ annotations record where an object came from)"),
                row("annotations { \"bad key\" = \"x\" }",
                        "error[E013] t.cap:5:17: invalid annotation key 'bad key' (hint: keys use letters, digits, '-', '_' and '.', and start and end with a letter or digit)"),
                row("node-selector { disktype: \"ssd\" }",
                        "error[E001] t.cap:5:27: expected '=', found ':' (hint: map entries are written KEY = \"value\")"),
                row("spread by node\n  spread by zone"),
                row("liveness http \"/\" port http every 5s\n  liveness tcp port http",
                        "error[E003] t.cap:6:3: 'liveness' is already set at line 5 (hint: each attribute appears once in a service; remove one)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void reportsEachMistakeOnceWithAHint(String body, List<String> expected) {
        String text = "namespace demo { }\nservice web in demo {\n  image \"i\"\n  port http 8080\n  " + body + "\n}\n";
        CompileResult result = new CapCompiler().compile(List.of(new SourceFile("t.cap", text)));
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactlyElementsOf(expected);
    }

    private static Arguments row(String body, String... expected) {
        return Arguments.of(body, List.of(expected));
    }
}
