package dev.capstan.dsl.format;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CapLexer;
import dev.capstan.dsl.CapParser;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.Severity;
import dev.capstan.dsl.SourceFile;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * Formats a {@code .cap} file into the canonical layout (see docs/language.md, "Layout"):
 * declarations separated by one blank line, two-space indentation, one attribute per line with the
 * values of one-line attributes aligned, blocks of two or more entries one entry per line, single spaces
 * between words, comments kept (a comment inside a one-line element moves to the end of that line).
 * Refuses a file with syntax errors. A file with policy, bind, exception or test blocks is kept as written.
 * Pure and thread-safe.
 */
public final class Formatter {
    /** Codes that mean the file's structure is not known; such a file is not formatted. */
    private static final Set<String> SYNTAX = Set.of(ErrorCode.E001.name(), ErrorCode.E002.name(),
            ErrorCode.E090.name(), ErrorCode.E099.name());

    private Formatter() {
    }

    /**
     * The formatted file.
     *
     * @param text        the formatted text, or null when the file has syntax errors
     * @param diagnostics the syntax errors that prevent formatting; empty when {@code text} is set
     */
    public record Result(String text, List<Diagnostic> diagnostics) {
        public Result {
            diagnostics = List.copyOf(diagnostics);
        }

        public boolean ok() {
            return text != null;
        }
    }

    public static Result format(SourceFile file) {
        List<Diagnostic> syntax = new CapCompiler().compile(List.of(file)).diagnostics().stream()
                .filter(d -> SYNTAX.contains(d.code())).toList();
        if (!syntax.isEmpty()) {
            return new Result(null, syntax);
        }
        if (hasPolicyBlocks(file.text())) {
            return new Result(file.text(), List.of()); // policy blocks are kept as written (CEL has its own layout)
        }
        CapLexer lexer = new CapLexer(CharStreams.fromString(file.text()));
        lexer.removeErrorListeners();
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        CapParser parser = new CapParser(tokens);
        parser.removeErrorListeners();
        int[] errors = {0};
        parser.addErrorListener(new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> r, Object symbol, int line, int col, String msg,
                                    RecognitionException e) {
                errors[0]++;
            }
        });
        CapParser.FileContext tree = parser.file();
        tokens.fill();
        for (Token t : tokens.getTokens()) {
            int type = t.getType();
            if (type == CapLexer.UNTERMINATED_STRING || type == CapLexer.SINGLE_QUOTED
                    || type == CapLexer.BLOCK_COMMENT || type == CapLexer.UNEXPECTED_CHAR) {
                errors[0]++;
            }
        }
        if (errors[0] > 0) {
            return new Result(null, List.of(new Diagnostic(Severity.ERROR, ErrorCode.E001.name(), file.path(), 1, 1,
                    "the file cannot be formatted: it has a syntax error", "run capstan check on it")));
        }
        return new Result(new Printer(tokens).file(tree), List.of());
    }

    /** True when a declaration starts with policy, bind, exception or test: such files are not re-laid out. */
    private static boolean hasPolicyBlocks(String text) {
        CapLexer lexer = new CapLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        int depth = 0;
        boolean declarationStart = true;
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            int type = t.getType();
            if (t.getChannel() != Token.DEFAULT_CHANNEL || type == CapLexer.WS) {
                continue;
            }
            if (type == CapLexer.DENY_IF || (depth == 0 && declarationStart && (type == CapLexer.POLICY
                    || type == CapLexer.BIND || type == CapLexer.EXCEPTION || type == CapLexer.TEST))) {
                return true;
            }
            if (type == CapLexer.LBRACE) {
                depth++;
            } else if (type == CapLexer.RBRACE) {
                depth = Math.max(0, depth - 1);
            }
            declarationStart = depth == 0 && type == CapLexer.RBRACE;
        }
        return false;
    }
}
