package dev.capstan.dsl.internal;

/** String literals: quotes and escapes. */
final class Strings {
    static final String ESCAPES = "the escapes are \\\" \\\\ \\n \\r \\t and \\uXXXX";

    /** Receives a bad escape: its offset in code points from the opening quote, and the escape as written. */
    interface BadEscape {
        void at(int offset, String escape);
    }

    private Strings() {
    }

    /**
     * The value of a quoted literal as the lexer matched it ({@code "..."}): quotes removed, escapes
     * resolved. A bad escape is reported and kept as written.
     */
    static String unquote(String literal, BadEscape bad) {
        int end = literal.length() > 1 && literal.endsWith("\"") ? literal.length() - 1 : literal.length();
        StringBuilder out = new StringBuilder(end);
        int offset = 1;
        for (int i = 1; i < end; i++, offset++) {
            char c = literal.charAt(i);
            if (c != '\\' || i + 1 >= end) {
                out.append(c);
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(literal.charAt(i + 1))) {
                    out.append(literal.charAt(++i));
                }
                continue;
            }
            char e = literal.charAt(i + 1);
            switch (e) {
                case '"': out.append('"'); i++; offset++; break;
                case '\\': out.append('\\'); i++; offset++; break;
                case 'n': out.append('\n'); i++; offset++; break;
                case 'r': out.append('\r'); i++; offset++; break;
                case 't': out.append('\t'); i++; offset++; break;
                case 'u':
                    String hex = i + 6 <= end ? literal.substring(i + 2, i + 6) : "";
                    if (hex.matches("[0-9a-fA-F]{4}")) {
                        out.append((char) Integer.parseInt(hex, 16));
                        i += 5;
                        offset += 5;
                    } else {
                        bad.at(offset, "\\u" + hex.replaceAll("[^0-9a-fA-F].*", ""));
                        out.append(c);
                    }
                    break;
                default:
                    int cp = literal.codePointAt(i + 1);
                    bad.at(offset, "\\" + new String(Character.toChars(cp)));
                    out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code text} quoted so that {@link #unquote} gives it back. */
    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
