package dev.capstan.dsl.internal;

import dev.capstan.dsl.CapParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.misc.IntervalSet;

/** The words of syntax errors: what was expected, in terms a user knows, and hints for common slips. */
final class SyntaxMessages {
    /** How many attributes "expected an attribute (...)" names; the hint of an unknown word lists all. */
    private static final int SHOWN_ATTRIBUTES = 8;
    private SyntaxMessages() {
    }

    /** "a service name", "a string or '['", "an attribute (image, ...)": an expected-token set in words. */
    static String describe(IntervalSet expected, ParserRuleContext ctx) {
        IntervalSet rest = new IntervalSet(expected);
        rest.remove(Token.EPSILON);
        if (rest.contains(CapParser.LBRACE)) {
            rest.remove(CapParser.EXTENDS); // optional; "expected '{'" is what helps
        }
        if (rest.contains(CapParser.CONST_NAME) && (rest.contains(CapParser.IDENT) || rest.contains(CapParser.STRING)
                || rest.contains(CapParser.NUMBER) || rest.contains(CapParser.LBRACK) || rest.contains(CapParser.LBRACE)
                || rest.contains(CapParser.LPAREN))) {
            rest.remove(CapParser.CONST_NAME); // a constant goes wherever its value does; the value's words say more
        }
        rest.remove(CapParser.ELLIPSIS); // "a key" is what helps; ...NAME is for those who know it
        if (rest.contains(CapParser.STRING) && rest.contains(CapParser.SERVICE)
                && enclosing(ctx, CapParser.RULE_mapEntry) != null) {
            rest.remove(CapParser.SERVICE); // service("x").url is for env only; "a string" is what helps
        }
        List<String> parts = new ArrayList<>();
        if (rest.contains(CapParser.IDENT)) {
            parts.add(nameNoun(ctx));
            rest = rest.subtract(Tokens.NON_RESERVED);
            rest.remove(CapParser.IDENT);
            if (enclosing(ctx, CapParser.RULE_map) != null) {
                rest.remove(CapParser.STRING); // "a key" covers quoted keys
            }
        }
        if (!rest.and(Tokens.SERVICE_ATTRIBUTES).isNil()) {
            boolean inNamespace = enclosing(ctx, CapParser.RULE_namespaceDecl) != null;
            IntervalSet attributes = inNamespace ? Tokens.NAMESPACE_ATTRIBUTES : Tokens.SERVICE_ATTRIBUTES;
            if (rest.and(attributes).size() == attributes.size()) {
                List<String> words = Tokens.words(attributes);
                String shown = String.join(", ", words.subList(0, Math.min(words.size(), SHOWN_ATTRIBUTES)));
                parts.add("an attribute (" + shown + (words.size() > SHOWN_ATTRIBUTES ? ", ..." : "") + ")");
                rest = rest.subtract(attributes);
            }
        }
        if (rest.and(Tokens.DECLARATIONS).size() == Tokens.DECLARATIONS.size()) {
            parts.add("a declaration (" + String.join(", ", Tokens.words(Tokens.DECLARATIONS)) + ")");
            rest = rest.subtract(Tokens.DECLARATIONS);
        }
        if (rest.contains(CapParser.NUMBER) && rest.contains(CapParser.QUANTITY)) {
            parts.add("a quantity (like 100m or 32Mi)");
            rest.remove(CapParser.NUMBER);
            rest.remove(CapParser.QUANTITY);
        }
        for (int type : rest.toArray()) {
            parts.add(Tokens.expected(type));
        }
        if (parts.isEmpty()) {
            return "something else";
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " or " + parts.get(parts.size() - 1);
    }

    /** What the name being read names, from the rule that wants it. */
    private static String nameNoun(ParserRuleContext ctx) {
        for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
            if (c instanceof CapParser.ServiceDeclContext s) {
                return s.EXTENDS() != null ? "a template name" : s.IN() == null ? "a service name" : "a namespace name";
            }
            if (c instanceof CapParser.TemplateDeclContext) {
                return "a template name";
            }
            if (c instanceof CapParser.NamespaceDeclContext) {
                return "a namespace name";
            }
            if (c instanceof CapParser.PortAttributeContext) {
                return "a port name";
            }
            if (c instanceof CapParser.ResourcesContext || c instanceof CapParser.ResourceContext) {
                return "a resource name (cpu, memory)";
            }
            if (c instanceof CapParser.MapContext || c instanceof CapParser.MapEntryContext) {
                return "a key";
            }
        }
        return "a name";
    }

    static String unclosedHint(ParserRuleContext list) {
        String kind;
        switch (list.getRuleIndex()) {
            case CapParser.RULE_serviceBody:
                kind = list.getParent() instanceof CapParser.TemplateDeclContext ? "template" : "service";
                break;
            case CapParser.RULE_namespaceBody:
                kind = "namespace";
                break;
            case CapParser.RULE_resources:
                kind = "resources";
                break;
            default:
                ParserRuleContext owner = list.getParent();
                kind = owner == null ? "" : owner.getStart().getText();
        }
        return "the " + kind + " block opened at line " + list.getStart().getLine() + " needs a closing '}'";
    }

    /** For a token that cannot start an element of the list {@code ctx}. */
    static String strayHint(ParserRuleContext ctx, Token t) {
        int type = t.getType();
        switch (ctx.getRuleIndex()) {
            case CapParser.RULE_file:
                return type == CapParser.RBRACE ? "is there one '}' too many?" : null;
            case CapParser.RULE_map:
                if (Tokens.RESERVED.contains(type)) {
                    return "'" + t.getText() + "' is a keyword; quote it as a key: \"" + t.getText() + "\"";
                }
                return type == CapParser.NUMBER || type == CapParser.QUANTITY
                        ? "quote keys that do not start with a letter: \"" + t.getText() + "\"" : null;
            case CapParser.RULE_resources:
                return type == CapParser.STRING ? "resource names are not quoted: cpu 100m" : null;
            default:
                if (Tokens.SERVICE_ATTRIBUTES.contains(type)) {
                    return "'" + t.getText() + "' belongs in a service block";
                }
                if (type == CapParser.NUMBER && ctx.getChildCount() > 0
                        && ctx.getChild(ctx.getChildCount() - 1) instanceof CapParser.PortAttributeContext) {
                    return "to give the service port another number, write: expose " + t.getText();
                }
                return null;
        }
    }

    /** For "expected X, found Y" inside a statement; null when there is nothing better to say. */
    static String mismatchHint(IntervalSet expected, Token found, Parser r, ParserRuleContext ctx) {
        int type = found.getType();
        String text = found.getText();
        Token before = previous(r, found);
        int prev = before == null ? Token.INVALID_TYPE : before.getType();
        if (type == CapParser.EQ && (Tokens.SERVICE_ATTRIBUTES.contains(prev) || prev == CapParser.RESOURCES)) {
            Token value = next(r, found);
            boolean shown = value != null && value.getType() != Token.EOF && value.getLine() == found.getLine();
            return "attributes take no '=': write " + before.getText() + (shown ? " " + value.getText() : " VALUE");
        }
        if (enclosing(ctx, CapParser.RULE_probeAction) != null) {
            if (expected.contains(CapParser.STRING) && prev == CapParser.HTTP) {
                return "write the path first: http \"/healthz\" port http";
            }
            if (expected.contains(CapParser.PORT)) {
                return "name one of the service's ports: " + before.getText() + " port http";
            }
        }
        if (expected.contains(CapParser.BY) && expected.size() == 1) {
            return "write: by " + text;
        }
        if (expected.contains(CapParser.EQ) && type == CapParser.COLON) {
            return "map entries are written KEY = \"value\"";
        }
        if (expected.contains(CapParser.LBRACK) && type == CapParser.STRING) {
            return "write a list: [" + text + "]";
        }
        if (expected.contains(CapParser.LBRACE) && (prev == CapParser.LABELS || prev == CapParser.ENV)) {
            return "write the entries in braces: " + before.getText() + " { key = \"value\" }";
        }
        if (expected.contains(CapParser.IDENT) && (type == CapParser.IN || type == CapParser.LBRACE)) {
            if (ctx.getParent() instanceof CapParser.ServiceDeclContext) {
                return "write: service NAME in NAMESPACE { ... }";
            }
            if (ctx.getParent() instanceof CapParser.NamespaceDeclContext) {
                return "write: namespace NAME { ... }";
            }
        }
        if (expected.contains(CapParser.IN)) {
            return "write: service NAME in NAMESPACE { ... }";
        }
        if (expected.contains(CapParser.COMMA) && type == CapParser.STRING) {
            return "separate list items with ','";
        }
        if (expected.contains(CapParser.IDENT) && (type == CapParser.NUMBER || type == CapParser.QUANTITY)) {
            if (enclosing(ctx, CapParser.RULE_map) != null) {
                return "quote keys that do not start with a letter: \"" + text + "\"";
            }
            return enclosing(ctx, CapParser.RULE_serviceAttribute) instanceof CapParser.PortAttributeContext
                    ? "ports have a name: port http " + text : "names start with a letter";
        }
        if (expected.contains(CapParser.STRING) && !expected.contains(CapParser.IDENT)
                && (Tokens.isWord(type) || type == CapParser.NUMBER || type == CapParser.QUANTITY)) {
            return "strings are quoted: \"" + text + "\"";
        }
        if ((expected.contains(CapParser.NUMBER) || expected.contains(CapParser.QUANTITY))
                && type == CapParser.STRING && text.length() > 2) {
            String inner = text.substring(1, text.length() - 1).trim();
            if (inner.matches("-?[0-9]+(\\.[0-9]+)?[a-zA-Z]*")) {
                return "numbers are written without quotes: " + inner;
            }
        }
        return null;
    }

    /** The default-channel token before {@code t}, or null. */
    static Token previous(Parser r, Token t) {
        TokenStream in = r.getInputStream();
        for (int i = Math.min(t.getTokenIndex(), in.size()) - 1; i >= 0; i--) {
            Token p = in.get(i);
            if (p.getChannel() == Token.DEFAULT_CHANNEL) {
                return p;
            }
        }
        return null;
    }

    private static Token next(Parser r, Token t) {
        TokenStream in = r.getInputStream();
        for (int i = t.getTokenIndex() + 1; i < in.size(); i++) {
            Token p = in.get(i);
            if (p.getChannel() == Token.DEFAULT_CHANNEL) {
                return p;
            }
        }
        return null;
    }

    static ParserRuleContext enclosing(ParserRuleContext ctx, int rule) {
        for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
            if (c.getRuleIndex() == rule) {
                return c;
            }
        }
        return null;
    }
}
