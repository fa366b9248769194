package dev.capstan.gitsync;

import java.util.List;

/**
 * What one sync did with the head commit.
 *
 * @param report      set when {@code result == APPLIED}
 * @param diagnostics one line each, {@code error[E…] path:line:col: message}: why it was rejected, or for an applied
 *                    commit the warn and audit verdicts of its policies (often empty)
 * @param rendered    the diagnostics with source lines and carets, for people ("" when there are none)
 */
public record SyncOutcome(Result result, Commit commit, ApplyReport report, List<String> diagnostics,
                          String rendered) {

    public enum Result {
        /** Compiled and applied; the cluster now follows this commit. */
        APPLIED,
        /**
         * Did not compile, or an enforce-mode policy denied it; recorded as a rejected revision, the previous
         * revision keeps running.
         */
        REJECTED
    }
}
