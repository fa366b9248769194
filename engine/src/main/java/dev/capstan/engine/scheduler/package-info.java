/**
 * The scheduler, shaped like Kubernetes' scheduling framework: {@link dev.capstan.engine.scheduler.FilterPlugin}s
 * and {@link dev.capstan.engine.scheduler.ScorePlugin}s in a {@link dev.capstan.engine.scheduler.Profile}, an
 * in-memory {@link dev.capstan.engine.scheduler.SchedulerCache}, and a compare-and-set
 * {@link dev.capstan.engine.scheduler.Binder}. Every rejection carries a reason.
 */
package dev.capstan.engine.scheduler;
