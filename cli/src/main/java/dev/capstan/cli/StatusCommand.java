package dev.capstan.cli;

import dev.capstan.model.Json;
import dev.capstan.model.Revision;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code capstan status}: which commit the cluster runs, the newest commit git-sync has seen and, when
 * that one was rejected, why.
 */
@Command(name = "status", description = {"Show the applied commit, the newest commit seen, and why it was rejected "
        + "if it was."})
final class StatusCommand implements Callable<Integer> {
    /** Label and annotation git-sync sets on revisions (see RevisionApplier); cli does not depend on its internals. */
    static final String SOURCE_LABEL = "capstan.dev/git-source";
    static final String SOURCE_STATUS = "capstan.dev/source-status";
    static final String POLICY_STATUS = "capstan.dev/policy-status";

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json, for programs.")
    String output;

    @Option(names = "--kubeconfig", paramLabel = "PATH", description = "Default: ~/.capstan/kubeconfig, as written by 'capstan up'.")
    Path kubeconfig;

    @Override
    public Integer call() {
        Revisions.checkOutput(output);
        List<Revision> revisions = Revisions.read(kubeconfig);
        Map<String, List<Revision>> bySource = bySource(revisions);
        if ("json".equals(output)) {
            System.out.println(bySource.size() <= 1 ? json(revisions) : Json.pretty(Map.of("sources",
                    bySource.values().stream().map(rs -> Json.MAPPER.valueToTree(jsonMap(rs))).toList())));
        } else if (bySource.size() <= 1) {
            System.out.print(text(revisions, Clock.systemUTC()));
        } else {
            StringBuilder out = new StringBuilder();
            bySource.forEach((name, rs) -> out.append(out.isEmpty() ? "" : "\n").append("== source ").append(name)
                    .append(" ==\n").append(text(rs, Clock.systemUTC())));
            System.out.print(out);
        }
        return 0;
    }

    /** Revisions grouped by the source they came from (label {@code capstan.dev/git-source}), in name order. */
    static Map<String, List<Revision>> bySource(List<Revision> newestFirst) {
        Map<String, List<Revision>> out = new java.util.TreeMap<>();
        for (Revision r : newestFirst) {
            String s = r.metadata().label(SOURCE_LABEL);
            out.computeIfAbsent(s == null ? "default" : s, k -> new java.util.ArrayList<>()).add(r);
        }
        return out;
    }

    /** The status as JSON: {@code applied} and {@code newest} revisions (null when none) and {@code upToDate}. */
    static String json(List<Revision> newestFirst) {
        return Json.pretty(jsonMap(newestFirst));
    }

    private static Map<String, Object> jsonMap(List<Revision> newestFirst) {
        Optional<Revision> applied = Revisions.applied(newestFirst);
        Optional<Revision> newest = Revisions.newestSeen(newestFirst);
        Map<String, Object> m = new LinkedHashMap<>();
        Revision any = applied.or(() -> newest).orElse(null);
        m.put("repository", any == null || any.spec() == null ? null : any.spec().repository());
        m.put("branch", any == null || any.spec() == null ? null : any.spec().branch());
        m.put("path", any == null || any.spec() == null ? null : any.spec().path());
        m.put("applied", applied.map(Revisions::json).orElse(null));
        m.put("newest", newest.map(Revisions::json).orElse(null));
        m.put("upToDate", applied.isPresent() && applied.equals(newest));
        m.put("sourceStatus", applied.map(StatusCommand::sourceStatus).orElse(null));
        applied.map(r -> r.metadata().annotation(POLICY_STATUS)).ifPresent(p -> m.put("policyStatus", p));
        return m;
    }

    /** The status for people, aligned like {@code capstan describe}. */
    static String text(List<Revision> newestFirst, Clock clock) {
        StringBuilder out = new StringBuilder();
        if (newestFirst.isEmpty()) {
            return "No revisions yet: git-sync has not handled a commit (is 'capstan up' following a repository?)\n";
        }
        Optional<Revision> applied = Revisions.applied(newestFirst);
        Optional<Revision> newest = Revisions.newestSeen(newestFirst);
        Revision.Spec src = applied.or(() -> newest).map(Revision::spec).orElse(null);
        if (src != null && src.repository() != null) {
            field(out, "Source", src.repository() + (src.branch() == null ? "" : " (" + src.branch() + ")")
                    + (src.path() == null || src.path().isEmpty() ? "" : " " + src.path()));
        }
        applied.map(StatusCommand::sourceStatus).ifPresent(msg -> field(out, "Source status", msg));
        applied.map(r -> r.metadata().annotation(POLICY_STATUS))
                .ifPresent(msg -> field(out, "Policy status", msg.replace("\n", "\n" + " ".repeat(16))));
        if (applied.isPresent()) {
            commit(out, "Applied", applied.get(), clock);
            field(out, "Applied at", Revisions.age(applied.get().status().observedTime(), clock) + " ago");
        } else {
            field(out, "Applied", "<none>: no commit has been applied yet");
        }
        if (newest.isEmpty() || newest.equals(applied)) {
            field(out, "Newest seen", "the applied commit (up to date)");
            return out.toString();
        }
        Revision n = newest.get();
        commit(out, "Newest seen", n, clock);
        field(out, "Phase", Revisions.phase(n) + (applied.isPresent() && Revision.REJECTED.equals(Revisions.phase(n))
                ? ": the cluster keeps running " + Revisions.shortSha(applied.get()) : ""));
        List<String> diags = Revisions.diagnostics(n);
        if (!diags.isEmpty()) {
            out.append("Rejected because:\n");
            diags.forEach(d -> out.append("  ").append(d.replace("\n", "\n  ")).append('\n'));
        }
        return out.toString();
    }

    /** What git-sync noted about the source on the applied revision (its branch is gone), or null. */
    private static String sourceStatus(Revision r) {
        return r.metadata().annotation(SOURCE_STATUS);
    }

    private static void commit(StringBuilder out, String label, Revision r, Clock clock) {
        Revision.Spec s = r.spec();
        field(out, label, Revisions.shortSha(r) + "  " + Revisions.field(s == null ? null : s.message()));
        field(out, "  Author", Revisions.field(s == null ? null : s.author()));
        field(out, "  Committed", Revisions.age(s == null ? null : s.commitTime(), clock) + " ago");
    }

    private static void field(StringBuilder out, String label, String value) {
        out.append(label).append(':').append(" ".repeat(Math.max(1, 15 - label.length()))).append(value).append('\n');
    }
}
