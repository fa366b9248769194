package dev.capstan.dsl.format;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Random well-formed .cap files with random spacing, line breaks and comments. */
final class Generated {
    private static final List<String> ATTRIBUTES = List.of(
            "replicas 2", "command [ \"sh\" , \"-c\" , ]", "args [ ]", "env { A = \"1\" B = \"2\" }",
            "labels { tier = \"web\" }", "resources { cpu 100m memory 32Mi }",
            "liveness http \"/h\" port http every 5s timeout 1s", "readiness tcp port http",
            "startup exec [ \"true\" ] failure-threshold 30", "update { max-surge 1 max-unavailable 25% }",
            "node-affinity required { a in ( \"x\" , \"y\" ) ! b c }", "spread by node",
            "spread required by zone max-skew 2 { tier != \"db\" }", "tolerate k = \"v\" effect no-schedule",
            "annotations { \"a.b/c\" = \"d\" }", "node-selector { }", "stop-grace 30s", "restart always",
            "pod-anti-affinity preferred weight 10 by node { app = \"s0\" }", "priority 10");
    private static final List<String> SEPARATORS = List.of(" ", " ", " ", "\n", "\n  ", "\n\n", "\t", "\n\n\n    ");

    private Generated() {
    }

    static String file(Random random) {
        List<String> tokens = new ArrayList<>();
        add(tokens, "namespace n { labels { team = \"t\" } }");
        int services = 1 + random.nextInt(3);
        for (int s = 0; s < services; s++) {
            add(tokens, "service s" + s + " in n {");
            List<String> chosen = new ArrayList<>(ATTRIBUTES);
            Collections.shuffle(chosen, random);
            chosen = new ArrayList<>(chosen.subList(0, random.nextInt(chosen.size())));
            chosen.add(random.nextInt(chosen.size() + 1), "image \"i\"");
            chosen.add(random.nextInt(chosen.size() + 1), "port http 8080");
            for (String a : chosen) {
                add(tokens, a);
            }
            add(tokens, "}");
        }
        StringBuilder sb = new StringBuilder();
        int comments = 0;
        for (String t : tokens) {
            sb.append(t);
            if (random.nextInt(8) == 0) {
                sb.append(random.nextBoolean() ? " # note " : "  // remark ").append(comments++).append('\n');
            } else {
                sb.append(SEPARATORS.get(random.nextInt(SEPARATORS.size())));
            }
        }
        return sb.toString();
    }

    private static void add(List<String> tokens, String words) {
        Collections.addAll(tokens, words.split(" "));
    }
}
