package dev.capstan.dsl.internal;

import dev.capstan.dsl.CapParser;
import dev.capstan.dsl.ErrorCode;
import java.util.List;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.FailedPredicateException;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.atn.ATNState;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * ANTLR's recovery, tuned so that one mistake gives one message a user can act on.
 *
 * <ul>
 *   <li>Single-token insertion is off (a conjured token garbles both the message and the tree; Trino's
 *       ErrorHandler does the same), except for a missing opening brace whose closing brace is plainly
 *       there. Single-token deletion only drops a stray value or '=' on the same line, never a brace or
 *       a keyword, which more likely starts the next statement.</li>
 *   <li>After an error inside an attribute, the rest of that attribute's line goes with it; inside
 *       {@code KEY = "value"}, the rest of the entry.</li>
 *   <li>Lists in braces (the file, service and namespace bodies, maps, {@code resources}) recover an
 *       element at a time: a stray word is reported once ("unknown attribute 'replica'", with the nearest
 *       keyword as a hint) and skipped with what belongs to it, braces balanced, so the rest of the block
 *       is still read and its closing '}' is not taken by an inner list. A declaration keyword or the end
 *       of file inside a block means its '}' is missing.</li>
 *   <li>Messages read "expected WHAT, found WHAT" ({@link SyntaxMessages}). When the offending token
 *       starts a later line, the error points just after the previous token, where something is missing.</li>
 * </ul>
 *
 * One instance per parser; not thread-safe.
 */
final class CapErrorStrategy extends DefaultErrorStrategy {

    /** Receives syntax errors at a token, or just after it when {@code after}; {@code at} may be EOF or null. */
    interface Sink {
        void error(ErrorCode code, Token at, boolean after, String message, String hint);
    }

    private final Sink sink;
    /** Blocks reported unclosed whose '}' may still turn up at the top level. */
    private int unclosed;

    CapErrorStrategy(Sink sink) {
        this.sink = sink;
    }

    /**
     * Conjures nothing, with two exceptions, both a missing opening brace whose closing brace is there:
     * before a map, {@code resources} or a list whose '}' or ']' follows on the same line
     * ({@code env A = "b" }}), and before a block body that starts with an attribute. Without them, that
     * closing brace would end the enclosing block instead.
     */
    @Override
    protected boolean singleTokenInsertion(Parser r) {
        ParserRuleContext ctx = r.getContext();
        int open;
        if ((ctx instanceof CapParser.ServiceBodyContext || ctx instanceof CapParser.NamespaceBodyContext)
                && Tokens.SERVICE_ATTRIBUTES.contains(r.getInputStream().LA(1))
                && getExpectedTokens(r).contains(CapParser.LBRACE)) {
            reportMissingToken(r);
            return true;
        }
        if (ctx instanceof CapParser.MapContext || ctx instanceof CapParser.ResourcesContext) {
            open = CapParser.LBRACE;
        } else if (ctx instanceof CapParser.StringListContext) {
            open = CapParser.LBRACK;
        } else {
            return false;
        }
        if (!getExpectedTokens(r).contains(open)) {
            return false;
        }
        int close = open == CapParser.LBRACE ? CapParser.RBRACE : CapParser.RBRACK;
        TokenStream in = r.getInputStream();
        int line = in.LT(1).getLine();
        for (int k = 1; in.LT(k).getType() != Token.EOF && in.LT(k).getLine() == line; k++) {
            int type = in.LT(k).getType();
            if (type == close) {
                reportMissingToken(r);
                return true;
            }
            if (isBrace(type)) {
                return false;
            }
        }
        return false;
    }

    @Override
    protected Token singleTokenDeletion(Parser r) {
        Token bad = r.getInputStream().LT(1);
        Token next = r.getInputStream().LT(2);
        int type = bad.getType();
        if (type == Token.EOF || isBrace(type) || Tokens.KEYWORDS.contains(type)
                || (next.getType() != Token.EOF && next.getLine() != bad.getLine())
                || (Tokens.NON_RESERVED.contains(next.getType()) && getExpectedTokens(r).contains(CapParser.IDENT))) {
            return null;
        }
        return super.singleTokenDeletion(r);
    }

    @Override
    public void sync(Parser recognizer) throws RecognitionException {
        switch (recognizer.getContext().getRuleIndex()) {
            case CapParser.RULE_file:
            case CapParser.RULE_serviceBody:
            case CapParser.RULE_namespaceBody:
            case CapParser.RULE_map:
            case CapParser.RULE_resources:
                syncList(recognizer);
                break;
            default:
                super.sync(recognizer);
        }
    }

    /** At the loop of a list: report and skip elements that cannot start one, until one can (or the list ends). */
    private void syncList(Parser r) throws RecognitionException {
        ParserRuleContext ctx = r.getContext();
        int rule = ctx.getRuleIndex();
        ATNState state = r.getInterpreter().atn.states.get(r.getState());
        IntervalSet ok = r.getATN().nextTokens(state);
        while (true) {
            Token t = r.getCurrentToken();
            if (ok.contains(t.getType()) && !(rule == CapParser.RULE_map && startsAttribute(r, t))) {
                return;
            }
            boolean quotable = rule == CapParser.RULE_map && Tokens.RESERVED.contains(t.getType())
                    && r.getInputStream().LA(2) == CapParser.EQ;
            if (rule != CapParser.RULE_file && !quotable && (t.getType() == Token.EOF
                    || Tokens.DECLARATIONS.contains(t.getType()) || ok.contains(t.getType()))) {
                if (!inErrorRecoveryMode(r)) {
                    beginErrorCondition(r);
                    unclosed++;
                    report(r, ErrorCode.E001, t, "unclosed block: expected '}' before " + Tokens.found(t),
                            SyntaxMessages.unclosedHint(ctx));
                }
                throw new InputMismatchException(r); // leave the list quietly: its rule recovers to what follows
            }
            if (rule == CapParser.RULE_file && t.getType() == CapParser.RBRACE && unclosed > 0) {
                unclosed--; // the '}' of a block reported unclosed: a declaration sat inside it
            } else if (!inErrorRecoveryMode(r)) {
                reportStray(ctx, t, ok);
            }
            beginErrorCondition(r);
            if (rule == CapParser.RULE_map) {
                r.consume();
                skipRestOfEntry(r);
            } else if (rule == CapParser.RULE_resources) {
                r.consume();
                int next = r.getInputStream().LA(1);
                if (next == CapParser.NUMBER || next == CapParser.QUANTITY) {
                    r.consume();
                }
            } else {
                skipStatement(r, ok);
            }
            endErrorCondition(r);
        }
    }

    /**
     * True when {@code t}, though it could be a map key, starts a line and is not followed by '=': most likely
     * the next attribute after a map whose '}' is missing.
     */
    private static boolean startsAttribute(Parser r, Token t) {
        Token previous = SyntaxMessages.previous(r, t);
        return Tokens.SERVICE_ATTRIBUTES.contains(t.getType()) && previous != null && previous.getLine() < t.getLine()
                && r.getInputStream().LA(2) != CapParser.EQ;
    }

    private void reportStray(ParserRuleContext ctx, Token t, IntervalSet ok) {
        int rule = ctx.getRuleIndex();
        boolean file = rule == CapParser.RULE_file;
        if ((t.getType() == CapParser.IDENT || t.getType() == CapParser.CONST_NAME) && (file || rule == CapParser.RULE_serviceBody
                || rule == CapParser.RULE_namespaceBody)) {
            List<String> words = Tokens.words(file ? Tokens.DECLARATIONS : Tokens.SERVICE_ATTRIBUTES.and(ok));
            String what = file ? "declaration" : "attribute";
            String hint = Suggest.closest(t.getText(), words)
                    .map(w -> "did you mean '" + w + "'?")
                    .orElse(file ? "a file holds namespace and service blocks"
                            : "the attributes are " + String.join(", ", words));
            sink.error(ErrorCode.E002, t, false, "unknown " + what + " '" + t.getText() + "'", hint);
            return;
        }
        IntervalSet expected = new IntervalSet(ok);
        if (rule == CapParser.RULE_file || rule == CapParser.RULE_serviceBody || rule == CapParser.RULE_namespaceBody) {
            expected.remove(Token.EOF);
            expected.remove(CapParser.RBRACE); // "expected an attribute" says it better than "... or '}'"
        }
        sink.error(ErrorCode.E001, t, false, "expected " + SyntaxMessages.describe(expected, ctx) + ", found "
                + Tokens.found(t), SyntaxMessages.strayHint(ctx, t));
    }

    /** Consumes the offending token and what belongs to it: up to the next keyword at the same depth. */
    private static void skipStatement(Parser r, IntervalSet ok) {
        Token first = r.getCurrentToken();
        int depth = opens(first.getType()) ? 1 : 0;
        int line = first.getLine();
        r.consume();
        while (true) {
            Token t = r.getCurrentToken();
            int type = t.getType();
            if (type == Token.EOF) {
                return;
            }
            if (depth == 0 && (ok.contains(type) || Tokens.DECLARATIONS.contains(type)
                    || (type == CapParser.IDENT && t.getLine() > line))) {
                return;
            }
            if (opens(type)) {
                depth++;
            } else if ((type == CapParser.RBRACE || type == CapParser.RBRACK) && depth > 0) {
                depth--;
            }
            line = t.getLine();
            r.consume();
        }
    }

    /**
     * After an error inside {@code KEY = "value"}, also skips what is left of that entry (a separator and
     * one value), which would otherwise be read as the next key and reported a second time.
     */
    @Override
    public void recover(Parser r, RecognitionException e) {
        ParserRuleContext ctx = r.getContext();
        TokenStream in = r.getInputStream();
        if (ctx instanceof CapParser.MapEntryContext) {
            skipRestOfEntry(r);
        } else if (ctx instanceof CapParser.QuantityContext && (Tokens.isWord(in.LA(1)) || in.LA(1) == CapParser.STRING)
                && in.LA(2) != CapParser.NUMBER && in.LA(2) != CapParser.QUANTITY) {
            r.consume(); // `cpu lots memory 1Gi`: 'lots' is the bad amount, not the next resource
        } else if (insideAttribute(ctx)) {
            skipRestOfLine(r);
        }
        super.recover(r, e);
    }

    /** In an attribute's own tokens, not in a map, list or resources block inside it. */
    private static boolean insideAttribute(ParserRuleContext ctx) {
        for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
            int rule = c.getRuleIndex();
            if (rule == CapParser.RULE_serviceAttribute || rule == CapParser.RULE_namespaceAttribute) {
                return true;
            }
            if (rule == CapParser.RULE_map || rule == CapParser.RULE_stringList || rule == CapParser.RULE_resources) {
                return false;
            }
        }
        return false;
    }

    /**
     * After an error in an attribute, the rest of its line belongs to it ({@code port http env expose 80}:
     * 'env' is a bad number here, not the next attribute). Stops before a closing brace of an outer block.
     */
    private static void skipRestOfLine(Parser r) {
        Token previous = SyntaxMessages.previous(r, r.getCurrentToken());
        if (previous == null) {
            return;
        }
        int depth = 0;
        for (Token t = r.getCurrentToken(); t.getType() != Token.EOF && t.getLine() == previous.getLine();
             t = r.getCurrentToken()) {
            if (opens(t.getType())) {
                depth++;
            } else if (t.getType() == CapParser.RBRACE || t.getType() == CapParser.RBRACK) {
                if (depth == 0) {
                    return;
                }
                depth--;
            }
            r.consume();
        }
    }

    private static void skipRestOfEntry(Parser r) {
        TokenStream in = r.getInputStream();
        if (in.LA(1) == CapParser.EQ || in.LA(1) == CapParser.COLON) {
            r.consume();
        }
        int value = in.LA(1);
        boolean isValue = value == CapParser.STRING || value == CapParser.NUMBER || value == CapParser.QUANTITY
                || Tokens.isWord(value);
        if (isValue && in.LA(2) != CapParser.EQ && in.LA(2) != CapParser.COLON) {
            r.consume();
        }
    }

    private static boolean opens(int type) {
        return type == CapParser.LBRACE || type == CapParser.LBRACK;
    }

    private static boolean isBrace(int type) {
        return opens(type) || type == CapParser.RBRACE || type == CapParser.RBRACK;
    }

    @Override
    protected void reportNoViableAlternative(Parser r, NoViableAltException e) {
        reportMismatch(r, e.getOffendingToken(), e.getExpectedTokens(), contextOf(r, e));
    }

    @Override
    protected void reportInputMismatch(Parser r, InputMismatchException e) {
        reportMismatch(r, e.getOffendingToken(), e.getExpectedTokens(), contextOf(r, e));
    }

    @Override
    protected void reportFailedPredicate(Parser r, FailedPredicateException e) {
        reportMismatch(r, e.getOffendingToken(), e.getExpectedTokens(), contextOf(r, e));
    }

    @Override
    protected void reportUnwantedToken(Parser r) {
        if (inErrorRecoveryMode(r)) {
            return;
        }
        beginErrorCondition(r);
        reportMismatch(r, r.getCurrentToken(), getExpectedTokens(r), r.getContext());
    }

    @Override
    protected void reportMissingToken(Parser r) {
        reportUnwantedToken(r); // only reached through token insertion, which is off
    }

    private static ParserRuleContext contextOf(Parser r, RecognitionException e) {
        return e.getCtx() instanceof ParserRuleContext ? (ParserRuleContext) e.getCtx() : r.getContext();
    }

    private void reportMismatch(Parser r, Token found, IntervalSet expected, ParserRuleContext ctx) {
        Token at = found != null ? found : r.getCurrentToken();
        IntervalSet set = expected == null ? new IntervalSet() : expected;
        report(r, ErrorCode.E001, at, "expected " + SyntaxMessages.describe(set, ctx) + ", found " + Tokens.found(at),
                SyntaxMessages.mismatchHint(set, at, r, ctx));
    }

    /** Reports at {@code found}, or just after the previous token when {@code found} starts a later line. */
    private void report(Parser r, ErrorCode code, Token found, String message, String hint) {
        Token previous = SyntaxMessages.previous(r, found);
        if (previous != null && (found.getType() == Token.EOF || found.getLine() > previous.getLine())) {
            sink.error(code, previous, true, message, hint);
        } else {
            sink.error(code, found, false, message, hint);
        }
    }
}
