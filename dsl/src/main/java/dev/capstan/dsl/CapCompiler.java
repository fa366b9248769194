package dev.capstan.dsl;

import dev.capstan.dsl.internal.Compilation;
import java.util.List;
import java.util.Objects;

/**
 * The {@link DslCompiler}: parse (ANTLR, {@code Cap.g4}), build the AST, analyze, lower to the model.
 * Immutable and thread-safe; one instance can serve everyone.
 *
 * <p>One {@code service} block becomes a Deployment (labelled {@code app: NAME} and
 * {@code app.kubernetes.io/managed-by: capstan}, annotated {@code capstan.dev/source: path:line},
 * rolling update 25%/25%, one container named after the service, requests = limits) and, when it declares
 * ports, a ClusterIP Service selecting {@code app: NAME} whose ports target the container ports by name.
 * A {@code namespace} block becomes a Namespace.
 */
public final class CapCompiler implements DslCompiler {

    /**
     * Bounds on what one compilation will take on; going past one is an {@link ErrorCode#E090} error,
     * never a crash.
     *
     * @param maxFileChars     characters per file
     * @param maxTokensPerFile tokens per file, comments excluded
     * @param maxNesting       depth of '{' and '[' nesting
     * @param maxDeclarations  namespace and service blocks over all files
     * @param maxErrorsPerFile errors reported per file before the rest of that file is skipped
     */
    public record Limits(int maxFileChars, int maxTokensPerFile, int maxNesting, int maxDeclarations,
                         int maxErrorsPerFile) {
        /** 4 Mi characters, 1,000,000 tokens, nesting 32, 10,000 declarations, 100 errors per file. */
        public static final Limits DEFAULT = new Limits(4 << 20, 1_000_000, 32, 100_000, 100);
    }

    /** Kubernetes' default node port range, what a written {@code node-port} is checked against unless told. */
    public static final int NODE_PORT_FIRST = 30000;
    public static final int NODE_PORT_LAST = 32767;

    private final Limits limits;
    private final int nodePortFirst;
    private final int nodePortLast;

    public CapCompiler() {
        this(Limits.DEFAULT);
    }

    public CapCompiler(Limits limits) {
        this(limits, NODE_PORT_FIRST, NODE_PORT_LAST);
    }

    private CapCompiler(Limits limits, int nodePortFirst, int nodePortLast) {
        this.limits = Objects.requireNonNull(limits, "limits");
        if (nodePortFirst < 1 || nodePortLast > 65535 || nodePortFirst > nodePortLast) {
            throw new IllegalArgumentException("not a port range: " + nodePortFirst + "-" + nodePortLast);
        }
        this.nodePortFirst = nodePortFirst;
        this.nodePortLast = nodePortLast;
    }

    /** This compiler for a cluster whose node ports are {@code first-last} ({@code capstan up --node-port-range}). */
    public CapCompiler nodePorts(int first, int last) {
        return new CapCompiler(limits, first, last);
    }

    @Override
    public CompileResult compile(List<SourceFile> files) {
        return Compilation.run(files, limits, nodePortFirst, nodePortLast);
    }
}
