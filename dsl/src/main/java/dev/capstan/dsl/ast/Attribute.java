package dev.capstan.dsl.ast;

import java.util.List;

/** One attribute of a block; the location is its keyword's. */
public sealed interface Attribute extends Node {

    /** The keyword that starts it, as written in the source: {@code image}, {@code port}, ... */
    String keyword();

    /** True when a block may hold several of it ({@code port}, {@code tolerate}, ...). */
    default boolean repeatable() {
        return false;
    }

    /** {@code image "registry/name:tag"}. */
    record Image(Location location, StringLit image) implements Attribute {
        public String keyword() {
            return "image";
        }
    }

    /** {@code command ["sh", "-c", "..."]}. */
    record Command(Location location, List<StringLit> items) implements Attribute {
        public Command {
            items = List.copyOf(items);
        }

        public String keyword() {
            return "command";
        }
    }

    /** {@code args ["--verbose"]}. */
    record Args(Location location, List<StringLit> items) implements Attribute {
        public Args {
            items = List.copyOf(items);
        }

        public String keyword() {
            return "args";
        }
    }

    /** {@code env { NAME = "value" ... }}, entries in source order. */
    record Env(Location location, List<Entry> entries) implements Attribute {
        public Env {
            entries = List.copyOf(entries);
        }

        public String keyword() {
            return "env";
        }
    }

    /** {@code replicas 2}. */
    record Replicas(Location location, NumberLit count) implements Attribute {
        public String keyword() {
            return "replicas";
        }
    }

    /**
     * {@code port NAME NUMBER [expose NUMBER] [node-port NUMBER|auto]}; {@code exposed} and {@code nodePort} are
     * null when absent; {@code nodePortWord} is the word written instead of a node port number ({@code auto}), or
     * null.
     */
    record Port(Location location, Identifier name, NumberLit number, NumberLit exposed, NumberLit nodePort,
                Identifier nodePortWord) implements Attribute {

        /** Without a node port word. */
        public Port(Location location, Identifier name, NumberLit number, NumberLit exposed, NumberLit nodePort) {
            this(location, name, number, exposed, nodePort, null);
        }

        public String keyword() {
            return "port";
        }

        @Override
        public boolean repeatable() {
            return true;
        }
    }

    /** {@code labels { key = "value" ... }}, in a service or a namespace. */
    record Labels(Location location, List<Entry> entries) implements Attribute {
        public Labels {
            entries = List.copyOf(entries);
        }

        public String keyword() {
            return "labels";
        }
    }

    /** {@code resources { cpu 100m  memory 32Mi }}. */
    record Resources(Location location, List<Resource> entries) implements Attribute {
        public Resources {
            entries = List.copyOf(entries);
        }

        public String keyword() {
            return "resources";
        }
    }

    /** One line of {@code resources}: a resource name and an amount as written. */
    record Resource(Location location, Identifier name, NumberLit amount) implements Node {
    }

    /** {@code annotations { "key" = "value" ... }}. */
    record Annotations(Location location, List<Entry> entries) implements Attribute {
        public Annotations {
            entries = List.copyOf(entries);
        }

        public String keyword() {
            return "annotations";
        }
    }

    /** {@code restart always|on-failure|never}. */
    record Restart(Location location, Identifier policy) implements Attribute {
        public String keyword() {
            return "restart";
        }
    }

    /**
     * {@code liveness|readiness|startup} then {@code http "PATH" port NAME}, {@code tcp port NAME} or
     * {@code exec [..]}, then settings ({@code every 5s}, {@code failure-threshold 3}, ...). {@code action} is
     * http, tcp or exec; {@code path} and {@code port} are null where the action has none.
     */
    record Probe(Location location, String kind, String action, StringLit path, Identifier port,
                 List<StringLit> command, List<Setting> settings) implements Attribute {
        public Probe {
            command = List.copyOf(command);
            settings = List.copyOf(settings);
        }

        public String keyword() {
            return kind;
        }
    }

    /** {@code stop-grace 30s}. */
    record StopGrace(Location location, NumberLit duration) implements Attribute {
        public String keyword() {
            return "stop-grace";
        }
    }

    /** {@code update { max-surge 1  max-unavailable 25% }}. */
    record Update(Location location, List<Setting> settings) implements Attribute {
        public Update {
            settings = List.copyOf(settings);
        }

        public String keyword() {
            return "update";
        }
    }

    /** {@code node-selector { key = "value" }}. */
    record NodeSelector(Location location, List<Entry> entries) implements Attribute {
        public NodeSelector {
            entries = List.copyOf(entries);
        }

        public String keyword() {
            return "node-selector";
        }
    }

    /** {@code node-affinity required|preferred [weight N] { selector }}; preferred ones may repeat. */
    record NodeAffinity(Location location, Placement placement, List<Requirement> selector) implements Attribute {
        public NodeAffinity {
            selector = List.copyOf(selector);
        }

        public String keyword() {
            return placement.required() ? "node-affinity required" : "node-affinity preferred";
        }

        @Override
        public boolean repeatable() {
            return !placement.required();
        }
    }

    /** {@code pod-affinity|pod-anti-affinity required|preferred [weight N] by TOPOLOGY { selector }}. */
    record PodAffinity(Location location, boolean anti, Placement placement, Topology topology,
                       List<Requirement> selector) implements Attribute {
        public PodAffinity {
            selector = List.copyOf(selector);
        }

        public String keyword() {
            return anti ? "pod-anti-affinity" : "pod-affinity";
        }

        @Override
        public boolean repeatable() {
            return true;
        }
    }

    /**
     * {@code spread [required|preferred] by TOPOLOGY [max-skew N] [{ selector }]}; {@code skew} and
     * {@code selector} are null when absent.
     */
    record Spread(Location location, boolean required, Topology topology, NumberLit skew,
                  List<Requirement> selector) implements Attribute {
        public String keyword() {
            return "spread";
        }

        @Override
        public boolean repeatable() {
            return true;
        }
    }

    /**
     * {@code tolerate KEY [= "value"] [effect EFFECT] [for DURATION]}; {@code value}, {@code effect},
     * {@code seconds} are null when absent.
     */
    record Tolerate(Location location, Location keyLocation, String key, StringLit value, Identifier effect,
                    NumberLit seconds) implements Attribute {
        public String keyword() {
            return "tolerate";
        }

        @Override
        public boolean repeatable() {
            return true;
        }
    }

    /** {@code priority 1000}. */
    record Priority(Location location, NumberLit value) implements Attribute {
        public String keyword() {
            return "priority";
        }
    }

    /**
     * Marks a {@code job} or {@code daemon} block: the builder puts it first among the attributes of the
     * {@link ServiceDecl} it makes of the block, so templates and the service checks apply unchanged.
     */
    record Workload(Location location, String kind) implements Attribute {
        public String keyword() {
            return kind;
        }
    }

    /** {@code completions 3}, {@code parallelism 2}, {@code backoff-limit 4}: only in a {@code job}. */
    record JobSetting(Location location, String key, NumberLit value) implements Attribute {
        public String keyword() {
            return key;
        }
    }

    /** A {@code NAME VALUE} line inside a probe or {@code update}: {@code every 5s}, {@code max-surge 25%}. */
    record Setting(Location location, String name, NumberLit value) implements Node {
    }

    /** {@code required}, or {@code preferred} with an optional {@code weight} (null when absent). */
    record Placement(Location location, boolean required, NumberLit weight) implements Node {
    }

    /** A topology key as written: {@code node}, {@code zone}, a name, or a quoted label key. */
    record Topology(Location location, String text, boolean quoted) implements Node {
    }

    /**
     * One selector requirement; {@code operator} is {@code =}, {@code !=}, {@code in}, {@code notin},
     * {@code exists} (a bare key) or {@code !} (absent).
     */
    record Requirement(Location location, String key, String operator, List<StringLit> values) implements Node {
        public Requirement {
            values = List.copyOf(values);
        }
    }
}
