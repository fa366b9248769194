package dev.capstan.dsl.internal;

import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.Attribute;
import dev.capstan.dsl.ast.ServiceDecl;

/**
 * What {@code job} and {@code daemon} blocks add to the service checks: the builder marks them with an
 * {@link Attribute.Workload} first; {@code completions}, {@code parallelism} and {@code backoff-limit} belong
 * to jobs only, and {@code replicas} to services only (a job counts completions, a daemon runs one pod per node).
 */
final class Workloads {
    static final int MAX_COUNT = 10_000;

    private Workloads() {
    }

    /** "job" or "daemon" for those blocks; null for a service. */
    static String kind(ServiceDecl s) {
        for (Attribute a : s.attributes()) {
            if (a instanceof Attribute.Workload w) {
                return w.kind();
            }
        }
        return null;
    }

    /** Checks {@code a} when it is a workload attribute, or one a workload must not have; false otherwise. */
    static boolean accept(Reporter reporter, String workload, Attribute a) {
        if (a instanceof Attribute.Workload) {
            return true;
        }
        if (a instanceof Attribute.JobSetting j && !"job".equals(workload)) {
            reporter.report(ErrorCode.E019, a.location(), "'" + j.key() + "' is only for a job",
                    "write the block as: job NAME in NAMESPACE { ... }");
            return true;
        }
        if (a instanceof Attribute.JobSetting) {
            return true;
        }
        if (a instanceof Attribute.Replicas && workload != null) {
            reporter.report(ErrorCode.E019, a.location(), "'replicas' has no meaning in a " + workload,
                    "job".equals(workload) ? "a job runs 'completions' pods, 'parallelism' at a time"
                            : "a daemon runs one pod on every node that fits it; choose nodes with node-selector");
            return true;
        }
        return false;
    }

    /** The checked job or daemon of {@code s}, whose pod {@code pod} is; null when {@code pod} is. */
    static Program.WorkloadSpec spec(Reporter reporter, ServiceDecl s, String kind, Program.ServiceSpec pod) {
        Integer completions = null;
        Integer parallelism = null;
        Integer backoffLimit = null;
        for (Attribute a : s.attributes()) {
            if (a instanceof Attribute.JobSetting j) {
                switch (j.key()) {
                    case "completions" -> completions = (int) Numbers.whole(reporter, j.value(), "completions", 1,
                            MAX_COUNT, 1);
                    case "parallelism" -> parallelism = (int) Numbers.whole(reporter, j.value(), "parallelism", 1,
                            MAX_COUNT, 1);
                    default -> backoffLimit = (int) Numbers.whole(reporter, j.value(), "backoff-limit", 0,
                            MAX_COUNT, 6);
                }
            }
        }
        return pod == null ? null : new Program.WorkloadSpec(kind, pod, completions, parallelism, backoffLimit);
    }
}
