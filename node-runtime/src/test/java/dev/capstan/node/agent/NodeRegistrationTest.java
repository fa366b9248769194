package dev.capstan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.Kinds;
import dev.capstan.model.Node;
import dev.capstan.model.Quantity;
import dev.capstan.node.runtime.process.ProcessRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Node an agent registers: capacity from this host, allocatable less the eviction reserve, labels, endpoint. */
class NodeRegistrationTest {
    @TempDir
    Path dir;

    @Test
    void capacityComesFromTheHostAndAllocatableKeepsTheEvictionReserve() throws Exception {
        FakeApi api = new FakeApi();
        AgentConfig d = AgentConfig.defaults("host-1", 30000, dir.resolve("logs"));
        AgentConfig cfg = new AgentConfig(d.nodeName(), Map.of("zone", "a"), d.portBase(), d.portCount(), d.logRoot(),
                d.syncInterval(), d.leaseDuration(), 0, 0, d.logMaxBytes(), d.logMaxFiles());
        try (ProcessRuntime rt = new ProcessRuntime(dir.resolve("state"), "host-1")) {
            NodeRegistration r = new NodeRegistration(cfg, api, rt);
            r.logEndpoint("http://127.0.0.1:10250");
            r.register();
        }
        Node n = api.get(Kinds.NODE, null, "host-1").orElseThrow();
        long memTotal = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElseThrow();
        assertThat(Quantity.parseCpuMillis(n.status().capacity().get("cpu")))
                .isEqualTo(Runtime.getRuntime().availableProcessors() * 1000L);
        assertThat(Quantity.parseBytes(n.status().capacity().get("memory"))).isEqualTo(memTotal);
        assertThat(Quantity.parseBytes(n.status().allocatable().get("memory")))
                .isEqualTo(memTotal - NodeRegistration.EVICTION_RESERVE_BYTES);
        assertThat(n.status().allocatable()).containsEntry("pods", "110")
                .containsEntry("cpu", n.status().capacity().get("cpu"));
        assertThat(n.metadata().labels()).containsEntry("zone", "a").containsEntry("capstan.dev/runtime", "process")
                .containsEntry("kubernetes.io/hostname", "host-1");
        assertThat(n.metadata().annotations()).containsEntry(NodeLogSource.ENDPOINT_ANNOTATION, "http://127.0.0.1:10250");
    }
}
