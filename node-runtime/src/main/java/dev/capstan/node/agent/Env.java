package dev.capstan.node.agent;

import java.util.List;
import java.util.Map;

/** Kubernetes' {@code $(VAR)} expansion for command, args and env values: {@code $$} escapes, unknown names stay. */
final class Env {
    private Env() {
    }

    static String expand(String s, Map<String, String> env) {
        if (s.indexOf('$') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '$' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                if (n == '$') {
                    out.append('$');
                    i++;
                    continue;
                }
                if (n == '(') {
                    int end = s.indexOf(')', i + 2);
                    if (end > 0) {
                        String name = s.substring(i + 2, end);
                        String v = env.get(name);
                        if (v != null) {
                            out.append(v);
                            i = end;
                            continue;
                        }
                    }
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    static List<String> expand(List<String> l, Map<String, String> env) {
        return l.stream().map(s -> expand(s, env)).toList();
    }

    /** {@code http-alt} → {@code PORT_HTTP_ALT}. */
    static String portVar(String portName) {
        return "PORT_" + portName.toUpperCase(java.util.Locale.ROOT).replace('-', '_').replace('.', '_');
    }
}
