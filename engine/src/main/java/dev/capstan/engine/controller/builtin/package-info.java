/**
 * The built-in controllers — Deployment, ReplicaSet, NodeLifecycle, Endpoints, garbage collection — and
 * {@link dev.capstan.engine.controller.builtin.ControlPlaneControllers}, which runs them with the scheduler.
 */
package dev.capstan.engine.controller.builtin;
