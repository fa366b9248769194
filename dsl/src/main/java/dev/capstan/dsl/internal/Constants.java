package dev.capstan.dsl.internal;

import dev.capstan.dsl.CapParser;
import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.Location;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * {@code const} and {@code import} over all files of one compilation. A constant belongs to its file; another
 * file sees it only by importing that file ({@link Imports}). Values are computed once, lazily, with cycles
 * reported at every constant of the cycle (E041). Uses are checked by {@link Scope}: unknown names (E040, with
 * the nearest name or the file to import), values of the wrong kind (E042). One instance per compilation.
 */
final class Constants {
    /** What a constant holds: a scalar (a string, or a number, quantity or percentage as written), a list, a map. */
    sealed interface Value permits Scalar, Items, Pairs {
    }

    /** {@code string} is false for numbers, quantities and percentages, whose {@code text} is as written. */
    record Scalar(String text, boolean string) implements Value {
    }

    record Items(List<String> items) implements Value {
    }

    record Pairs(List<Map.Entry<String, String>> entries) implements Value {
    }

    /** A declared constant. */
    static final class Def {
        final String name;
        final Location at;
        final CapParser.ConstValueContext value;
        final Scope home;
        Value computed;
        boolean done;
        boolean used;

        Def(String name, Location at, CapParser.ConstValueContext value, Scope home) {
            this.name = name;
            this.at = at;
            this.value = value;
            this.home = home;
        }
    }

    /** Thrown where a constant cannot give a value; the reason is reported already (or follows an earlier error). */
    static final class Unresolved extends RuntimeException {
        Unresolved() {
            super(null, null, false, false);
        }
    }

    private final Reporter reporter;
    final Map<String, Scope> files = new LinkedHashMap<>();

    Constants(Reporter reporter) {
        this.reporter = reporter;
    }

    /** Registers a file's constants (duplicates: E006); {@code partial} when its top level did not parse whole. */
    Scope declare(String path, CapParser.FileContext tree, boolean partial) {
        Scope scope = new Scope(path, tree, partial);
        files.put(path, scope);
        for (CapParser.DeclarationContext d : tree.declaration()) {
            CapParser.ConstDeclContext c = d.constDecl();
            if (c == null || c.name == null || c.constValue() == null || AstBuilder.isDamaged(c)) {
                continue;
            }
            Def def = new Def(c.name.getText(), at(path, c.name), c.constValue(), scope);
            Def first = scope.own.putIfAbsent(def.name, def);
            if (first != null) {
                reporter.report(ErrorCode.E006, def.at, "constant '" + def.name + "' is already declared at "
                        + first.at, "declare each constant once in a file");
            } else {
                scope.visible.put(def.name, def);
            }
        }
        return scope;
    }

    /** Computes every constant, so that cycles and mistakes in unused constants are reported too. */
    void computeAll() {
        for (Scope s : files.values()) {
            for (Def d : s.own.values()) {
                compute(d, new ArrayDeque<>());
            }
        }
    }

    /** W040 for constants nothing uses; only when every file was read whole and nothing else is wrong. */
    void reportUnused() {
        if (reporter.hasErrors()) {
            return;
        }
        for (Scope s : files.values()) {
            if (s.partial) {
                return;
            }
        }
        for (Scope s : files.values()) {
            for (Def d : s.own.values()) {
                if (!d.used) {
                    reporter.report(ErrorCode.W040, d.at, "constant '" + d.name + "' is not used",
                            "use it, or remove it");
                }
            }
        }
    }

    private Value compute(Def d, Deque<Def> stack) {
        if (d.done) {
            return d.computed;
        }
        if (stack.contains(d)) {
            List<Def> cycle = new ArrayList<>();
            boolean in = false;
            for (java.util.Iterator<Def> it = stack.descendingIterator(); it.hasNext(); ) {
                Def c = it.next();
                in |= c == d;
                if (in) {
                    cycle.add(c);
                }
            }
            List<String> names = new ArrayList<>();
            cycle.forEach(c -> names.add(c.name));
            names.add(d.name);
            for (Def c : cycle) {
                reporter.report(ErrorCode.E041, c.at, "constant cycle: " + String.join(" -> ", names),
                        "a constant cannot be defined through itself; give one of them a value");
                c.done = true;
                c.computed = null;
            }
            return null;
        }
        stack.push(d);
        Value v;
        try {
            v = value(d.value, d.home, stack);
        } catch (Unresolved e) {
            v = null;
        }
        stack.pop();
        if (!d.done) {
            d.done = true;
            d.computed = v;
        }
        return d.computed;
    }

    private Value value(CapParser.ConstValueContext ctx, Scope home, Deque<Def> stack) {
        if (ctx.value != null) {
            Token t = ctx.value;
            return switch (t.getType()) {
                case CapParser.STRING -> new Scalar(unquote(home.path, t), true);
                case CapParser.CONST_NAME -> home.lookup(t, stack);
                default -> new Scalar(t.getText(), false);
            };
        }
        if (ctx.stringList() != null) {
            return new Items(home.list(ctx.stringList(), stack));
        }
        return new Pairs(home.map(ctx.map(), stack));
    }

    String unquote(String path, Token t) {
        Location start = at(path, t);
        return Strings.unquote(t.getText(), (offset, escape) -> reporter.report(ErrorCode.E015, path,
                start.line(), start.column() + offset, "unknown escape '" + escape + "' in a string", Strings.ESCAPES));
    }

    static Location at(String path, Token t) {
        return new Location(path, t.getLine(), t.getCharPositionInLine() + 1);
    }

    /** One file's view of the constants: its own and those it imports. */
    final class Scope {
        final String path;
        final CapParser.FileContext tree;
        final Map<String, Def> own = new LinkedHashMap<>();
        final Map<String, Def> visible = new HashMap<>();
        /** The paths of the files this file imports. */
        final java.util.Set<String> imports = new java.util.HashSet<>();
        /** True when a name may be missing (a syntax error, an import that could not be read): no E040. */
        boolean partial;

        Scope(String path, CapParser.FileContext tree, boolean partial) {
            this.path = path;
            this.tree = tree;
            this.partial = partial;
        }

        /** The constant named by {@code ref}; reports E040 and throws when there is none. */
        Value lookup(Token ref, Deque<Def> stack) {
            String name = ref.getText();
            Def d = visible.get(name);
            if (d == null) {
                if (!partial) {
                    reporter.report(ErrorCode.E040, at(path, ref), "unknown constant '" + name + "'", hint(name));
                }
                throw new Unresolved();
            }
            d.used = true;
            Value v = compute(d, stack);
            if (v == null) {
                throw new Unresolved();
            }
            return v;
        }

        private String hint(String name) {
            var near = Suggest.closest(name, visible.keySet());
            if (near.isPresent()) {
                return "did you mean '" + near.get() + "'?";
            }
            for (Scope other : files.values()) {
                if (other != this && other.own.containsKey(name) && imports.contains(other.path)) {
                    return "add it to the names imported from " + other.path + ": import \"" + Imports.relative(path,
                            other.path) + "\" (..., " + name + ")";
                }
                if (other != this && other.own.containsKey(name)) {
                    return "'" + name + "' is declared in " + other.path + ": import \"" + Imports.relative(path,
                            other.path) + "\"";
                }
            }
            return "declare it: const " + name + " = \"...\"; a string is written in double quotes";
        }

        /** The scalar a constant used as a string holds (a number's text is a string too). */
        String string(Token ref) {
            Value v = lookup(ref, new ArrayDeque<>());
            if (v instanceof Scalar s) {
                return s.text();
            }
            throw wrongKind(ref, v, "a string");
        }

        /** The text of a number, quantity or percentage constant. */
        String number(Token ref) {
            Value v = lookup(ref, new ArrayDeque<>());
            if (v instanceof Scalar s && !s.string()) {
                return s.text();
            }
            throw wrongKind(ref, v, "a number");
        }

        List<String> list(Token ref) {
            Value v = lookup(ref, new ArrayDeque<>());
            if (v instanceof Items i) {
                return i.items();
            }
            throw wrongKind(ref, v, "a list");
        }

        List<Map.Entry<String, String>> map(Token ref) {
            Value v = lookup(ref, new ArrayDeque<>());
            if (v instanceof Pairs p) {
                return p.entries();
            }
            throw wrongKind(ref, v, "a map");
        }

        /** A list item: a list constant adds all its items, a scalar one item. */
        List<String> items(Token ref, Deque<Def> stack) {
            Value v = lookup(ref, stack);
            if (v instanceof Items i) {
                return i.items();
            }
            if (v instanceof Scalar s) {
                return List.of(s.text());
            }
            throw wrongKind(ref, v, "a string or a list");
        }

        private Unresolved wrongKind(Token ref, Value v, String wanted) {
            Def d = visible.get(ref.getText());
            String kind = v instanceof Items ? "a list" : v instanceof Pairs ? "a map"
                    : ((Scalar) v).string() ? "a string" : "a number";
            reporter.report(ErrorCode.E042, at(path, ref), "constant '" + ref.getText() + "' is " + kind + ", but "
                    + wanted + " goes here", ref.getText() + " is declared at " + d.at);
            return new Unresolved();
        }

        /** The strings of a list literal or list constant, inside a constant being computed. */
        List<String> list(CapParser.StringListContext ctx, Deque<Def> stack) {
            if (ctx.LBRACK() == null) {
                Value v = lookup(ctx.CONST_NAME(), stack);
                if (v instanceof Items i) {
                    return i.items();
                }
                throw wrongKind(ctx.CONST_NAME().getSymbol(), v, "a list");
            }
            List<String> out = new ArrayList<>();
            for (CapParser.ItemContext item : ctx.item()) {
                Token t = item.getStart();
                if (t.getType() == CapParser.STRING) {
                    out.add(unquote(path, t));
                } else {
                    out.addAll(items(t, stack));
                }
            }
            return out;
        }

        List<Map.Entry<String, String>> map(CapParser.MapContext ctx, Deque<Def> stack) {
            List<Map.Entry<String, String>> out = new ArrayList<>();
            for (CapParser.MapEntryContext e : ctx.mapEntry()) {
                if (e.spread != null) {
                    Value v = lookup(e.spread, stack);
                    if (!(v instanceof Pairs p)) {
                        throw wrongKind(e.spread, v, "a map");
                    }
                    out.addAll(p.entries());
                    continue;
                }
                Token key = e.key.getStart();
                String k = key.getType() == CapParser.STRING ? unquote(path, key) : key.getText();
                String value;
                if (e.value.getType() == CapParser.STRING) {
                    value = unquote(path, e.value);
                } else {
                    Value v = lookup(e.value, stack);
                    if (!(v instanceof Scalar s)) {
                        throw wrongKind(e.value, v, "a string");
                    }
                    value = s.text();
                }
                out.add(Map.entry(k, value));
            }
            return out;
        }

        private Value lookup(TerminalNode ref, Deque<Def> stack) {
            return lookup(ref.getSymbol(), stack);
        }
    }

    /** True when the parser recovered somewhere in the file's top level or in a const or import declaration. */
    static boolean topLevelDamaged(CapParser.FileContext tree) {
        if (tree.exception != null) {
            return true;
        }
        for (int i = 0; i < tree.getChildCount(); i++) {
            ParseTree c = tree.getChild(i);
            if (c instanceof org.antlr.v4.runtime.tree.ErrorNode) {
                return true;
            }
            if (c instanceof CapParser.DeclarationContext d) {
                if (d.getChildCount() == 0 || ((d.constDecl() != null || d.importDecl() != null)
                        && AstBuilder.isDamaged(d))) {
                    return true;
                }
            }
        }
        return false;
    }
}
