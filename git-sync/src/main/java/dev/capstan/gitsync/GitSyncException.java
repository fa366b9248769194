package dev.capstan.gitsync;

/** A Git source cannot be used: not a repository, no such branch, unreadable objects. The message says which. */
public class GitSyncException extends Exception {
    public GitSyncException(String message) {
        super(message);
    }

    public GitSyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
