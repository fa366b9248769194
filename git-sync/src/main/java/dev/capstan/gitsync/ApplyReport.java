package dev.capstan.gitsync;

import java.util.List;

/** What applying one revision changed, as {@code Kind namespace/name} strings. */
public record ApplyReport(List<String> created, List<String> updated, List<String> deleted, int unchanged) {

    public boolean changedAnything() {
        return !created.isEmpty() || !updated.isEmpty() || !deleted.isEmpty();
    }

    /** {@code 1 created, 2 updated, 0 deleted}. */
    public String summary() {
        return created.size() + " created, " + updated.size() + " updated, " + deleted.size() + " deleted";
    }
}
