package dev.capstan.gitsync;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A sources file ({@code capstan up --sources FILE}): several Git sources with their credentials, in YAML (or
 * JSON, which is YAML too). Relative file paths are relative to the sources file. Errors name the file, line
 * and column. Anchors and aliases are refused (they would be read wrongly), as are duplicate keys.
 *
 * <pre>
 * sources:
 *   - name: shop
 *     url: https://git.example.com/shop/deploy.git
 *     branch: main
 *     path: deploy
 *     passwordFile: secrets/shop-token     # or passwordEnv: SHOP_GIT_TOKEN; username: defaults to git
 *   - name: platform
 *     url: ssh://git@git.example.com/platform.git
 *     sshKeyFile: /etc/capstan/deploy-key
 *     knownHostsFile: /etc/capstan/known_hosts
 *     poll: 60s
 * </pre>
 */
public final class SourcesFile {
    private static final Set<String> KEYS = Set.of("name", "url", "branch", "path", "poll", "username", "passwordFile",
            "passwordEnv", "sshKeyFile", "knownHostsFile");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final ObjectMapper YAML;

    static {
        LoaderOptions limits = new LoaderOptions();
        limits.setCodePointLimit(1 << 20);
        limits.setNestingDepthLimit(20);
        limits.setAllowDuplicateKeys(false);
        YAML = new ObjectMapper(YAMLFactory.builder().loaderOptions(limits).build());
        YAML.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    private SourcesFile() {
    }

    /** Reads and checks a sources file; every problem is a {@link GitSyncException} with {@code file:line:col}. */
    public static List<SourceSpec> load(Path file) throws GitSyncException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new GitSyncException("cannot read the sources file " + file + ": " + e.getMessage(), e);
        }
        Map<String, JsonLocation> where = new HashMap<>();
        JsonNode root;
        try {
            locate(text, where, file);
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new GitSyncException(file + (l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr()) + ": "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("sources").isArray() || root.path("sources").isEmpty()) {
            throw new GitSyncException(file + ":1:1: expected 'sources:' with a list of sources (name, url, branch, "
                    + "path …)");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("sources")) {
                throw new GitSyncException(at(file, where, "/" + k) + "unknown key '" + k + "' (expected sources)");
            }
        }
        List<SourceSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Path base = file.toAbsolutePath().getParent();
        for (int i = 0; i < root.get("sources").size(); i++) {
            JsonNode s = root.get("sources").get(i);
            String ptr = "/sources/" + i;
            if (!s.isObject()) {
                throw new GitSyncException(at(file, where, ptr) + "each source is a mapping with name and url");
            }
            for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!KEYS.contains(k)) {
                    throw new GitSyncException(at(file, where, ptr + "/" + k) + "unknown key '" + k + "' (expected one "
                            + "of " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
                }
                if (!s.get(k).isValueNode()) {
                    throw new GitSyncException(at(file, where, ptr + "/" + k) + "'" + k + "' takes a single value");
                }
            }
            try {
                SourceAuth auth = new SourceAuth(text(s, "username"), path(base, s, "passwordFile"),
                        text(s, "passwordEnv"), path(base, s, "sshKeyFile"), path(base, s, "knownHostsFile"));
                String url = text(s, "url");
                if (url != null && !url.contains("://") && !url.matches("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:.*")) {
                    url = base.resolve(url).normalize().toString(); // a local path, relative to the file
                }
                SourceSpec spec = new SourceSpec(text(s, "name"), url, text(s, "branch"), text(s, "path"),
                        duration(text(s, "poll")), auth);
                if (!names.add(spec.name())) {
                    throw new IllegalArgumentException("two sources are named '" + spec.name() + "'");
                }
                out.add(spec);
            } catch (IllegalArgumentException e) {
                throw new GitSyncException(at(file, where, ptr) + e.getMessage());
            }
        }
        return out;
    }

    /** Parses {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}; null for null. */
    static Duration duration(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = DURATION.matcher(s.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("poll '" + s + "': expected a duration such as 30s, 500ms or 2m");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.toMillis() < 100) {
            throw new IllegalArgumentException("poll '" + s + "' is too short (at least 100ms)");
        }
        return d;
    }

    private static String text(JsonNode s, String key) {
        JsonNode n = s.get(key);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Path path(Path base, JsonNode s, String key) {
        String t = text(s, key);
        return t == null ? null : base.resolve(t.startsWith("~/") ? System.getProperty("user.home") + t.substring(1) : t)
                .normalize();
    }

    private static String at(Path file, Map<String, JsonLocation> where, String pointer) {
        JsonLocation l = where.get(pointer);
        return file + (l == null ? ":1:1" : ":" + l.getLineNr() + ":" + l.getColumnNr()) + ": ";
    }

    /** One pass over the tokens: the location of every key and list item by JSON pointer; aliases refused. */
    private static void locate(String text, Map<String, JsonLocation> where, Path file) throws JsonProcessingException,
            GitSyncException {
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            Deque<Frame> stack = new ArrayDeque<>();
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (p instanceof YAMLParser y && (y.isCurrentAlias() || y.getObjectId() != null)) {
                    JsonLocation l = p.currentTokenLocation();
                    throw new GitSyncException(file + ":" + l.getLineNr() + ":" + l.getColumnNr() + ": YAML anchors and "
                            + "aliases are not supported here; write the value out");
                }
                if (t == JsonToken.FIELD_NAME) {
                    Frame top = stack.peek();
                    top.key = p.currentName();
                    where.put(top.pointer + "/" + top.key, p.currentTokenLocation());
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    stack.pop();
                    continue;
                }
                String ptr = "";
                Frame top = stack.peek();
                if (top != null && top.array) {
                    ptr = top.pointer + "/" + (++top.index);
                    where.put(ptr, p.currentTokenLocation());
                } else if (top != null) {
                    ptr = top.pointer + "/" + top.key;
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    stack.push(new Frame(ptr, t == JsonToken.START_ARRAY));
                }
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new GitSyncException(file + ": " + e.getMessage(), e);
        }
    }

    /** An open mapping or list while locating. */
    private static final class Frame {
        final String pointer;
        final boolean array;
        int index = -1;
        String key;

        Frame(String pointer, boolean array) {
            this.pointer = pointer;
            this.array = array;
        }
    }
}
