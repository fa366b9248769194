package dev.capstan.dsl.internal;

import dev.capstan.model.Container;
import dev.capstan.model.DaemonSet;
import dev.capstan.model.Deployment;
import dev.capstan.model.Job;
import dev.capstan.model.KubeObject;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.Namespace;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.PodSpec;
import dev.capstan.model.PodTemplateSpec;
import dev.capstan.model.Service;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checked declarations to model objects. A namespace becomes a Namespace; a service becomes a
 * Deployment and, when it declares ports, a Service. Pure; the output order is namespaces, then
 * deployments, then services, each sorted by key.
 */
final class Lowering {
    /** The label that ties a service's pods to its Deployment and Service. */
    static final String APP = "app";
    /** Value of {@link ObjectMeta#MANAGED_BY} on everything compiled from {@code .cap} files. */
    static final String MANAGER = "capstan";
    static final String TCP = "TCP";

    private Lowering() {
    }

    static List<KubeObject> lower(Program program) {
        List<KubeObject> namespaces = new ArrayList<>();
        List<KubeObject> deployments = new ArrayList<>();
        List<KubeObject> services = new ArrayList<>();
        for (Program.NamespaceSpec n : program.namespaces()) {
            Map<String, String> labels = new LinkedHashMap<>(n.labels());
            labels.put(ObjectMeta.MANAGED_BY, MANAGER);
            namespaces.add(new Namespace("v1", "Namespace", meta(null, n.name(), labels, n.source()), null));
        }
        for (Program.ServiceSpec s : program.services()) {
            deployments.add(deployment(s));
            if (!s.ports().isEmpty()) {
                services.add(service(s));
            }
        }
        List<KubeObject> jobs = new ArrayList<>();
        List<KubeObject> daemons = new ArrayList<>();
        for (Program.WorkloadSpec w : program.workloads()) {
            if ("job".equals(w.kind())) {
                jobs.add(job(w));
            } else {
                daemons.add(daemonSet(w));
                if (!w.pod().ports().isEmpty()) {
                    services.add(service(w.pod()));
                }
            }
        }
        List<KubeObject> out = new ArrayList<>();
        for (List<KubeObject> group : List.of(namespaces, deployments, jobs, daemons, services)) {
            group.sort(Comparator.comparing(KubeObject::key));
            out.addAll(group);
        }
        return out;
    }

    private static Deployment deployment(Program.ServiceSpec s) {
        Program.PodSettings pod = s.pod();
        Deployment.Spec spec = new Deployment.Spec(s.replicas(), new LabelSelector(Map.of(APP, s.name())), template(s),
                new Deployment.Strategy("RollingUpdate", pod.update() == null
                        ? new Deployment.RollingUpdate("25%", "25%") : pod.update()));
        return new Deployment(meta(s.namespace(), s.name(), objectLabels(s), s.source(), pod.annotations()), spec,
                null);
    }

    private static Job job(Program.WorkloadSpec w) {
        Program.ServiceSpec s = w.pod();
        return new Job(meta(s.namespace(), s.name(), objectLabels(s), s.source(), s.pod().annotations()),
                new Job.Spec(w.completions(), w.parallelism(), w.backoffLimit(), null, template(s)), null);
    }

    private static DaemonSet daemonSet(Program.WorkloadSpec w) {
        Program.ServiceSpec s = w.pod();
        return new DaemonSet(meta(s.namespace(), s.name(), objectLabels(s), s.source(), s.pod().annotations()),
                new DaemonSet.Spec(new LabelSelector(Map.of(APP, s.name())), template(s), null), null);
    }

    /** The pod template of a service, job or daemon: one container, labels {@code app=NAME} and the service's. */
    private static PodTemplateSpec template(Program.ServiceSpec s) {
        List<Container.ContainerPort> ports = new ArrayList<>();
        for (Program.PortSpec p : s.ports()) {
            ports.add(new Container.ContainerPort(p.name(), p.containerPort(), null, TCP));
        }
        Container.Resources resources = s.resources().isEmpty() ? null
                : new Container.Resources(s.resources(), s.resources());
        Program.PodSettings pod = s.pod();
        Program.Placement place = pod.placement();
        Container container = new Container(s.name(), s.image(), s.command(), s.args(), s.env(), ports, resources,
                null, pod.liveness(), pod.readiness(), pod.startup());
        Map<String, String> podLabels = new LinkedHashMap<>();
        podLabels.put(APP, s.name());
        podLabels.putAll(s.labels());
        ObjectMeta podMeta = new ObjectMeta(null, null, null, podLabels,
                pod.annotations().isEmpty() ? null : pod.annotations(), null, null, null, null, null, null);
        return new PodTemplateSpec(podMeta, new PodSpec(List.of(container), null,
                pod.restartPolicy(), pod.stopGraceSeconds(), place.nodeSelector(), null, place.affinity(),
                place.tolerations(), place.spread(), pod.priority()));
    }

    private static Service service(Program.ServiceSpec s) {
        List<Service.Port> ports = new ArrayList<>();
        boolean nodePorts = false;
        for (Program.PortSpec p : s.ports()) {
            ports.add(new Service.Port(p.name(), p.servicePort(), p.name(), TCP, p.nodePort()));
            nodePorts |= p.nodePort() != null || p.nodePortAuto(); // auto: nodePort null, allocated by the cluster
        }
        return new Service(meta(s.namespace(), s.name(), objectLabels(s), s.source(), s.pod().annotations()),
                new Service.Spec(Map.of(APP, s.name()), ports, null, nodePorts ? "NodePort" : "ClusterIP"));
    }

    private static Map<String, String> objectLabels(Program.ServiceSpec s) {
        Map<String, String> labels = new LinkedHashMap<>(s.labels());
        labels.put(APP, s.name());
        labels.put(ObjectMeta.MANAGED_BY, MANAGER);
        return labels;
    }

    private static ObjectMeta meta(String namespace, String name, Map<String, String> labels, String source) {
        return meta(namespace, name, labels, source, Map.of());
    }

    private static ObjectMeta meta(String namespace, String name, Map<String, String> labels, String source,
                                   Map<String, String> user) {
        Map<String, String> annotations = new LinkedHashMap<>(user);
        if (source != null) {
            annotations.put(ObjectMeta.SOURCE, source);
        }
        return new ObjectMeta(name, namespace, null, labels, annotations.isEmpty() ? null : annotations, null, null,
                null, null, null, null);
    }
}
