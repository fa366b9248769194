package dev.capstan.engine.admission;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model records as the maps CEL sees, the way {@code Json.MAPPER} writes them (nulls and empty collections left
 * out, integers as Long) but without a JSON round trip, which would cost most of an evaluation.
 */
final class RecordMaps {
    private static final Map<Class<?>, List<Accessor>> ACCESSORS = new ConcurrentHashMap<>();

    private record Accessor(String name, Method method) {
    }

    private RecordMaps() {
    }

    static Object convert(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float) {
            return ((Float) value).doubleValue();
        }
        if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) {
                out.add(convert(o));
            }
            return out;
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), convert(v)));
            return out;
        }
        if (value.getClass().isRecord()) {
            return record(value);
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return value.toString();
    }

    static Map<String, Object> record(Object record) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Accessor a : ACCESSORS.computeIfAbsent(record.getClass(), RecordMaps::accessors)) {
            Object v;
            try {
                v = a.method().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + a.name() + " of " + record.getClass(), e);
            }
            if (v == null || (v instanceof Collection<?> c && c.isEmpty()) || (v instanceof Map<?, ?> m && m.isEmpty())) {
                continue;
            }
            out.put(a.name(), convert(v));
        }
        return out;
    }

    private static List<Accessor> accessors(Class<?> type) {
        List<Accessor> out = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            Method m = c.getAccessor();
            m.setAccessible(true);
            out.add(new Accessor(c.getName(), m));
        }
        return out;
    }
}
