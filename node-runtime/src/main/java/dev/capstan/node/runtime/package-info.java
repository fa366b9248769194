/**
 * Container runtimes behind one small interface, {@link dev.capstan.node.runtime.ContainerRuntime}:
 * containerd over CRI, and a process runtime for machines without containerd.
 */
package dev.capstan.node.runtime;
