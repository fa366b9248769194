package dev.capstan.gitsync;

import java.time.Instant;

/**
 * A commit as the cluster records it.
 *
 * @param treeId the id of the followed directory's tree in this commit (null when the directory is absent):
 *               two commits with the same treeId compile to the same objects
 */
public record Commit(String sha, String author, String message, Instant time, String treeId) {

    public String shortSha() {
        return sha.substring(0, Math.min(7, sha.length()));
    }

    /** First line of the message. */
    public String subject() {
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
