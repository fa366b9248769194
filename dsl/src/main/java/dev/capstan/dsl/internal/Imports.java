package dev.capstan.dsl.internal;

import dev.capstan.dsl.CapParser;
import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.Location;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code import "path" [(NAME, ...)]}: paths are relative to the importing file, never leave the directory
 * compiled (its files' paths have no leading {@code ..}), and name a file compiled together (E043). An import
 * makes the imported file's own constants visible (all, or those listed; a listed name the file does not declare
 * as a constant or template is E045); it does not pass on what that file imports. Files importing each other in
 * a circle are E044 at every import of the circle. Templates, namespaces and services need no import: they are
 * visible in every file compiled together.
 */
final class Imports {
    private final Reporter reporter;
    private final Constants constants;
    private final Set<String> allPaths;

    /** One import statement whose file was found. */
    private record Edge(Location at, Constants.Scope from, Constants.Scope to) {
    }

    private final Map<Constants.Scope, List<Edge>> edges = new LinkedHashMap<>();

    /** @param allPaths every input path, including files that could not be parsed */
    Imports(Reporter reporter, Constants constants, Set<String> allPaths) {
        this.reporter = reporter;
        this.constants = constants;
        this.allPaths = allPaths;
    }

    /** Resolves every file's imports and fills the scopes; then reports cycles. */
    void resolve() {
        for (Constants.Scope s : constants.files.values()) {
            edges.put(s, new ArrayList<>());
        }
        for (Constants.Scope s : constants.files.values()) {
            Map<String, Location> seen = new HashMap<>();
            for (CapParser.DeclarationContext d : s.tree.declaration()) {
                CapParser.ImportDeclContext i = d.importDecl();
                if (i != null && i.path != null && !AstBuilder.isDamaged(i)) {
                    importOne(s, i, seen);
                }
            }
        }
        cycles();
    }

    private void importOne(Constants.Scope s, CapParser.ImportDeclContext i, Map<String, Location> seen) {
        Location at = Constants.at(s.path, i.path);
        String raw = constants.unquote(s.path, i.path);
        if (raw.startsWith("/") || raw.matches("^[A-Za-z]:.*")) {
            reporter.report(ErrorCode.E043, at, "import paths are relative to the importing file, got '" + raw + "'",
                    "write the path from " + directory(s.path).replaceFirst("^$", "this file's directory")
                            + ", like \"common/base.cap\"");
            s.partial = true;
            return;
        }
        String target = resolve(s.path, raw);
        if (target == null) {
            reporter.report(ErrorCode.E043, at, "import '" + raw + "' leaves the directory being compiled",
                    "a file imports files under the directory given to capstan; compile the repository's root");
            s.partial = true;
            return;
        }
        if (target.equals(s.path)) {
            reporter.report(ErrorCode.E044, at, "a file cannot import itself", "remove this import");
            return;
        }
        Constants.Scope to = constants.files.get(target);
        if (to == null) {
            s.partial = true;
            if (!allPaths.contains(target)) {
                String hint = Suggest.closest(target, allPaths).map(p -> "did you mean \"" + relative(s.path, p) + "\"?")
                        .orElse("the path is relative to " + (directory(s.path).isEmpty() ? "the importing file"
                                : directory(s.path)) + " and names a .cap file compiled together");
                reporter.report(ErrorCode.E043, at, "no file '" + target + "' to import", hint);
            }
            return;
        }
        Location earlier = seen.putIfAbsent(target, at);
        if (earlier != null) {
            reporter.report(ErrorCode.E043, at, "'" + raw + "' is already imported at line " + earlier.line(),
                    "import each file once; list all the names you need in one import");
            return;
        }
        edges.get(s).add(new Edge(at, s, to));
        s.partial |= to.partial; // a constant the parser could not read may be the one used
        s.imports.add(to.path);
        if (i.importName().isEmpty()) {
            for (Constants.Def d : to.own.values()) {
                see(s, d, at, to);
            }
            return;
        }
        for (CapParser.ImportNameContext n : i.importName()) {
            String name = n.getText();
            Location nameAt = Constants.at(s.path, n.getStart());
            Constants.Def d = to.own.get(name);
            if (d != null) {
                see(s, d, nameAt, to);
            } else if (!templates(to).contains(name) && !to.partial) {
                List<String> known = new ArrayList<>(to.own.keySet());
                known.addAll(templates(to));
                reporter.report(ErrorCode.E045, nameAt, to.path + " declares no constant or template '" + name + "'",
                        Suggest.closest(name, known).map(m -> "did you mean '" + m + "'?")
                                .orElse(known.isEmpty() ? to.path + " declares nothing to import"
                                        : "it declares " + String.join(", ", known)));
            } else if (to.partial) {
                s.partial = true;
            }
        }
    }

    private void see(Constants.Scope s, Constants.Def d, Location at, Constants.Scope from) {
        Constants.Def mine = s.own.get(d.name);
        if (mine != null) {
            reporter.report(ErrorCode.E006, mine.at, "constant '" + d.name + "' is also imported from " + from.path
                    + " (line " + at.line() + ")", "rename one, or import only the names you need: import \""
                    + relative(s.path, from.path) + "\" (NAME, ...)");
            return;
        }
        Constants.Def other = s.visible.putIfAbsent(d.name, d);
        if (other != null && other != d) {
            reporter.report(ErrorCode.E006, at, "constant '" + d.name + "' is imported from both "
                    + other.home.path + " and " + from.path, "import only the names you need: import \""
                    + relative(s.path, from.path) + "\" (NAME, ...)");
        }
    }

    private static Set<String> templates(Constants.Scope s) {
        Set<String> out = new HashSet<>();
        for (CapParser.DeclarationContext d : s.tree.declaration()) {
            if (d.templateDecl() != null && d.templateDecl().name != null) {
                out.add(d.templateDecl().name.getText());
            }
        }
        return out;
    }

    /** E044 at every import of each circle of files. */
    private void cycles() {
        Map<Constants.Scope, Integer> state = new HashMap<>(); // 1 visiting, 2 done
        Set<Edge> reported = new HashSet<>();
        for (Constants.Scope s : edges.keySet()) {
            visit(s, state, new ArrayList<>(), reported);
        }
    }

    private void visit(Constants.Scope s, Map<Constants.Scope, Integer> state, List<Edge> path, Set<Edge> reported) {
        Integer st = state.get(s);
        if (st != null && st == 2) {
            return;
        }
        state.put(s, 1);
        for (Edge e : edges.get(s)) {
            Integer to = state.get(e.to());
            if (to != null && to == 1) {
                List<Edge> cycle = new ArrayList<>();
                for (int i = path.size() - 1; i >= 0; i--) {
                    cycle.add(0, path.get(i));
                    if (path.get(i).from() == e.to()) {
                        break;
                    }
                }
                cycle.add(e);
                List<String> names = new ArrayList<>();
                for (Edge c : cycle) {
                    names.add(c.from().path);
                }
                names.add(e.to().path);
                for (Edge c : cycle) {
                    if (reported.add(c)) {
                        reporter.report(ErrorCode.E044, c.at(), "import cycle: " + String.join(" imports ", names),
                                "move what both files need into a third file that both import");
                    }
                }
            } else if (to == null) {
                path.add(e);
                visit(e.to(), state, path, reported);
                path.remove(path.size() - 1);
            }
        }
        state.put(s, 2);
    }

    /** The directory part of a display path, with a trailing '/', or "" at the top. */
    static String directory(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash + 1);
    }

    /**
     * The path {@code raw} names from the file {@code from}, "." and ".." resolved; null when it climbs above the
     * directory compiled (more leading ".." than {@code from} has itself).
     */
    static String resolve(String from, String raw) {
        String combined = directory(from) + raw;
        boolean absolute = combined.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String p : combined.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..") && !parts.isEmpty() && !parts.get(parts.size() - 1).equals("..")) {
                parts.remove(parts.size() - 1);
            } else if (p.equals("..") && absolute) {
                return null;
            } else {
                parts.add(p);
            }
        }
        String out = (absolute ? "/" : "") + String.join("/", parts);
        return ups(out) > ups(from) ? null : out;
    }

    private static int ups(String path) {
        int n = 0;
        while (path.startsWith("../", n * 3)) {
            n++;
        }
        return n;
    }

    /** How {@code from} names {@code to} in an import. */
    static String relative(String from, String to) {
        String[] a = directory(from).split("/");
        String[] b = to.split("/");
        int common = 0;
        int dirs = directory(from).isEmpty() ? 0 : a.length;
        while (common < dirs && common < b.length - 1 && a[common].equals(b[common])) {
            common++;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = common; i < dirs; i++) {
            sb.append("../");
        }
        for (int i = common; i < b.length; i++) {
            sb.append(b[i]);
            if (i < b.length - 1) {
                sb.append('/');
            }
        }
        return sb.toString();
    }
}
