package dev.capstan.dsl.internal;

import dev.capstan.dsl.CapParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.ATN;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Facts about the grammar's tokens, read from the generated parser so that messages follow the grammar:
 * which keywords start an attribute or a declaration, and how to name a token to a user.
 */
final class Tokens {
    static final IntervalSet SERVICE_ATTRIBUTES = first(CapParser.RULE_serviceAttribute);
    static final IntervalSet NAMESPACE_ATTRIBUTES = first(CapParser.RULE_namespaceAttribute);
    static final IntervalSet DECLARATIONS = first(CapParser.RULE_declaration);
    static final IntervalSet NON_RESERVED = first(CapParser.RULE_nonReserved);
    static final IntervalSet RESERVED = first(CapParser.RULE_reserved);
    static final IntervalSet KEYWORDS = NON_RESERVED.or(RESERVED);

    private Tokens() {
    }

    private static IntervalSet first(int rule) {
        ATN atn = CapParser._ATN;
        IntervalSet set = new IntervalSet(atn.nextTokens(atn.ruleToStartState[rule]));
        set.remove(Token.EPSILON);
        set.setReadonly(true);
        return set;
    }

    /** The keywords of a set of keyword tokens, in grammar order: {@code [image, command, ...]}. */
    static List<String> words(IntervalSet set) {
        List<String> words = new ArrayList<>();
        for (int type : set.toArray()) {
            String literal = CapParser.VOCABULARY.getLiteralName(type);
            if (literal != null && literal.length() > 2 && Character.isLetter(literal.charAt(1))) {
                words.add(literal.substring(1, literal.length() - 1));
            }
        }
        return words;
    }

    /** How a token type is named in "expected ..." messages. */
    static String expected(int type) {
        switch (type) {
            case Token.EOF:
                return "end of file";
            case CapParser.STRING:
                return "a string";
            case CapParser.NUMBER:
                return "a number";
            case CapParser.QUANTITY:
                return "a quantity";
            case CapParser.IDENT:
                return "a name";
            case CapParser.CONST_NAME:
                return "a constant name in capitals (REGISTRY)";
            default:
                String literal = CapParser.VOCABULARY.getLiteralName(type);
                return literal != null ? literal : CapParser.VOCABULARY.getDisplayName(type);
        }
    }

    /** How a token found in the input is named: {@code 'replica'}, {@code string "x"}, {@code end of file}. */
    static String found(Token t) {
        if (t.getType() == Token.EOF) {
            return "end of file";
        }
        String text = t.getText() == null ? "" : t.getText();
        boolean string = t.getType() == CapParser.STRING;
        if (text.codePointCount(0, text.length()) > 32) {
            text = text.substring(0, text.offsetByCodePoints(0, 28)) + (string ? "...\"" : "...");
        }
        return string ? "string " + text : "'" + text + "'";
    }

    static boolean isWord(int type) {
        return type == CapParser.IDENT || type == CapParser.CONST_NAME || KEYWORDS.contains(type);
    }
}
