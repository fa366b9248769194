package dev.capstan.dsl.ast;

import java.util.List;

/** One attribute of a block; the location is its keyword's. */
public sealed interface Attribute extends Node {

    /** The keyword that starts it, as written in the source: {@code image}, {@code port}, ... */
    String keyword();

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

    /** {@code port NAME NUMBER [expose NUMBER]}; {@code exposed} is null when absent. */
    record Port(Location location, Identifier name, NumberLit number, NumberLit exposed) implements Attribute {
        public String keyword() {
            return "port";
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
}
