package dev.capstan.dsl.internal;

import dev.capstan.dsl.CapCompiler.Limits;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.ast.CapFile;
import dev.capstan.dsl.policy.PolicySet;
import dev.capstan.model.KubeObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import dev.capstan.dsl.CapParser;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One run of the compiler: parse every file, analyze them together, lower when there is no error. */
public final class Compilation {
    private Compilation() {
    }

    /** See {@link dev.capstan.dsl.DslCompiler#compile} for the contract. */
    public static CompileResult run(List<SourceFile> files, Limits limits, int nodePortFirst, int nodePortLast) {
        List<SourceFile> input = files == null ? List.of()
                : files.stream().filter(Objects::nonNull).toList();
        Reporter reporter = new Reporter(limits.maxErrorsPerFile());
        List<CapFile> asts = new ArrayList<>();
        boolean allRead = true;
        Map<SourceFile, CapParser.FileContext> trees = new LinkedHashMap<>();
        Map<SourceFile, Boolean> clean = new HashMap<>();
        Set<String> paths = new HashSet<>();
        SourceParser.Parsed[] parsed = new SourceParser.Parsed[input.size()];
        each(input, i -> {
            SourceFile f = input.get(i);
            try {
                parsed[i] = SourceParser.parse(f, limits, reporter);
            } catch (RuntimeException | StackOverflowError e) {
                internalError(reporter, f.path(), e);
            }
        });
        for (int i = 0; i < parsed.length; i++) {
            SourceFile f = input.get(i);
            paths.add(f.path());
            if (parsed[i] != null) {
                trees.put(f, parsed[i].tree());
                clean.put(f, parsed[i].clean());
            } else {
                allRead = false;
            }
        }
        Constants constants = new Constants(reporter);
        try {
            for (Map.Entry<SourceFile, CapParser.FileContext> e : trees.entrySet()) {
                boolean whole = clean.get(e.getKey());
                constants.declare(e.getKey().path(), e.getValue(), !whole && Constants.topLevelDamaged(e.getValue()));
            }
            new Imports(reporter, constants, paths).resolve();
            constants.computeAll();
        } catch (RuntimeException | StackOverflowError e) {
            internalError(reporter, input.isEmpty() ? "<input>" : input.get(0).path(), e);
            return new CompileResult(List.of(), sorted(reporter.diagnostics(), input));
        }
        List<SourceFile> read = new ArrayList<>(trees.keySet());
        CapFile[] built = new CapFile[read.size()];
        each(read, i -> {
            SourceFile f = read.get(i);
            try {
                built[i] = new AstBuilder(f.path(), reporter, constants.files.get(f.path()), clean.get(f))
                        .file(trees.get(f));
            } catch (RuntimeException | StackOverflowError x) {
                internalError(reporter, f.path(), x);
            }
        });
        for (CapFile ast : built) {
            if (ast != null) {
                asts.add(ast);
            } else {
                allRead = false;
            }
        }
        List<KubeObject> objects = List.of();
        PolicySet policies = PolicySet.EMPTY;
        try {
            Program program = new Analyzer(reporter, limits.maxDeclarations(), nodePortFirst, nodePortLast).analyze(asts, allRead);
            if (allRead) {
                constants.reportUnused();
            }
            policies = new PolicyChecker(reporter, limits).check(asts);
            if (!reporter.hasErrors()) {
                objects = Lowering.lower(program);
            } else {
                policies = PolicySet.EMPTY;
            }
        } catch (RuntimeException | StackOverflowError e) {
            internalError(reporter, input.isEmpty() ? "<input>" : input.get(0).path(), e);
            objects = List.of();
            policies = PolicySet.EMPTY;
        }
        return new CompileResult(objects, sorted(reporter.diagnostics(), input), policies);
    }

    /** Characters of source above which files are parsed and built on all cores. */
    private static final long PARALLEL_CHARS = 256 * 1024;

    /**
     * Runs {@code work} for each index of {@code files}: in parallel (common fork-join pool) when there is enough
     * text to pay for it, else in order. Each file is one task; {@link Reporter} is synchronized.
     */
    private static void each(List<SourceFile> files, java.util.function.IntConsumer work) {
        long chars = 0;
        for (SourceFile f : files) {
            chars += f.text().length();
        }
        java.util.stream.IntStream indexes = java.util.stream.IntStream.range(0, files.size());
        if (files.size() > 1 && chars > PARALLEL_CHARS) {
            indexes = indexes.parallel();
        }
        indexes.forEach(work);
    }

    private static void internalError(Reporter reporter, String path, Throwable e) {
        reporter.report(ErrorCode.E099, path, 1, 1, "internal compiler error: " + e,
                "this is a bug in capstan; please report it with the file");
    }

    /** By file in input order, then line, then column; equal positions keep the order reported. */
    private static List<Diagnostic> sorted(List<Diagnostic> diagnostics, List<SourceFile> files) {
        Map<String, Integer> order = new HashMap<>();
        for (SourceFile f : files) {
            order.putIfAbsent(f.path(), order.size());
        }
        List<Diagnostic> out = new ArrayList<>(diagnostics);
        out.sort(Comparator.comparingInt((Diagnostic d) -> order.getOrDefault(d.path(), Integer.MAX_VALUE))
                .thenComparingInt(Diagnostic::line)
                .thenComparingInt(Diagnostic::column));
        return out;
    }
}
