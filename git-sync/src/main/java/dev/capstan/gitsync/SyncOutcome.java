package dev.capstan.gitsync;

import java.util.List;

/**
 * What one sync did with the head commit.
 *
 * @param report      set when {@code result == APPLIED}
 * @param diagnostics set when {@code result == REJECTED}: one line each, {@code error[E…] path:line:col: message}
 * @param rendered    set when {@code result == REJECTED}: the diagnostics with source lines and carets, for people
 */
public record SyncOutcome(Result result, Commit commit, ApplyReport report, List<String> diagnostics,
                          String rendered) {

    public enum Result {
        /** Compiled and applied; the cluster now follows this commit. */
        APPLIED,
        /** Did not compile; recorded as a rejected revision, the previous revision keeps running. */
        REJECTED
    }
}
