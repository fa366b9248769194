/**
 * The controller runtime: {@link dev.capstan.engine.controller.Reconciler}s return a
 * {@link dev.capstan.engine.controller.Result}; the {@link dev.capstan.engine.controller.ControllerRunner}
 * feeds them keys from watches and resyncs through a deduplicating, rate-limited
 * {@link dev.capstan.engine.controller.WorkQueue}. The built-in controllers live in {@code .builtin}.
 */
package dev.capstan.engine.controller;
