package dev.capstan.engine.api;

import dev.capstan.model.KubeObject;
import java.time.Instant;
import java.util.function.BiFunction;

/**
 * One column of a server-side table, as Kubernetes' {@code TableColumnDefinition}; priority 0 columns are
 * always shown, priority 1 only with {@code -o wide}. {@code cell} computes the value for an object at a time.
 */
record Column(String name, String type, String format, String description, int priority,
              BiFunction<KubeObject, Instant, Object> cell) {

    static Column name(String description) {
        return new Column("Name", "string", "name", description, 0, (o, now) -> o.metadata().name());
    }

    static Column age() {
        return new Column("Age", "string", "", "Time since the object was created.", 0,
                (o, now) -> Ages.since(o.metadata().creationTimestamp(), now));
    }

    static <T extends KubeObject> Column of(Class<T> type, String name, String cellType, String description,
                                            int priority, java.util.function.Function<T, Object> cell) {
        return new Column(name, cellType, "", description, priority, (o, now) -> cell.apply(type.cast(o)));
    }
}
