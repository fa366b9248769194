/**
 * Liveness, readiness and startup probes: a pure state machine per probe ({@link dev.capstan.node.agent.probe.ProbeState}),
 * the HTTP, TCP and exec checks ({@link dev.capstan.node.agent.probe.Prober}), and the workers that run them on
 * their own scheduler, away from the agent's sync loop ({@link dev.capstan.node.agent.probe.ProbeManager}).
 */
package dev.capstan.node.agent.probe;
