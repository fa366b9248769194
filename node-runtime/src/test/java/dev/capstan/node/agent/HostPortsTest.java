package dev.capstan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.Container;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HostPortsTest {
    private static AgentConfig config(int base, int count) {
        AgentConfig d = AgentConfig.defaults("node-1", base, Path.of("/tmp"));
        return new AgentConfig(d.nodeName(), d.labels(), base, count, d.logRoot(), d.syncInterval(),
                d.leaseDuration(), 0, 0, d.logMaxBytes(), d.logMaxFiles());
    }

    private static Pod holding(int... ports) {
        List<Container.ContainerPort> ps = IntStream.of(ports)
                .mapToObj(p -> new Container.ContainerPort("p" + p, 8080, p, "TCP")).toList();
        Container c = new Container("app", "img", null, null, null, ps, null, null);
        return new Pod(ObjectMeta.of("demo", "held"), new PodSpec(List.of(c), "node-1", null, null, null, true), null);
    }

    @Test
    void skipsPortsThePodsOnTheNodeAlreadyHold() {
        HostPorts ports = new HostPorts(config(20000, 10), List.of(holding(20000, 20002)));
        assertThat(ports.take()).hasValue(20001);
        assertThat(ports.take()).hasValue(20003);
    }

    @Test
    void aFullRangeGivesNothingAndSaysWhich() {
        HostPorts ports = new HostPorts(config(20000, 2), List.of(holding(20001)));
        assertThat(ports.take()).hasValue(20000);
        assertThat(ports.take()).isEmpty();
        assertThat(ports.range()).isEqualTo("20000-20001");
    }

    @Test
    void podsSyncedSideBySideNeverShareAPort() {
        HostPorts ports = new HostPorts(config(20000, 1000), List.of());
        Set<Integer> taken = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 500).parallel().forEach(i -> assertThat(taken.add(ports.take().getAsInt())).isTrue());
        assertThat(taken).hasSize(500);
    }

    @Test
    void aPortHandedOutStaysTakenUntilAListShowsItOrItIsReleased() {
        long[] now = {0};
        HostPorts ports = new HostPorts(config(20000, 10), List.of(), () -> now[0]);
        assertThat(ports.take()).hasValue(20000);
        ports.refresh(List.of()); // a list taken before the pod's write landed
        assertThat(ports.take()).as("20000 is still pending").hasValue(20001);
        ports.refresh(List.of(holding(20000)));
        ports.release(List.of(20001)); // that pod's write failed
        assertThat(ports.take()).hasValue(20001);
        now[0] += HostPorts.PENDING_NANOS + 1;
        ports.refresh(List.of(holding(20000)));
        assertThat(ports.take()).as("a pending port no list ever showed is free again").hasValue(20001);
    }
}
