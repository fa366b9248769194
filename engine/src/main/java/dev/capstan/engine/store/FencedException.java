package dev.capstan.engine.store;

/**
 * A write of a deposed leader: the store view's fencing term is no longer the cluster's current term. The
 * writer has lost leadership and must stop; retrying cannot succeed.
 */
public class FencedException extends StoreException {
    private final long term;
    private final long currentTerm;

    public FencedException(long term, long currentTerm) {
        super(409, "Conflict", "write refused: leader term " + term + " was superseded by term " + currentTerm
                + " (this member is no longer the leader)");
        this.term = term;
        this.currentTerm = currentTerm;
    }

    public long term() {
        return term;
    }

    public long currentTerm() {
        return currentTerm;
    }
}
