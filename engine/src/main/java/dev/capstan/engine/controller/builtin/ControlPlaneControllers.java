package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.controller.Controller;
import dev.capstan.engine.controller.ControllerRunner;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.RunnerConfig;
import dev.capstan.engine.scheduler.Binder;
import dev.capstan.engine.scheduler.Profile;
import dev.capstan.engine.scheduler.Scheduler;
import dev.capstan.engine.store.StateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The whole control loop over one store: Deployment, ReplicaSet, Job, DaemonSet, NodeLifecycle, Endpoints,
 * service address, node port and garbage collection controllers plus the scheduler, each under its own {@link ControllerRunner}.
 * {@link #start} starts them all; {@link #close()} stops them all (the store stays open).
 */
public final class ControlPlaneControllers implements AutoCloseable {
    private final List<ControllerRunner> runners;

    private ControlPlaneControllers(List<ControllerRunner> runners) {
        this.runners = runners;
    }

    public static ControlPlaneControllers start(StateStore store, ControlPlaneConfig config) {
        return start(store, config, Clock.systemUTC());
    }

    public static ControlPlaneControllers start(StateStore store, ControlPlaneConfig config, Clock clock) {
        RunnerConfig rc = new RunnerConfig(config.workers(), config.resyncPeriod(), config.retryBaseDelay(),
                config.retryMaxDelay());
        List<Controller> controllers = List.of(
                new DeploymentController(store, new EventRecorder(store, DeploymentController.COMPONENT, clock), clock),
                new ReplicaSetController(store, new EventRecorder(store, ReplicaSetController.COMPONENT, clock), clock,
                        config.expectationsTimeout()),
                new NodeLifecycleController(store, new EventRecorder(store, NodeLifecycleController.COMPONENT, clock),
                        clock, config.nodeMonitorGracePeriod(), config.podEvictionDelay()),
                new JobController(store, new EventRecorder(store, JobController.COMPONENT, clock), clock),
                new DaemonSetController(store, new EventRecorder(store, DaemonSetController.COMPONENT, clock), clock),
                new EndpointsController(store),
                new ServiceIpAllocator(store, new EventRecorder(store, ServiceIpAllocator.COMPONENT, clock),
                        ServiceIpRange.parse(config.serviceIpRange())),
                new NodePortAllocator(store, new EventRecorder(store, NodePortAllocator.COMPONENT, clock),
                        NodePortRange.parse(config.nodePortRange())),
                new GarbageCollector(store, clock, config.eventTtl()));
        Scheduler scheduler = new Scheduler(store, new EventRecorder(store, Scheduler.COMPONENT, clock),
                Profile.defaults(config.scoringStrategy()), Binder.of(store), config.schedulerRetryPeriod(), clock);
        List<ControllerRunner> runners = new ArrayList<>();
        try {
            for (Controller c : controllers) {
                runners.add(new ControllerRunner(store, c, rc).start());
            }
            runners.add(new ControllerRunner(store, scheduler,
                    rc.withWorkers(1).withResyncPeriod(config.schedulerRetryPeriod())).start());
        } catch (RuntimeException e) {
            runners.forEach(ControllerRunner::close);
            throw e;
        }
        return new ControlPlaneControllers(List.copyOf(runners));
    }

    public List<ControllerRunner> runners() {
        return runners;
    }

    /** The runner of the controller with this name ({@code deployment}, {@code scheduler} …). */
    public Optional<ControllerRunner> runner(String name) {
        return runners.stream().filter(r -> r.controller().name().equals(name)).findFirst();
    }

    /** Stops every controller and the scheduler; the store stays open. Idempotent. */
    @Override
    public void close() {
        for (int i = runners.size() - 1; i >= 0; i--) {
            runners.get(i).close();
        }
    }
}
