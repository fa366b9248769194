package dev.capstan.cli;

import dev.capstan.engine.client.ApiUnavailableException;
import dev.capstan.engine.client.HttpApiClient;
import dev.capstan.engine.store.StoreException;
import dev.capstan.model.Kinds;
import dev.capstan.model.Revision;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Revision objects git-sync records, read through the API, for {@code capstan status} and {@code history}. */
final class Revisions {
    /** Newest commit first; commits with the same time in the order the cluster first saw them, newest first. */
    static final Comparator<Revision> NEWEST_FIRST = Comparator
            .comparing((Revision r) -> instant(r.spec() == null ? null : r.spec().commitTime()))
            .thenComparing(r -> instant(r.metadata().creationTimestamp()))
            .thenComparing(r -> r.metadata().name())
            .reversed();

    private Revisions() {
    }

    /** Every revision, newest first. */
    static List<Revision> newestFirst(HttpApiClient api) {
        List<Revision> all = new ArrayList<>(api.list(Kinds.REVISION, null, null));
        all.sort(NEWEST_FIRST);
        return all;
    }

    /** The revision the cluster runs. */
    static Optional<Revision> applied(List<Revision> newestFirst) {
        return newestFirst.stream().filter(r -> Revision.APPLIED.equals(phase(r))).findFirst();
    }

    /** The newest commit seen that was not superseded since: the one the cluster runs, or a newer rejected one. */
    static Optional<Revision> newestSeen(List<Revision> newestFirst) {
        return newestFirst.stream().filter(r -> !Revision.SUPERSEDED.equals(phase(r))).findFirst();
    }

    static String phase(Revision r) {
        return r.status() == null || r.status().phase() == null ? "Unknown" : r.status().phase();
    }

    static List<String> diagnostics(Revision r) {
        return r.status() == null ? List.of() : r.status().diagnostics();
    }

    static String shortSha(Revision r) {
        String sha = r.spec() == null || r.spec().commit() == null ? r.metadata().name() : r.spec().commit();
        return sha.substring(0, Math.min(7, sha.length()));
    }

    static String field(String s) {
        return s == null || s.isEmpty() ? "<none>" : s;
    }

    /** A revision as {@code -o json} prints it: a stable, flat shape. */
    static Map<String, Object> json(Revision r) {
        Map<String, Object> m = new LinkedHashMap<>();
        Revision.Spec s = r.spec();
        m.put("name", r.metadata().name());
        m.put("commit", s == null ? null : s.commit());
        m.put("author", s == null ? null : s.author());
        m.put("message", s == null ? null : s.message());
        m.put("commitTime", s == null ? null : s.commitTime());
        m.put("phase", phase(r));
        m.put("observedTime", r.status() == null ? null : r.status().observedTime());
        m.put("diagnostics", diagnostics(r));
        return m;
    }

    /** Age like kubectl: 45s, 12m, 3h, 2d; {@code <unknown>} when missing. */
    static String age(String timestamp, Clock clock) {
        if (timestamp == null) {
            return "<unknown>";
        }
        try {
            long s = Math.max(0, Duration.between(Instant.parse(timestamp), clock.instant()).getSeconds());
            return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s < 172800 ? s / 3600 + "h" : s / 86400 + "d";
        } catch (DateTimeParseException e) {
            return "<unknown>";
        }
    }

    private static Instant instant(String s) {
        try {
            return s == null ? Instant.EPOCH : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    /** Reads the revisions, turning connection and API failures into one-line user errors. */
    static List<Revision> read(Path kubeconfig) {
        try (HttpApiClient api = ApiConnection.connect(kubeconfig)) {
            return newestFirst(api);
        } catch (ApiUnavailableException e) {
            throw new UserError("cannot reach the Capstan API: " + e.getMessage() + " (is 'capstan up' running?)");
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
    }

    static void checkOutput(String output) {
        if (output != null && !output.equals("json")) {
            throw new UserError("--output must be json (or left out for text)", 2);
        }
    }
}
