package dev.capstan.node.agent;

import dev.capstan.model.Container;
import dev.capstan.model.Pod;
import dev.capstan.node.runtime.ContainerSpec;
import dev.capstan.node.runtime.SandboxSpec;
import java.util.HashMap;
import java.util.Map;

/** What the agent asks the runtime for: a pod's sandbox and its containers (env, ports, limits, log paths). */
final class RuntimeSpecs {
    private RuntimeSpecs() {
    }

    static SandboxSpec sandboxSpec(AgentConfig config, Pod pod, ClusterDns dns) {
        String uid = pod.metadata().uid();
        Map<String, String> labels = new HashMap<>();
        labels.put(NodeAgent.LABEL_NODE, config.nodeName());
        labels.put(NodeAgent.LABEL_POD_UID, uid);
        String dir = pod.metadata().namespace() + "_" + pod.metadata().name() + "_" + uid;
        return new SandboxSpec(uid, pod.metadata().namespace(), pod.metadata().name(), 0,
                config.logRoot().resolve(dir).toString(), labels,
                dns == null ? null : dns.podDns(pod.metadata().namespace()));
    }

    /**
     * The container's environment: the service variables of its namespace first (as Kubernetes orders them), then
     * Capstan's own (pod, node, ports, DNS), then the container's env, each value expanded ({@code $(VAR)}) from
     * what precedes it; command and args are expanded from the result.
     */
    static ContainerSpec containerSpec(AgentConfig config, Pod pod, Container c, int attempt,
                                       Map<String, String> serviceVars, ClusterDns dns) {
        Map<String, String> env = new java.util.LinkedHashMap<>(serviceVars);
        env.put("POD_NAME", pod.metadata().name());
        env.put("POD_NAMESPACE", pod.metadata().namespace());
        env.put("POD_IP", "127.0.0.1");
        env.put("NODE_NAME", config.nodeName());
        if (dns != null) {
            env.put(ClusterDns.ENV_SERVER, dns.ip() + ":" + dns.port());
            env.put(ClusterDns.ENV_SEARCH, String.join(" ", dns.searches(pod.metadata().namespace())));
        }
        boolean first = true;
        for (Container.ContainerPort p : c.ports()) {
            if (p.hostPort() == null) {
                continue;
            }
            if (first) {
                env.put("PORT", Integer.toString(p.hostPort()));
                first = false;
            }
            if (p.name() != null) {
                env.put(Env.portVar(p.name()), Integer.toString(p.hostPort()));
            }
        }
        for (Container.EnvVar e : c.env()) {
            env.put(e.name(), Env.expand(e.value() == null ? "" : e.value(), env));
        }
        long cpu = c.resources() == null ? 0 : c.resources().cpuMillis();
        long mem = c.resources() == null ? 0 : c.resources().memoryBytes();
        Map<String, String> labels = Map.of(NodeAgent.LABEL_NODE, config.nodeName(), NodeAgent.LABEL_POD_UID, pod.metadata().uid());
        return new ContainerSpec(c.name(), attempt, c.image(), Env.expand(c.command(), env),
                Env.expand(c.args(), env), env, c.workingDir(), cpu, mem, c.name() + "/" + attempt + ".log", labels);
    }
}
