/**
 * The node agent, Capstan's kubelet: registers its Node, renews its Lease, and keeps the pods bound to
 * it running through a {@link dev.capstan.node.runtime.ContainerRuntime}. It reaches the control plane
 * only through {@link dev.capstan.engine.client.ApiClient}.
 */
package dev.capstan.node.agent;
