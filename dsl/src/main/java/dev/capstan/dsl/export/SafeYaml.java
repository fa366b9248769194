package dev.capstan.dsl.export;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads untrusted, multi-document YAML into {@link Node}s that remember where they were written. Refuses, each
 * as a {@link YamlError} with its line and column: aliases ({@code *name}, also in merge keys; Jackson would read
 * them as the plain string "name"), duplicate keys, nesting deeper than {@link #MAX_DEPTH}, text over
 * {@link #MAX_CODE_POINTS} code points and more than {@link #MAX_DOCUMENTS} documents.
 */
public final class SafeYaml {
    public static final int MAX_CODE_POINTS = 4 << 20;
    public static final int MAX_DEPTH = 64;
    public static final int MAX_DOCUMENTS = 10_000;

    private SafeYaml() {
    }

    /** A YAML node and where it starts (1-based line and column). */
    public sealed interface Node permits Scalar, Mapping, Sequence {
        int line();

        int column();
    }

    /** A scalar; {@code text} is null for YAML null. */
    public record Scalar(String text, int line, int column) implements Node {
    }

    /** A mapping in source order; {@code keys} holds where each key was written. */
    public record Mapping(Map<String, Node> entries, Map<String, Scalar> keys, int line, int column) implements Node {
    }

    public record Sequence(List<Node> items, int line, int column) implements Node {
    }

    /** Input that is not accepted; {@code line}/{@code column} are 1-based. */
    public static final class YamlError extends Exception {
        private final int line;
        private final int column;
        private final String hint;

        YamlError(int line, int column, String message, String hint) {
            super(message, null, false, false);
            this.line = Math.max(1, line);
            this.column = Math.max(1, column);
            this.hint = hint;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }

        public String hint() {
            return hint;
        }
    }

    /** The documents of {@code text}, empty ones left out. */
    public static List<Node> read(String text) throws YamlError {
        long codePoints = text.codePoints().limit(MAX_CODE_POINTS + 1L).count();
        if (codePoints > MAX_CODE_POINTS) {
            throw new YamlError(1, 1, "file is too large (over " + MAX_CODE_POINTS + " characters)",
                    "split it into several files");
        }
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS + 1);
        options.setNestingDepthLimit(MAX_DEPTH + 1);
        options.setMaxAliasesForCollections(0);
        YAMLFactory factory = YAMLFactory.builder().loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1).build())
                .build();
        List<Node> documents = new ArrayList<>();
        try (YAMLParser p = factory.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                Node n = node(p, t, 0);
                if (!(n instanceof Scalar s && s.text() == null)) {
                    if (documents.size() == MAX_DOCUMENTS) {
                        throw new YamlError(n.line(), n.column(), "too many documents (the limit is " + MAX_DOCUMENTS
                                + ")", "split it into several files");
                    }
                    documents.add(n);
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String message = e.getOriginalMessage() == null ? "not valid YAML" : e.getOriginalMessage();
            throw new YamlError(l == null ? 1 : l.getLineNr(), l == null ? 1 : l.getColumnNr(),
                    "not valid YAML: " + message.lines().findFirst().orElse("").strip(), null);
        } catch (IOException e) {
            throw new YamlError(1, 1, "cannot read: " + e.getMessage(), null);
        }
        return documents;
    }

    private static Node node(YAMLParser p, JsonToken t, int depth) throws IOException, YamlError {
        JsonLocation at = p.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        if (p.isCurrentAlias()) {
            throw new YamlError(line, column, "YAML aliases are not accepted (*" + p.getText() + ")",
                    "write the value out where it is used");
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            if (depth >= MAX_DEPTH) {
                throw new YamlError(line, column, "nested too deeply (the limit is " + MAX_DEPTH + ")", null);
            }
        }
        if (t == JsonToken.START_OBJECT) {
            Map<String, Node> entries = new LinkedHashMap<>();
            Map<String, Scalar> keys = new LinkedHashMap<>();
            JsonToken k;
            while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                JsonLocation kl = p.currentTokenLocation();
                if (p.isCurrentAlias()) {
                    throw new YamlError(kl.getLineNr(), kl.getColumnNr(), "YAML aliases are not accepted",
                            "write the key out");
                }
                String key = p.currentName();
                Scalar keyAt = new Scalar(key, kl.getLineNr(), kl.getColumnNr());
                Scalar first = keys.putIfAbsent(key, keyAt);
                if (first != null) {
                    throw new YamlError(keyAt.line(), keyAt.column(), "duplicate key '" + key + "' (first at line "
                            + first.line() + ")", "a key appears once in a mapping; remove one");
                }
                entries.put(key, node(p, p.nextToken(), depth + 1));
            }
            return new Mapping(entries, keys, line, column);
        }
        if (t == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            JsonToken i;
            while ((i = p.nextToken()) != JsonToken.END_ARRAY && i != null) {
                items.add(node(p, i, depth + 1));
            }
            return new Sequence(items, line, column);
        }
        if (t == JsonToken.VALUE_NULL) {
            return new Scalar(null, line, column);
        }
        return new Scalar(p.getText(), line, column);
    }
}
