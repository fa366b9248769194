package dev.capstan.engine.leader;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StoreException;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects the control plane's leader among the Hazelcast members: the oldest member leads (Hazelcast lists
 * members oldest first and every member agrees on that list). Leadership is re-evaluated on every
 * membership event. A member that becomes leader first starts a new fencing term
 * ({@link HazelcastStateStore#newTerm()}) and then calls {@link Callbacks#startedLeading(long)}; its writes go
 * through {@link HazelcastStateStore#fenced(long)}, so once a newer leader has bumped the term a deposed
 * leader's writes are refused by the store. A member that is no longer the oldest calls
 * {@link Callbacks#stoppedLeading(long)}.
 *
 * <p>Callbacks run on one election thread, never concurrently. Split-brain: two halves of a split cluster
 * each elect their oldest member; the half that merges away loses its term when the clusters merge.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    /** What a member does when it gains or loses leadership. */
    public interface Callbacks {
        /** This member now leads with fencing term {@code term}; start the leader's work with that term. */
        void startedLeading(long term);

        /** This member no longer leads (term {@code term} ended); stop the leader's work. */
        void stoppedLeading(long term);
    }

    private final HazelcastStateStore store;
    private final HazelcastInstance hz;
    private final Callbacks callbacks;
    private final ScheduledExecutorService thread;
    private volatile UUID registration;
    private volatile long term;
    private volatile boolean closed;

    public LeaderElection(HazelcastStateStore store, Callbacks callbacks) {
        this.store = store;
        this.hz = store.hazelcast();
        this.callbacks = callbacks;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "capstan-leader-election");
            t.setDaemon(true);
            return t;
        });
    }

    /** Listens to membership and decides once before returning: a lone or oldest member leads on return. */
    public LeaderElection start() {
        registration = hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                thread.execute(LeaderElection.this::evaluate);
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                thread.execute(LeaderElection.this::evaluate);
            }
        });
        try {
            thread.submit(this::evaluate).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("leader election failed", e.getCause());
        }
        return this;
    }

    /** True while this member leads. */
    public boolean isLeader() {
        return term != 0;
    }

    /** The term this member leads with; 0 when it does not lead. */
    public long term() {
        return term;
    }

    private void evaluate() {
        if (closed || !hz.getLifecycleService().isRunning()) {
            return;
        }
        Iterator<Member> members = hz.getCluster().getMembers().iterator();
        boolean oldest = members.hasNext() && members.next().localMember();
        if (oldest && term == 0) {
            long t;
            try {
                t = store.newTerm();
            } catch (StoreException e) {
                LOG.warn("cannot start a leader term yet ({}); trying again in 1 s", e.getMessage());
                thread.schedule(this::evaluate, 1, TimeUnit.SECONDS);
                return;
            }
            term = t;
            LOG.info("this member leads the control plane (term {})", t);
            callbacks.startedLeading(t);
        } else if (!oldest && term != 0) {
            long t = term;
            term = 0;
            LOG.info("this member no longer leads (term {} ended)", t);
            callbacks.stoppedLeading(t);
        }
    }

    /** Stops listening; a leader stops leading (its callback runs before this returns). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        UUID r = registration;
        if (r != null && hz.getLifecycleService().isRunning()) {
            hz.getCluster().removeMembershipListener(r);
        }
        try {
            thread.submit(() -> {
                if (term != 0) {
                    long t = term;
                    term = 0;
                    callbacks.stoppedLeading(t);
                }
            }).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("stopping the leader's work failed: {}", e.toString());
        }
        thread.shutdownNow();
    }
}
