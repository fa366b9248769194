/**
 * containerd over CRI ({@code runtime.v1}, a hand-written subset of the upstream proto in
 * {@code src/main/proto}): {@link dev.capstan.node.runtime.cri.CriRuntime}, a private containerd for the
 * agent ({@link dev.capstan.node.runtime.cri.PrivateContainerd}) and the local images it runs
 * ({@link dev.capstan.node.runtime.cri.LocalImages}), built without a registry.
 */
package dev.capstan.node.runtime.cri;
