package dev.capstan.cli;

import dev.capstan.model.Json;
import dev.capstan.model.Revision;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code capstan history}: every commit git-sync has seen, newest first, with its phase and author. */
@Command(name = "history", description = "List the revisions (commits seen), newest first, with phase and author.")
final class HistoryCommand implements Callable<Integer> {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json, for programs.")
    String output;

    @Option(names = "--limit", paramLabel = "N", description = "Show only the N newest revisions.")
    Integer limit;

    @Option(names = "--kubeconfig", paramLabel = "PATH", description = "Default: ~/.capstan/kubeconfig, as written by 'capstan up'.")
    Path kubeconfig;

    @Override
    public Integer call() {
        Revisions.checkOutput(output);
        if (limit != null && limit < 1) {
            throw new UserError("--limit must be at least 1", 2);
        }
        List<Revision> revisions = Revisions.read(kubeconfig);
        if (limit != null && revisions.size() > limit) {
            revisions = revisions.subList(0, limit);
        }
        if ("json".equals(output)) {
            System.out.println(Json.pretty(Map.of("revisions", revisions.stream().map(Revisions::json).toList())));
        } else if (revisions.isEmpty()) {
            System.err.println("No revisions yet: git-sync has not handled a commit");
        } else {
            System.out.print(text(revisions, Clock.systemUTC()));
        }
        return 0;
    }

    /** The aligned table: COMMIT, PHASE, AUTHOR, AGE (of the commit), MESSAGE. */
    static String text(List<Revision> newestFirst, Clock clock) {
        Table t = new Table("COMMIT", "PHASE", "AUTHOR", "AGE", "MESSAGE");
        for (Revision r : newestFirst) {
            Revision.Spec s = r.spec();
            t.row(Revisions.shortSha(r), Revisions.phase(r), Revisions.field(s == null ? null : s.author()),
                    Revisions.age(s == null ? null : s.commitTime(), clock), Revisions.field(s == null ? null : s.message()));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
