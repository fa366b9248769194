package dev.capstan.dsl.internal;

import dev.capstan.dsl.CapCompiler.Limits;
import dev.capstan.dsl.CapLexer;
import dev.capstan.dsl.CapParser;
import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.SourceFile;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;

/**
 * Text to AST for one file: size check, lexing with a pass that turns bad characters and unterminated
 * strings into diagnostics (the parser never sees them), parsing with {@link CapErrorStrategy}, then
 * {@link AstBuilder}. Positions of errors at the end of file move to the end of the last token, so that
 * every diagnostic points into the file.
 */
final class SourceParser {
    private final SourceFile file;
    private final Limits limits;
    private final Reporter reporter;
    private final List<Token> tokens = new ArrayList<>();
    private Token lastVisible;
    private boolean reported;

    /** Thrown to stop parsing a file that has reached its error limit. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private SourceParser(SourceFile file, Limits limits, Reporter reporter) {
        this.file = file;
        this.limits = limits;
        this.reporter = reporter;
    }

    /**
     * The file's parse tree, or null when it could not be parsed at all (a limit, or too many errors). The AST
     * is built from it ({@link AstBuilder}) once the constants of all files are known.
     */
    static Parsed parse(SourceFile file, Limits limits, Reporter reporter) {
        SourceParser p = new SourceParser(file, limits, reporter);
        CapParser.FileContext tree = p.parse();
        return tree == null ? null : new Parsed(tree, !p.reported);
    }

    /**
     * A parse tree; {@code clean} when nothing at all was reported while lexing and parsing the file, so that the
     * parser recovered nowhere (every recovery reports first) and no part of the tree needs the damage check.
     */
    record Parsed(CapParser.FileContext tree, boolean clean) {
    }

    private CapParser.FileContext parse() {
        String text = file.text();
        if (text.length() > limits.maxFileChars()) {
            reporter.report(ErrorCode.E090, file.path(), 1, 1, "file is too large (" + text.length()
                    + " characters; the limit is " + limits.maxFileChars() + ")", "split it into several files");
            return null;
        }
        try {
            return lex(text) ? parseTokens() : null;
        } catch (Stop stop) {
            return null;
        }
    }

    private CapParser.FileContext parseTokens() {
        CommonTokenStream stream = new CommonTokenStream(new ListTokenSource(tokens, file.path()));
        stream.fill(); // all tokens are in memory already; messages look ahead and behind freely
        CapParser parser = new CapParser(stream);
        parser.removeErrorListeners();
        parser.addErrorListener(new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> r, Object offending, int line, int col, String msg,
                                    RecognitionException e) {
                error(ErrorCode.E001, offending instanceof Token ? (Token) offending : null, msg, null);
            }
        });
        parser.setErrorHandler(new CapErrorStrategy((code, at, after, message, hint) -> {
            if (after && at != null && at.getType() != Token.EOF) {
                error(code, at.getLine(), at.getCharPositionInLine() + 1 + length(at), message, hint);
            } else {
                error(code, at, message, hint);
            }
        }));
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        CapParser.FileContext tree = parser.file();
        return reporter.stopped(file.path()) ? null : tree;
    }

    /** Fills {@link #tokens}; false when a limit stops the file. */
    private boolean lex(String text) {
        CapLexer lexer = new CapLexer(CharStreams.fromString(text, file.path()));
        lexer.removeErrorListeners();
        int visible = 0;
        int depth = 0;
        CommonToken unexpected = null;
        int unexpectedEnd = -1;
        StringBuilder unexpectedText = new StringBuilder();
        while (true) {
            CommonToken t = (CommonToken) lexer.nextToken();
            if (t.getType() == CapLexer.UNEXPECTED_CHAR) {
                t.setChannel(Token.HIDDEN_CHANNEL);
                if (unexpected == null || t.getStartIndex() != unexpectedEnd + 1) {
                    flushUnexpected(unexpected, unexpectedText);
                    unexpected = t;
                    unexpectedText.setLength(0);
                }
                unexpectedText.append(t.getText());
                unexpectedEnd = t.getStopIndex();
            } else {
                flushUnexpected(unexpected, unexpectedText);
                unexpected = null;
            }
            for (CommonToken p : rewrite(t)) {
                int type = p.getType();
                tokens.add(p);
                if (type == Token.EOF) {
                    return true;
                }
                if (p.getChannel() != Token.DEFAULT_CHANNEL) {
                    continue;
                }
                lastVisible = p;
                if (type == CapLexer.DENY_IF) {
                    for (CommonToken c : Conditions.read(lexer, p)) {
                        tokens.add(c);
                        lastVisible = c;
                        visible++;
                    }
                }
                if (++visible > limits.maxTokensPerFile()) {
                    error(ErrorCode.E090, p, "file has too many tokens (the limit is " + limits.maxTokensPerFile()
                            + ")", "split it into several files");
                    return false;
                }
                if (type == CapLexer.LBRACE || type == CapLexer.LBRACK) {
                    if (++depth > limits.maxNesting()) {
                        error(ErrorCode.E090, p, "blocks nested too deeply (the limit is " + limits.maxNesting() + ")",
                                null);
                        return false;
                    }
                } else if ((type == CapLexer.RBRACE || type == CapLexer.RBRACK) && depth > 0) {
                    depth--;
                }
            }
        }
    }

    /** Reports the token types the parser never sees and turns each into what the user meant. */
    private List<CommonToken> rewrite(CommonToken t) {
        switch (t.getType()) {
            case CapLexer.UNTERMINATED_STRING:
                error(ErrorCode.E001, t, "unterminated string", "close it with '\"' on the same line");
                List<CommonToken> out = new ArrayList<>();
                out.add(t);
                out.addAll(closeString(t));
                return out;
            case CapLexer.BLOCK_COMMENT:
                error(ErrorCode.E001, t, "block comments are not part of the language", "comment lines with # or //");
                t.setChannel(Token.HIDDEN_CHANNEL);
                return List.of(t);
            case CapLexer.SINGLE_QUOTED:
                String inner = t.getText().substring(1, t.getText().length() - 1);
                error(ErrorCode.E001, t, "strings are written in double quotes", "write " + Strings.quote(inner));
                t.setText(Strings.quote(inner));
                t.setType(CapLexer.STRING);
                return List.of(t);
            default:
                return List.of(t);
        }
    }

    /**
     * Turns an unterminated string into a string, giving back the brackets, braces and commas it swallowed
     * at its end ({@code ["x]}), so that the one missing quote is the one error reported.
     */
    private static List<CommonToken> closeString(CommonToken t) {
        String raw = t.getText().endsWith("\\") ? t.getText().substring(0, t.getText().length() - 1) : t.getText();
        List<CommonToken> tail = new ArrayList<>();
        int end = raw.length();
        while (end > 1) {
            char c = raw.charAt(end - 1);
            int type = c == ']' ? CapLexer.RBRACK : c == '}' ? CapLexer.RBRACE : c == ',' ? CapLexer.COMMA : 0;
            if (c != ' ' && c != '\t' && type == 0) {
                break;
            }
            end--;
            if (type != 0) {
                int offset = raw.codePointCount(0, end);
                CommonToken p = new CommonToken(t);
                p.setType(type);
                p.setText(String.valueOf(c));
                p.setStartIndex(t.getStartIndex() + offset);
                p.setStopIndex(t.getStartIndex() + offset);
                p.setCharPositionInLine(t.getCharPositionInLine() + offset);
                tail.add(0, p);
            }
        }
        t.setText(raw.substring(0, end) + "\"");
        t.setType(CapLexer.STRING);
        t.setStopIndex(t.getStartIndex() + raw.codePointCount(0, end) - 1);
        return tail;
    }

    private void flushUnexpected(CommonToken first, StringBuilder text) {
        if (first == null) {
            return;
        }
        String shown = printable(text.toString());
        boolean one = text.codePointCount(0, text.length()) == 1;
        String hint = null;
        if (shown.equals(";")) {
            hint = "statements need no ';'";
        } else if (shown.equals("'")) {
            hint = "strings are written in double quotes";
        }
        error(ErrorCode.E001, first, "unexpected character" + (one ? "" : "s") + " '" + shown + "'", hint);
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(16).forEach(c -> {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isWhitespace(c)
                    || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.SURROGATE) {
                out.append(String.format("U+%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return s.codePointCount(0, s.length()) > 16 ? out + "..." : out.toString();
    }

    /** Reports at a token; an EOF token (or none) is placed just after the last visible token. */
    private void error(ErrorCode code, Token at, String message, String hint) {
        if (at != null && at.getType() != Token.EOF && at.getLine() >= 1) {
            error(code, at.getLine(), at.getCharPositionInLine() + 1, message, hint);
        } else if (lastVisible != null) {
            error(code, lastVisible.getLine(), lastVisible.getCharPositionInLine() + 1 + length(lastVisible), message,
                    hint);
        } else {
            error(code, 1, 1, message, hint);
        }
    }

    /** The token's length in the source, in code points (its text may have been rewritten). */
    private static int length(Token t) {
        return t.getStopIndex() - t.getStartIndex() + 1;
    }

    private void error(ErrorCode code, int line, int column, String message, String hint) {
        reported = true;
        reporter.report(code, file.path(), line, column, message, hint);
        if (reporter.stopped(file.path())) {
            throw new Stop();
        }
    }
}
