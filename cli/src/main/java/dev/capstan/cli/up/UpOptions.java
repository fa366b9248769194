package dev.capstan.cli.up;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of an all-in-one system.
 *
 * @param dir              the followed directory, inside a Git repository
 * @param nodes            how many node agents to run in this process
 * @param runtime          {@code auto}, {@code containerd} or {@code process}
 * @param containerdSocket an existing containerd to use, or null to start a private one when needed
 * @param apiPort          0 for an ephemeral port
 * @param stateDir         containerd state, process runtime state, container logs
 * @param portBase         node i (1-based) hands out host ports from {@code portBase + (i-1) * 1000}
 * @param clusterName      the Hazelcast cluster name; unique per system on one machine
 * @param nodeGrace        a node whose lease is this old is NotReady; its pods are evicted as long again later
 */
public record UpOptions(Path dir, int nodes, String runtime, String containerdSocket, Duration poll, String apiHost,
                        int apiPort, Path kubeconfig, Path stateDir, int portBase, String clusterName,
                        Duration nodeGrace) {
}
