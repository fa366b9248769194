package dev.capstan.engine.leader;

import dev.capstan.engine.controller.builtin.ControlPlaneConfig;
import dev.capstan.engine.controller.builtin.ControlPlaneControllers;
import dev.capstan.engine.store.HazelcastStateStore;
import java.time.Clock;
import java.util.Optional;

/**
 * Runs the controllers and the scheduler ({@link ControlPlaneControllers}) only on the leader, over the
 * store view fenced with the leader's term; stops them when leadership moves. Every member of a multi-member
 * control plane runs one; a lone member leads as soon as {@link #start} returns.
 */
public final class LeaderControlPlane implements AutoCloseable {
    private final HazelcastStateStore store;
    private final ControlPlaneConfig config;
    private final Clock clock;
    private LeaderElection election;
    private volatile ControlPlaneControllers controllers;
    private volatile HazelcastStateStore fencedView;

    private LeaderControlPlane(HazelcastStateStore store, ControlPlaneConfig config, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    public static LeaderControlPlane start(HazelcastStateStore store, ControlPlaneConfig config, Clock clock) {
        LeaderControlPlane cp = new LeaderControlPlane(store, config, clock);
        cp.election = new LeaderElection(store, new LeaderElection.Callbacks() {
            @Override
            public void startedLeading(long term) {
                cp.fencedView = store.fenced(term);
                cp.controllers = ControlPlaneControllers.start(cp.fencedView, config, clock);
            }

            @Override
            public void stoppedLeading(long term) {
                cp.stopControllers();
            }
        }).start();
        return cp;
    }

    public static LeaderControlPlane start(HazelcastStateStore store, ControlPlaneConfig config) {
        return start(store, config, Clock.systemUTC());
    }

    public LeaderElection election() {
        return election;
    }

    /** The running controllers while this member leads. */
    public Optional<ControlPlaneControllers> controllers() {
        return Optional.ofNullable(controllers);
    }

    private void stopControllers() {
        ControlPlaneControllers c = controllers;
        controllers = null;
        if (c != null) {
            c.close();
        }
        HazelcastStateStore view = fencedView;
        fencedView = null;
        if (view != null) {
            view.close();
        }
    }

    @Override
    public void close() {
        if (election != null) {
            election.close();
        }
        stopControllers();
    }
}
