package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One mistake, one diagnostic: each row puts a line into a service (line 4 of the file) and pins
 * everything reported, as {@code Diagnostic.toString()}: headline, then "(hint: ...)".
 */
class DiagnosticsTest {

    static Stream<Arguments> attributeMistakes() {
        return Stream.of(
                row("replica 3", "error[E002] t.cap:4:3: unknown attribute 'replica' (hint: did you mean 'replicas'?)"),
                row("imgae \"x\"", "error[E002] t.cap:4:3: unknown attribute 'imgae' (hint: did you mean 'image'?)"),
                row("environment { A = \"b\" }",
                        "error[E002] t.cap:4:3: unknown attribute 'environment' (hint: did you mean 'env'?)"),
                row("frobnicate 1", "error[E002] t.cap:4:3: unknown attribute 'frobnicate' (hint: the attributes are "
                        + "image, command, args, env, replicas, port, labels, resources, annotations, restart, liveness, readiness, "
                        + "startup, stop-grace, update, node-selector, node-affinity, pod-affinity, pod-anti-affinity, "
                        + "spread, tolerate, priority, completions, parallelism, backoff-limit)"),
                row("image \"j\"", "error[E003] t.cap:4:3: 'image' is already set at line 3 "
                        + "(hint: each attribute appears once in a service; remove one)"),
                row("replicas 20000", "error[E010] t.cap:4:12: replicas must be between 0 and 10000, got 20000"),
                row("replicas 2.5", "error[E010] t.cap:4:12: replicas must be a whole number, got '2.5'"),
                row("replicas -1", "error[E010] t.cap:4:12: replicas must be between 0 and 10000, got -1"),
                row("replicas \"2\"",
                        "error[E001] t.cap:4:12: expected a number, found string \"2\" (hint: numbers are written without quotes: 2)"),
                row("port http 0", "error[E010] t.cap:4:13: a port number must be between 1 and 65535, got 0"),
                row("port http 8080 expose 70000",
                        "error[E010] t.cap:4:25: an exposed port must be between 1 and 65535, got 70000"),
                row("port HTTP 80", "error[E004] t.cap:4:8: invalid port name 'HTTP': names are lowercase (hint: try 'http')"),
                row("port a-very-long-port-name 80", "error[E004] t.cap:4:8: invalid port name 'a-very-long-port-name': "
                        + "names are at most 15 characters (hint: try 'a-very-long-por')"),
                row("port http 80\n  port http 81",
                        "error[E011] t.cap:5:8: duplicate port name 'http' (first at line 4) (hint: give each port of a service its own name)"),
                row("port http 80\n  port web 80", "error[E011] t.cap:5:12: container port 80 is already used by port "
                        + "'http' (line 4) (hint: give each port its own number)"),
                row("port http 80 expose 81\n  port web 82 expose 81", "error[E011] t.cap:5:22: service port 81 is "
                        + "already used by port 'http' (line 4) (hint: give each port its own number)"),
                row("port 8080", "error[E001] t.cap:4:8: expected a port name, found '8080' (hint: ports have a name: port http 8080)"),
                row("port http 8080 80", "error[E001] t.cap:4:18: expected an attribute (image, command, args, env, "
                        + "replicas, port, labels, resources, ...), found '80' (hint: to give the service port another number, "
                        + "write: expose 80)"),
                row("resources { cpu 100x }", "error[E008] t.cap:4:19: unknown cpu unit 'x' in '100x' "
                        + "(hint: write cores (0.5, 2) or millicores (500m))"),
                row("resources { cpu -1 }", "error[E008] t.cap:4:19: cpu must not be negative"),
                row("resources { cpu 0.0001 }", "error[E008] t.cap:4:19: cpu is counted in steps of 1m (0.001 cores): "
                        + "'0.0001' (hint: write millicores, e.g. 500m)"),
                row("resources { memory 32 }",
                        "error[E008] t.cap:4:22: memory needs a unit: '32' (hint: did you mean 32Mi?)"),
                row("resources { memory 32mi }", "error[E008] t.cap:4:22: unknown memory unit 'mi' in '32mi' (hint: did "
                        + "you mean 32Mi? (units are Ki, Mi, Gi, Ti (powers of 1024) or k, M, G, T))"),
                row("resources { cpu 1 cpu 2 }",
                        "error[E012] t.cap:4:21: duplicate resource 'cpu' (first set at line 4) (hint: remove one of them)"),
                row("resources { gpu 1 }", "error[E009] t.cap:4:15: unknown resource 'gpu' (hint: did you mean 'cpu'?)"),
                row("resources { \"cpu\" 1 }", "error[E001] t.cap:4:15: expected a resource name (cpu, memory) or '}', "
                        + "found string \"cpu\" (hint: resource names are not quoted: cpu 100m)"),
                row("env { A = \"1\" A = \"2\" }", "error[E012] t.cap:4:17: duplicate environment variable 'A' "
                        + "(first set at line 4) (hint: remove one of them)"),
                row("env { \"1A\" = \"x\" }", "error[E014] t.cap:4:9: invalid environment variable name '1A' "
                        + "(hint: names use letters, digits, '_', '-' and '.', and do not start with a digit)"),
                row("env { A: \"b\" }",
                        "error[E001] t.cap:4:10: expected '=', found ':' (hint: map entries are written KEY = \"value\")"),
                row("env { A = \"\\q\" }", "error[E015] t.cap:4:14: unknown escape '\\q' in a string "
                        + "(hint: the escapes are \\\" \\\\ \\n \\r \\t and \\uXXXX)"),
                row("labels { tier = frontend }",
                        "error[E001] t.cap:4:19: expected a string, found 'frontend' (hint: strings are quoted: \"frontend\")"),
                row("labels { app = \"x\" }", "error[E016] t.cap:4:12: label 'app' is set by capstan "
                        + "(hint: remove it; capstan sets app to the service name to select its pods)"),
                row("labels { \"Bad_/x\" = \"y\" }", "error[E013] t.cap:4:12: invalid label key 'Bad_/x' "
                        + "(hint: a key prefix is a lowercase DNS name such as example.com/)"),
                row("labels { k = \"bad value!\" }", "error[E013] t.cap:4:16: invalid label value 'bad value!' "
                        + "(hint: values use letters, digits, '-', '_' and '.', and start and end with a letter or digit)"),
                row("labels { service = \"x\" }", "error[E001] t.cap:4:12: expected a key or '}', found 'service' "
                        + "(hint: 'service' is a keyword; quote it as a key: \"service\")"),
                row("labels tier = \"x\"", "error[E001] t.cap:4:10: expected '{', found 'tier' "
                        + "(hint: write the entries in braces: labels { key = \"value\" })"),
                row("args [\"a\" \"b\"]",
                        "error[E001] t.cap:4:13: expected ',' or ']', found string \"b\" (hint: separate list items with ',')"),
                row("command \"sh\"", "error[E001] t.cap:4:11: expected '[', found string \"sh\" (hint: write a list: [\"sh\"])"),
                row("replicas = 2",
                        "error[E001] t.cap:4:12: expected a number, found '=' (hint: attributes take no '=': write replicas 2)"),
                row("replicas 2;", "error[E001] t.cap:4:13: unexpected character ';' (hint: statements need no ';')"),
                row("args ['x']", "error[E001] t.cap:4:9: strings are written in double quotes (hint: write \"x\")"),
                row("args [\"x]", "error[E001] t.cap:4:9: unterminated string (hint: close it with '\"' on the same line)"),
                row("args [\"${port.http}\"]", "warning[W001] t.cap:4:9: '${...}' is not expanded; the container gets it "
                        + "as written (hint: the node agent expands $(NAME) from the container's environment, e.g. $(PORT))"),
                row("namespace x { }", "error[E001] t.cap:3:12: unclosed block: expected '}' before 'namespace' "
                        + "(hint: the service block opened at line 2 needs a closing '}')"),
                row("labels { \"service\" = \"x\" }\n  command [\"a\",]\n  args []"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributeMistakes")
    void reportsEachAttributeMistakeOnce(String body, List<String> expected) {
        String text = "namespace demo { }\nservice web in demo {\n  image \"i\"\n  " + body + "\n}\n";
        CompileResult result = new CapCompiler().compile(List.of(new SourceFile("t.cap", text)));
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> declarationMistakes() {
        return Stream.of(
                row("namespace demo { }\nnamespace demo { }",
                        "error[E006] t.cap:2:11: namespace 'demo' is already declared at t.cap:1:11 "
                                + "(hint: declare each namespace once)"),
                row("namespace demo { }\nservice a in demo { image \"i\" }\nservice a in demo { image \"i\" }",
                        "error[E006] t.cap:3:9: service 'a' is already declared in namespace 'demo' at t.cap:2:9 "
                                + "(hint: service names are unique within a namespace)"),
                row("namespace a { }\nnamespace b { }\nservice s in a { image \"i\" }\nservice s in b { image \"i\" }"),
                row("service a in shop { image \"i\" }",
                        "error[E005] t.cap:1:14: unknown namespace 'shop' (hint: declare it: namespace shop { })"),
                row("namespace shop { }\nservice a in shpo { image \"i\" }", "error[E005] t.cap:2:14: unknown namespace "
                        + "'shpo' (hint: did you mean 'shop'? or declare it: namespace shpo { })"),
                row("namespace Shop_1 { }", "error[E004] t.cap:1:11: invalid namespace name 'Shop_1': names use only "
                        + "lowercase letters, digits and '-' (hint: try 'shop-1')"),
                row("namespace n { }\nservice web- in n { image \"i\" }", "error[E004] t.cap:2:9: invalid service name "
                        + "'web-': names end with a letter or digit (hint: try 'web')"),
                row("namespace n { }\nservice " + "a".repeat(64) + " in n { image \"i\" }", "error[E004] t.cap:2:9: "
                        + "invalid service name '" + "a".repeat(64) + "': names are at most 63 characters (hint: try '"
                        + "a".repeat(63) + "')"),
                row("namespace n { }\nservice a in n { replicas 1 }",
                        "error[E007] t.cap:2:9: service 'a' has no image (hint: add a line: image \"registry/name:tag\")"),
                row("namespace n { }\nservice a in n { image \" \" }",
                        "error[E007] t.cap:2:24: image is empty (hint: write image \"registry/name:tag\")"),
                row("namespace n { labels { \"app.kubernetes.io/managed-by\" = \"me\" } }",
                        "error[E016] t.cap:1:24: label 'app.kubernetes.io/managed-by' is set by capstan "
                                + "(hint: remove it; capstan sets app.kubernetes.io/managed-by on everything it manages)"),
                row("namespace n { labels { app = \"x\" } }"),
                row("namespace n { image \"x\" }", "error[E001] t.cap:1:15: expected an attribute (labels), found 'image' "
                        + "(hint: 'image' belongs in a service block)"),
                row("namespace n { lables { } }",
                        "error[E002] t.cap:1:15: unknown attribute 'lables' (hint: did you mean 'labels'?)"),
                row("namespace { }",
                        "error[E001] t.cap:1:11: expected a namespace name, found '{' (hint: write: namespace NAME { ... })"),
                row("namespace 9n { }", "error[E001] t.cap:1:11: expected a namespace name, found '9n' "
                        + "(hint: names start with a letter)"),
                row("namespace n { }\nservice in n { image \"i\" }", "error[E001] t.cap:2:9: expected a service name, "
                        + "found 'in' (hint: write: service NAME in NAMESPACE { ... })"),
                row("namespace n { }\nservice a n { image \"i\" }", "error[E001] t.cap:2:11: expected 'in', found 'n' "
                        + "(hint: write: service NAME in NAMESPACE { ... })"),
                row("servce a in n { image \"i\" }\nnamespace n { }",
                        "error[E002] t.cap:1:1: unknown declaration 'servce' (hint: did you mean 'service'?)"),
                row("namespace n { }\n}", "error[E001] t.cap:2:1: expected a declaration (namespace, service, template, const, import, job, daemon, policy, bind, exception, test), found '}' "
                        + "(hint: is there one '}' too many?)"),
                row("namespace n {\n", "error[E001] t.cap:1:14: unclosed block: expected '}' before end of file "
                        + "(hint: the namespace block opened at line 1 needs a closing '}')"),
                row("namespace n { labels { a = \"b\"\n",
                        "error[E001] t.cap:1:31: unclosed block: expected '}' before end of file "
                                + "(hint: the labels block opened at line 1 needs a closing '}')"),
                row("namespace n { } \u00a7\u00a7 namespace m { }",
                        "error[E001] t.cap:1:17: unexpected characters '\u00a7\u00a7'"),
                row("namespace n { } /* note */ namespace m { }", "error[E001] t.cap:1:17: block comments are not part "
                        + "of the language (hint: comment lines with # or //)"));
    }

    /** Recovery: the parser reads on after a mistake without reporting its consequences. */
    static Stream<Arguments> recoveries() {
        String head = "namespace n { }\nservice a in n {\n  image \"i\"\n";
        return Stream.of(
                row(head + "  labels { a = \"b\"\n  replicas 2\n}\n", "error[E001] t.cap:4:19: unclosed block: expected "
                        + "'}' before 'replicas' (hint: the labels block opened at line 4 needs a closing '}')"),
                row(head + "  env A = \"b\" }\n  replicas 2\n}\n", "error[E001] t.cap:4:7: expected '{', found 'A' "
                        + "(hint: write the entries in braces: env { key = \"value\" })"),
                row("namespace n { }\nservice a in n\n  image \"i\"\n}\n",
                        "error[E001] t.cap:2:15: expected '{', found 'image'"),
                row(head + "  port http env expose 80\n}\n", "error[E001] t.cap:4:13: expected a number, found 'env'"),
                row(head + "  args [\"a\", \"b]\n}\n",
                        "error[E001] t.cap:4:14: unterminated string (hint: close it with '\"' on the same line)"),
                row(head + "  resources { cpu lots memory 1Gi }\n}\n",
                        "error[E001] t.cap:4:19: expected a quantity (like 100m or 32Mi), found 'lots'"),
                row(head + "  replica 3\n  imgae \"j\"\n}\n",
                        "error[E002] t.cap:4:3: unknown attribute 'replica' (hint: did you mean 'replicas'?)",
                        "error[E002] t.cap:5:3: unknown attribute 'imgae' (hint: did you mean 'image'?)"),
                row("nmespace n { }\nservice a in n { image \"i\" }\n",
                        "error[E002] t.cap:1:1: unknown declaration 'nmespace' (hint: did you mean 'namespace'?)"),
                row("namespace n { }\nservice a in n {\n  replica 3\n}\n",
                        "error[E002] t.cap:3:3: unknown attribute 'replica' (hint: did you mean 'replicas'?)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recoveries")
    void reportsOneErrorPerMistakeAndReadsOn(String text, List<String> expected) {
        reportsEachDeclarationMistakeOnce(text, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("declarationMistakes")
    void reportsEachDeclarationMistakeOnce(String text, List<String> expected) {
        CompileResult result = new CapCompiler().compile(List.of(new SourceFile("t.cap", text)));
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactlyElementsOf(expected);
    }

    private static Arguments row(String input, String... expected) {
        return Arguments.of(input, List.of(expected));
    }
}
