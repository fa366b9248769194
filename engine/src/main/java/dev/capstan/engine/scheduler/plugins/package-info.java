/** The scheduler's built-in filter and score plugins; each a pure function of pod and node. */
package dev.capstan.engine.scheduler.plugins;
