package dev.capstan.engine.api;

import dev.capstan.engine.admission.Admission;
import dev.capstan.engine.admission.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Admission of pods written through the API: called for a pod create and for a pod update that changes its spec
 * or labels (never for {@code /status} writes, nor for writes that go straight to the store). A decision with
 * denials is answered 403 Forbidden; its warnings go back in {@code Warning} headers, which kubectl prints.
 * Called on worker threads at the same time: implementations are thread-safe.
 */
@FunctionalInterface
public interface PodAdmission {

    /**
     * Reviews one pod.
     *
     * @param pod             the pod as written, in its raw Kubernetes JSON, with its namespace and name set
     * @param namespaceLabels the labels of the pod's namespace (empty when it has none or does not exist)
     */
    Decision review(Map<String, Object> pod, Map<String, String> namespaceLabels);

    /**
     * What admission said.
     *
     * @param denials  {@code policy: message} of each blocking verdict; any refuses the write
     * @param warnings {@code policy: message} of each warning; the write goes ahead
     */
    record Decision(List<String> denials, List<String> warnings) {
        public static final Decision ALLOW = new Decision(List.of(), List.of());

        public Decision {
            denials = List.copyOf(denials);
            warnings = List.copyOf(warnings);
        }

        public boolean allowed() {
            return denials.isEmpty();
        }

        /** Both decisions' denials and warnings. */
        public Decision plus(Decision other) {
            List<String> d = new ArrayList<>(denials);
            d.addAll(other.denials);
            List<String> w = new ArrayList<>(warnings);
            w.addAll(other.warnings);
            return new Decision(d, w);
        }

        /**
         * From verdicts: blocking ones (enforce denies, errors of enforce policies) deny; warn verdicts and errors
         * of other policies warn; audit verdicts are left out.
         */
        public static Decision of(List<Verdict> verdicts) {
            List<String> d = new ArrayList<>();
            List<String> w = new ArrayList<>();
            for (Verdict v : verdicts) {
                String line = v.policy() + ": " + v.message();
                if (v.blocks()) {
                    d.add(line);
                } else if (v.effect() == Verdict.Effect.WARN || v.effect() == Verdict.Effect.ERROR) {
                    w.add(line);
                }
            }
            return new Decision(d, w);
        }
    }

    /** Admits every pod (the default). */
    static PodAdmission allowAll() {
        return (pod, labels) -> Decision.ALLOW;
    }

    /**
     * The pod policies of {@code current.get()} at each write (e.g. those of the last applied revision); a null
     * admission allows everything.
     */
    static PodAdmission policies(Supplier<Admission> current) {
        return (pod, labels) -> {
            Admission a = current.get();
            return a == null ? Decision.ALLOW : Decision.of(a.evaluatePod(pod, labels));
        };
    }

    /** This and {@code other}: denied when either denies, with the warnings of both. */
    default PodAdmission and(PodAdmission other) {
        return (pod, labels) -> review(pod, labels).plus(other.review(pod, labels));
    }
}
