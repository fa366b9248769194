package dev.capstan.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes' {@code labelSelector} ({@code a=b}, {@code a==b}, {@code a!=b}, {@code a}, {@code !a},
 * {@code a in (x,y)}, {@code a notin (x,y)}) and {@code fieldSelector} ({@code path=v}, {@code path!=v} on
 * the fields each kind supports). A bad selector is a 400 naming the offending term.
 */
final class Selectors {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?");
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
    private static final Pattern SET = Pattern.compile("(\\S+)\\s+(in|notin)\\s*\\((.*)\\)");
    private static final Set<String> COMMON_FIELDS = Set.of("metadata.name", "metadata.namespace");
    private static final Map<Kind<?>, Set<String>> KIND_FIELDS = Map.of(
            Kinds.POD, Set.of("spec.nodeName", "spec.restartPolicy", "status.phase", "status.podIP"),
            Kinds.NODE, Set.of("spec.unschedulable"),
            Kinds.NAMESPACE, Set.of("status.phase"),
            Kinds.REVISION, Set.of("status.phase", "spec.commit"),
            Kinds.EVENT, Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                    "involvedObject.uid", "involvedObject.apiVersion", "reason", "type", "source.component"),
            Kinds.LEASE, Set.of("spec.holderIdentity"));

    private Selectors() {
    }

    /** Matches labels; {@code null} or blank selects everything. */
    static Predicate<Map<String, String>> labels(String selector) {
        if (selector == null || selector.isBlank()) {
            return l -> true;
        }
        List<Predicate<Map<String, String>>> terms = new ArrayList<>();
        for (String raw : split(selector)) {
            terms.add(labelTerm(raw.trim(), selector));
        }
        return l -> terms.stream().allMatch(t -> t.test(l));
    }

    private static Predicate<Map<String, String>> labelTerm(String t, String whole) {
        Matcher set = SET.matcher(t);
        if (set.matches()) {
            String key = key(set.group(1), whole);
            Set<String> values = new LinkedHashSet<>();
            for (String v : set.group(3).split(",")) {
                values.add(value(v.trim(), whole));
            }
            boolean in = set.group(2).equals("in");
            return l -> in ? values.contains(l.get(key)) : !values.contains(l.get(key));
        }
        if (t.startsWith("!")) {
            String key = key(t.substring(1).trim(), whole);
            return l -> !l.containsKey(key);
        }
        String[] kv = operator(t);
        if (kv == null) {
            String key = key(t, whole);
            return l -> l.containsKey(key);
        }
        String key = key(kv[0], whole);
        String value = value(kv[2], whole);
        return kv[1].equals("!=") ? l -> !value.equals(l.get(key)) : l -> value.equals(l.get(key));
    }

    /** Matches an object's JSON; {@code null} or blank selects everything. */
    static Predicate<JsonNode> fields(Kind<?> kind, String selector) {
        if (selector == null || selector.isBlank()) {
            return o -> true;
        }
        List<Predicate<JsonNode>> terms = new ArrayList<>();
        for (String raw : split(selector)) {
            String t = raw.trim();
            String[] kv = operator(t);
            if (kv == null) {
                throw ApiErrors.badRequest("invalid field selector \"" + selector + "\": '" + t
                        + "' is not of the form field=value or field!=value");
            }
            String path = kv[0].trim();
            if (!COMMON_FIELDS.contains(path) && !KIND_FIELDS.getOrDefault(kind, Set.of()).contains(path)) {
                throw ApiErrors.badRequest("field label not supported: " + path);
            }
            String value = kv[2].trim();
            boolean negate = kv[1].equals("!=");
            terms.add(o -> value.equals(fieldValue(o, path)) != negate);
        }
        return o -> terms.stream().allMatch(t -> t.test(o));
    }

    /** The field as a selector sees it: text, or "" when absent. */
    static String fieldValue(JsonNode object, String path) {
        JsonNode n = object;
        for (String part : path.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        return n == null || n.isNull() ? "" : n.asText();
    }

    /** Splits on commas outside parentheses. */
    private static List<String> split(String selector) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        out.add(selector.substring(start));
        return out;
    }

    /** {key, op, value} for {@code k=v}, {@code k==v}, {@code k!=v}; null when there is no operator. */
    private static String[] operator(String t) {
        int ne = t.indexOf("!=");
        if (ne > 0) {
            return new String[] {t.substring(0, ne), "!=", t.substring(ne + 2)};
        }
        int eq = t.indexOf("==");
        if (eq > 0) {
            return new String[] {t.substring(0, eq), "=", t.substring(eq + 2)};
        }
        int e = t.indexOf('=');
        return e > 0 ? new String[] {t.substring(0, e), "=", t.substring(e + 1)} : null;
    }

    private static String key(String k, String whole) {
        String key = k.trim();
        if (!KEY.matcher(key).matches()) {
            throw ApiErrors.badRequest("unable to parse requirement in label selector \"" + whole
                    + "\": invalid label key \"" + key + "\"");
        }
        return key;
    }

    private static String value(String v, String whole) {
        String value = v.trim();
        if (!VALUE.matcher(value).matches()) {
            throw ApiErrors.badRequest("unable to parse requirement in label selector \"" + whole
                    + "\": invalid label value \"" + value + "\"");
        }
        return value;
    }
}
