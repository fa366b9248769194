package dev.capstan.dsl.format;

import dev.capstan.dsl.CapLexer;
import dev.capstan.dsl.CapParser;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;

/** Lays out one well-formed parse tree as {@link Line}s, then aligns and prints them. One use per instance. */
final class Printer {
    private static final String INDENT = "  ";

    private final CommonTokenStream tokens;
    private final BitSet emitted = new BitSet();
    private final List<Line> lines = new ArrayList<>();
    private int blocks;

    /**
     * One output line. {@code key} and {@code rest} are joined by one space, or, when {@code align} is set,
     * with {@code key} padded to the widest aligned key of its run (lines of one block between blank lines).
     */
    private static final class Line {
        final int indent;
        final int block;
        final String key;
        final String rest;
        final String comment;
        final boolean align;
        int width;

        Line(int indent, int block, String key, String rest, String comment, boolean align) {
            this.indent = indent;
            this.block = block;
            this.key = key;
            this.rest = rest;
            this.comment = comment;
            this.align = align;
        }

        boolean blank() {
            return key == null;
        }
    }

    Printer(CommonTokenStream tokens) {
        this.tokens = tokens;
    }

    String file(CapParser.FileContext tree) {
        int block = blocks++;
        boolean first = true;
        int previous = -1;
        for (CapParser.DeclarationContext d : tree.declaration()) {
            ParserRuleContext decl = (ParserRuleContext) d.getChild(0);
            int kind = decl.getRuleIndex();
            boolean oneLiner = decl instanceof CapParser.ConstDeclContext || decl instanceof CapParser.ImportDeclContext;
            if (!first && !(oneLiner && kind == previous && !blankBefore(d.getStart()))) {
                blank(block);
            }
            previous = oneLiner ? kind : -1;
            leading(d.getStart(), 0, block, first);
            if (oneLiner) {
                oneLine(decl, block);
                first = false;
                continue;
            }
            ParserRuleContext body = (ParserRuleContext) decl.getChild(decl.getChildCount() - 1);
            List<ParserRuleContext> attributes = new ArrayList<>();
            for (int i = 1; i < body.getChildCount() - 1; i++) {
                attributes.add((ParserRuleContext) body.getChild(i));
            }
            int before = lines.size();
            block(decl.getStart(), body, attributes, 0, block, false, this::attribute);
            if (lines.size() == before) {
                lines.add(new Line(0, block, text(decl.getStart(), decl.getStop()), "",
                        trailing(decl.getStart(), decl.getStop()), false));
            }
            first = false;
        }
        Token eof = tree.getStop() != null && tree.getStop().getType() == Token.EOF ? tree.getStop()
                : tokens.get(tokens.size() - 1);
        leading(eof, 0, block, first);
        return print();
    }

    /** {@code const NAME = value} (names padded so that consecutive values line up) or {@code import "path"}. */
    private void oneLine(ParserRuleContext decl, int block) {
        if (decl instanceof CapParser.ConstDeclContext c) {
            CapParser.MapContext map = c.constValue().map();
            if (map != null) {
                int before = lines.size();
                block(c.getStart(), map, new ArrayList<>(map.mapEntry()), 0, block, true, this::mapEntry);
                if (lines.size() > before) {
                    return;
                }
            }
            lines.add(new Line(0, block, text(c.getStart(), c.name), text(c.EQ().getSymbol(), c.getStop()),
                    trailing(c.getStart(), c.getStop()), true));
            return;
        }
        lines.add(new Line(0, block, text(decl.getStart(), decl.getStop()), "", trailing(decl.getStart(),
                decl.getStop()), false));
    }

    /** Writes one element (an attribute or a block entry) of {@code block} at {@code indent}. */
    private interface Element {
        void write(ParserRuleContext ctx, int indent, int block);
    }

    /**
     * Writes {@code head ... {} entries {}}: on one line when {@code inline} allows and there are at most one
     * entry and no comment inside, else one entry per line.
     */
    private void block(Token headStart, ParserRuleContext braces, List<ParserRuleContext> entries, int indent,
                       int block, boolean inline, Element element) {
        Token open = braces.getStart();
        Token close = braces.getStop();
        boolean oneLine = entries.isEmpty() || inline && entries.size() == 1;
        if (oneLine && !hasComment(open, close)) {
            return;
        }
        String head = text(headStart, open);
        lines.add(new Line(indent, block, head, "", trailing(headStart, open), false));
        int inner = blocks++;
        boolean first = true;
        for (ParserRuleContext e : entries) {
            leading(e.getStart(), indent + 1, inner, first);
            element.write(e, indent + 1, inner);
            first = false;
        }
        leading(close, indent + 1, inner, entries.isEmpty());
        lines.add(new Line(indent, block, "}", "", trailing(close, close), false));
    }

    private void attribute(ParserRuleContext a, int indent, int block) {
        ParserRuleContext braces = null;
        List<ParserRuleContext> entries = new ArrayList<>();
        Element element = null;
        ParseTree last = a.getChild(a.getChildCount() - 1);
        if (last instanceof CapParser.MapContext m) {
            braces = m;
            entries.addAll(m.mapEntry());
            element = this::mapEntry;
        } else if (last instanceof CapParser.ResourcesContext r) {
            braces = r;
            entries.addAll(r.resource());
            element = this::pair;
        } else if (last instanceof CapParser.UpdateSettingsContext u) {
            braces = u;
            entries.addAll(u.updateSetting());
            element = this::pair;
        } else if (last instanceof CapParser.SelectorContext s) {
            braces = s;
            entries.addAll(s.requirement());
            element = this::plain;
        }
        int before = lines.size();
        if (braces != null) {
            block(a.getStart(), braces, entries, indent, block, true, element);
        }
        if (lines.size() == before) {
            Token keyword = a.getStart();
            String rest = a.getStop() == keyword ? "" : text(next(keyword), a.getStop());
            lines.add(new Line(indent, block, keyword.getText(), rest, trailing(keyword, a.getStop()),
                    keyword.getType() != CapLexer.PORT));
        }
    }

    private void mapEntry(ParserRuleContext e, int indent, int block) {
        CapParser.MapEntryContext m = (CapParser.MapEntryContext) e;
        if (m.spread != null) {
            plain(e, indent, block);
            return;
        }
        lines.add(new Line(indent, block, text(m.key.getStart(), m.key.getStop()), "= " + (m.value != null ? m.value.getText() : m.ref.getText()),
                trailing(m.getStart(), m.getStop()), true));
    }

    private void pair(ParserRuleContext e, int indent, int block) {
        Token key = e.getStart();
        lines.add(new Line(indent, block, key.getText(), text(next(key), e.getStop()), trailing(key, e.getStop()),
                true));
    }

    private void plain(ParserRuleContext e, int indent, int block) {
        lines.add(new Line(indent, block, text(e.getStart(), e.getStop()), "", trailing(e.getStart(), e.getStop()),
                false));
    }

    /** Comments before {@code t} not yet written, each on its own line, with the source's blank lines (at most one). */
    private void leading(Token t, int indent, int block, boolean atStart) {
        List<Token> hidden = tokens.getHiddenTokensToLeft(t.getTokenIndex());
        boolean start = atStart;
        for (Token c : hidden == null ? List.<Token>of() : hidden) {
            if (emitted.get(c.getTokenIndex())) {
                continue;
            }
            emitted.set(c.getTokenIndex());
            if (!start && blankBefore(c)) {
                blank(block);
            }
            lines.add(new Line(indent, block, c.getText().stripTrailing(), "", null, false));
            start = false;
        }
        if (!start && t.getType() != Token.EOF && t.getType() != CapLexer.RBRACE && blankBefore(t)) {
            blank(block);
        }
    }

    /** Comments inside {@code (from, to)} and after {@code to} on its line, not yet written, joined; or null. */
    private String trailing(Token from, Token to) {
        List<String> found = new ArrayList<>();
        for (int i = from.getTokenIndex() + 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (i > to.getTokenIndex() && (t.getChannel() == Token.DEFAULT_CHANNEL || t.getLine() != to.getLine())) {
                break;
            }
            if (t.getType() == CapLexer.COMMENT && !emitted.get(i)) {
                emitted.set(i);
                found.add(t.getText().stripTrailing());
            }
        }
        return found.isEmpty() ? null : String.join(" ", found);
    }

    private boolean hasComment(Token from, Token to) {
        for (int i = from.getTokenIndex() + 1; i < to.getTokenIndex(); i++) {
            if (tokens.get(i).getType() == CapLexer.COMMENT) {
                return true;
            }
        }
        return false;
    }

    /** True when a blank line separates {@code t} from the token before it (tokens never span lines). */
    private boolean blankBefore(Token t) {
        int i = t.getTokenIndex() - 1;
        return i >= 0 && t.getLine() - tokens.get(i).getLine() >= 2;
    }

    private void blank(int block) {
        if (!lines.isEmpty() && !lines.get(lines.size() - 1).blank()) {
            lines.add(new Line(0, block, null, null, null, false));
        }
    }

    private Token next(Token t) {
        for (int i = t.getTokenIndex() + 1; i < tokens.size(); i++) {
            if (tokens.get(i).getChannel() == Token.DEFAULT_CHANNEL) {
                return tokens.get(i);
            }
        }
        return t;
    }

    /** The default-channel tokens from {@code a} to {@code b} on one line, spaced canonically. */
    private String text(Token a, Token b) {
        StringBuilder sb = new StringBuilder();
        Token prev = null;
        for (int i = a.getTokenIndex(); i <= b.getTokenIndex(); i++) {
            Token t = tokens.get(i);
            if (t.getChannel() != Token.DEFAULT_CHANNEL || t.getType() == Token.EOF) {
                continue;
            }
            int type = t.getType();
            if (type == CapLexer.COMMA) {
                int after = next(t).getType();
                if (after == CapLexer.RBRACK || after == CapLexer.RPAREN) {
                    continue;
                }
            }
            if (prev != null && space(prev.getType(), type)) {
                sb.append(' ');
            }
            sb.append(t.getText());
            prev = t;
        }
        return sb.toString();
    }

    private static boolean space(int before, int type) {
        return before != CapLexer.LBRACK && before != CapLexer.LPAREN && before != CapLexer.BANG
                && before != CapLexer.ELLIPSIS
                && type != CapLexer.COMMA && type != CapLexer.RBRACK && type != CapLexer.RPAREN
                && before != CapLexer.DOT && type != CapLexer.DOT
                && !(before == CapLexer.SERVICE && type == CapLexer.LPAREN); // service("api").url
    }

    private String print() {
        for (int b = 0; b < blocks; b++) {
            List<Line> run = new ArrayList<>();
            for (Line l : lines) {
                if (l.block != b) {
                    continue;
                }
                if (l.blank()) {
                    align(run);
                    run.clear();
                } else {
                    run.add(l);
                }
            }
            align(run);
        }
        StringBuilder out = new StringBuilder();
        for (Line l : lines) {
            if (l.blank()) {
                out.append('\n');
                continue;
            }
            out.append(INDENT.repeat(l.indent)).append(l.key);
            if (!l.rest.isEmpty()) {
                out.append(" ".repeat(l.align ? Math.max(1, l.width - width(l.key) + 1) : 1)).append(l.rest);
            }
            if (l.comment != null) {
                out.append("  ").append(l.comment);
            }
            out.append('\n');
        }
        while (out.length() > 1 && out.charAt(out.length() - 1) == '\n' && out.charAt(out.length() - 2) == '\n') {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }

    private static void align(List<Line> run) {
        int width = 0;
        for (Line l : run) {
            if (l.align && !l.rest.isEmpty()) {
                width = Math.max(width, width(l.key));
            }
        }
        for (Line l : run) {
            l.width = width;
        }
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
