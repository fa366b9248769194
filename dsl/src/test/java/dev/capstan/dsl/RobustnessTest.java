package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Feeds the compiler thousands of broken inputs (the example mutated by characters and by tokens, and
 * random text; fixed seed) and checks its promises: it returns, never throws, reports no internal error,
 * and every diagnostic points into its file and renders.
 */
class RobustnessTest {
    private static final long SEED = 20240611L;
    private static final String ALPHABET = "abcdeimnoprsvxyzAZ_-019.\"'{}[],=:;#/\\$()@ \t\n\r\u00e9\u4e2d\ud83d\ude00\ud800\u0000";
    private static final Pattern TOKEN = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"|[A-Za-z0-9_.-]+|#[^\\n]*|\\s+|.");

    private final DslCompiler compiler = new CapCompiler();
    /** The file compiled next to each case: a namespace and constants to import. */
    private static final String OTHER = "namespace other { }\nconst SHARED = \"x\"\nconst PORTS = { a = \"1\" }\n";
    /** A valid file with constants and an import, mutated like the example. */
    private static final String CONSTANTS = """
            import "other.cap" (SHARED, PORTS)
            const IMAGE = "capstan.local/busybox:1.35"
            const N     = 2
            const CMD   = ["sh", "-c", SHARED]
            const MEM   = 32Mi
            const ALIAS = IMAGE
            service web in other {
              image     ALIAS
              command   [CMD, "x"]
              replicas  N
              port http 8080
              resources { cpu 100m  memory MEM }
              labels    { ...PORTS  k = SHARED }
            }
            """;

    private final Random random = new Random(SEED);
    private int cases;
    private int clean;

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void survivesMutatedAndRandomInput() {
        List<String> tokens = tokens(CapCompilerTest.HELLO);
        List<String> constTokens = tokens(CONSTANTS);
        for (int i = 0; i < 2000; i++) {
            check(mutateCharacters(i % 2 == 0 ? CapCompilerTest.HELLO : CONSTANTS, 1 + random.nextInt(4)));
        }
        for (int i = 0; i < 2000; i++) {
            check(mutateTokens(i % 2 == 0 ? tokens : constTokens, 1 + random.nextInt(4)));
        }
        tokens = new java.util.ArrayList<>(tokens);
        tokens.addAll(constTokens);
        for (int i = 0; i < 500; i++) {
            check(randomText(random.nextInt(200)));
        }
        for (int i = 0; i < 500; i++) {
            StringBuilder soup = new StringBuilder();
            for (int n = random.nextInt(60); n > 0; n--) {
                soup.append(tokens.get(random.nextInt(tokens.size())));
            }
            check(soup.toString());
        }
        assertThat(cases).isEqualTo(5000);
        assertThat(clean).as("some mutations leave a valid file").isPositive().isLessThan(cases);
    }

    private void check(String text) {
        cases++;
        List<SourceFile> files = List.of(new SourceFile("fuzz/case.cap", text),
                new SourceFile("fuzz/other.cap", OTHER));
        CompileResult result;
        try {
            result = compiler.compile(files);
        } catch (Throwable t) {
            throw new AssertionError("compiler threw on input:\n" + text, t);
        }
        if (result.ok()) {
            clean++;
        }
        for (Diagnostic d : result.diagnostics()) {
            if (d.code().equals("E099")) {
                fail("internal error " + d + " on input:\n" + text);
            }
            String fileText = d.path().equals("fuzz/case.cap") ? text : OTHER;
            String[] lines = fileText.split("\n", -1);
            if (d.line() < 1 || d.line() > lines.length) {
                fail("line out of file: " + d + " on input:\n" + text);
            }
            String line = lines[d.line() - 1];
            line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            int width = line.codePointCount(0, line.length());
            if (d.column() < 1 || d.column() > width + 1) {
                fail("column out of line (width " + width + "): " + d + " on input:\n" + text);
            }
            assertThat(d.message()).isNotBlank();
        }
        assertThat(DiagnosticRenderer.render(result.diagnostics(), files)).isNotNull();
        assertThat(result.ok() || result.objects().isEmpty()).isTrue();
    }

    private String mutateCharacters(String text, int times) {
        StringBuilder s = new StringBuilder(text);
        for (int i = 0; i < times && s.length() > 1; i++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(4)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, s.charAt(at));
                case 2 -> {
                    int other = random.nextInt(s.length());
                    char c = s.charAt(at);
                    s.setCharAt(at, s.charAt(other));
                    s.setCharAt(other, c);
                }
                default -> s.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return s.toString();
    }

    private String mutateTokens(List<String> original, int times) {
        List<String> t = new ArrayList<>(original);
        for (int i = 0; i < times && t.size() > 1; i++) {
            int at = random.nextInt(t.size());
            switch (random.nextInt(4)) {
                case 0 -> t.remove(at);
                case 1 -> t.add(at, t.get(at));
                case 2 -> {
                    int other = random.nextInt(t.size());
                    String x = t.get(at);
                    t.set(at, t.get(other));
                    t.set(other, x);
                }
                default -> t.set(at, original.get(random.nextInt(original.size())));
            }
        }
        return String.join("", t);
    }

    private String randomText(int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    private static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
