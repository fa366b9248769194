/**
 * The process runtime: "containers" are plain host processes, like Nomad's raw_exec driver, for
 * machines without containerd. No isolation and no resource limits.
 */
package dev.capstan.node.runtime.process;
