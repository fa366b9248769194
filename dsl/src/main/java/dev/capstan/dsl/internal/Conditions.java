package dev.capstan.dsl.internal;

import dev.capstan.dsl.CapLexer;
import dev.capstan.dsl.CapParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;

/**
 * Reads the CEL condition after {@code deny if} raw, since CEL's operators are no tokens of the language:
 * everything up to the word {@code message} or a '}' that is outside brackets and strings. Comments
 * ({@code #} or {@code //} to the end of the line) become spaces so that offsets still match the file. Returns a
 * CEL_COND token (text trimmed, positioned at its first character; empty text when there is no condition)
 * and, when the condition ended at it, a MESSAGE token; the lexer continues after them.
 */
final class Conditions {
    private Conditions() {
    }

    static List<CommonToken> read(CapLexer lexer, Token denyIf) {
        CharStream in = lexer.getInputStream();
        int i = denyIf.getStopIndex() + 1;
        int line = denyIf.getLine();
        int col = denyIf.getCharPositionInLine() + (denyIf.getStopIndex() - denyIf.getStartIndex() + 1);
        StringBuilder text = new StringBuilder();
        int firstIndex = -1;
        int firstLine = line;
        int firstCol = col;
        int lastIndex = -1;
        int depth = 0;
        int quote = 0;
        boolean comment = false;
        CommonToken message = null;
        int size = in.size();
        while (i < size) {
            int c = cp(in, i);
            if (comment) {
                if (c == '\n') {
                    comment = false;
                } else {
                    c = ' ';
                }
            } else if (quote != 0) {
                if (c == '\\' && i + 1 < size && cp(in, i + 1) != '\n') {
                    text.appendCodePoint(c);
                    col++;
                    i++;
                    c = cp(in, i);
                    lastIndex = i;
                } else if (c == quote || c == '\n') {
                    quote = 0;
                }
            } else if (c == '#' || (c == '/' && i + 1 < size && cp(in, i + 1) == '/')) {
                comment = true;
                c = ' ';
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0 && c == '}') {
                    break;
                }
                depth = Math.max(0, depth - 1);
            } else if (depth == 0 && isWordStart(c) && (i == 0 || !isWordPart(cp(in, i - 1)))) {
                int end = i;
                while (end < size && isWordPart(cp(in, end))) {
                    end++;
                }
                if (end - i == 7 && "message".equals(in.getText(org.antlr.v4.runtime.misc.Interval.of(i, end - 1)))) {
                    message = token(denyIf, CapParser.MESSAGE, "message", i, line, col);
                    i = end;
                    col += 7;
                    break;
                }
            }
            if (!Character.isWhitespace(c)) {
                if (firstIndex < 0) {
                    firstIndex = i;
                    firstLine = line;
                    firstCol = col;
                }
                lastIndex = i;
            }
            if (firstIndex >= 0) {
                text.appendCodePoint(c);
            }
            if (c == '\n') {
                line++;
                col = 0;
            } else {
                col++;
            }
            i++;
        }
        String condition = firstIndex < 0 ? "" : text.substring(0, text.offsetByCodePoints(0, lastIndex - firstIndex + 1));
        List<CommonToken> out = new ArrayList<>();
        CommonToken cond = token(denyIf, CapParser.CEL_COND, condition, firstIndex < 0 ? i : firstIndex, firstLine,
                firstCol);
        if (firstIndex >= 0) {
            cond.setStopIndex(lastIndex);
        } else {
            cond.setLine(denyIf.getLine());
            cond.setCharPositionInLine(denyIf.getCharPositionInLine());
            cond.setStartIndex(denyIf.getStartIndex());
            cond.setStopIndex(denyIf.getStopIndex());
        }
        out.add(cond);
        if (message != null) {
            out.add(message);
        }
        in.seek(i);
        lexer.setLine(line);
        lexer.setCharPositionInLine(col);
        return out;
    }

    private static CommonToken token(Token like, int type, String text, int start, int line, int col) {
        CommonToken t = new CommonToken(like);
        t.setType(type);
        t.setText(text);
        t.setStartIndex(start);
        t.setStopIndex(start + text.codePointCount(0, text.length()) - 1);
        t.setLine(line);
        t.setCharPositionInLine(col);
        t.setChannel(Token.DEFAULT_CHANNEL);
        return t;
    }

    private static int cp(CharStream in, int i) {
        int saved = in.index();
        in.seek(i);
        int c = in.LA(1);
        in.seek(saved);
        return c;
    }

    private static boolean isWordStart(int c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isWordPart(int c) {
        return isWordStart(c) || (c >= '0' && c <= '9');
    }
}
