package dev.capstan.dsl.export;

import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.export.SafeYaml.Mapping;
import dev.capstan.dsl.export.SafeYaml.Node;
import dev.capstan.dsl.export.SafeYaml.Scalar;
import dev.capstan.dsl.export.SafeYaml.Sequence;
import dev.capstan.dsl.format.Formatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code capstan import}: Kubernetes manifests (Namespaces, apps/v1 Deployments, v1 Services; multi-document
 * YAML read by {@link SafeYaml}) to {@code .cap} source in the canonical layout. What {@code .cap} cannot say is
 * never dropped silently: each such field is a W041 warning at its place in the YAML, and listed in a comment at
 * the top of the output. YAML that is refused (aliases, duplicate keys, too deep, too large, not YAML) is E046 and
 * gives no output. What a cluster sets ({@code status}, uid, resourceVersion, timestamps, clusterIP, ...) is
 * left out without a word.
 */
public final class ManifestImport {

    /** The translation: {@code source} is null when an input was refused (see the E046 diagnostics). */
    public record Result(String source, List<Diagnostic> diagnostics) {
        public Result {
            diagnostics = List.copyOf(diagnostics);
        }

        public boolean ok() {
            return source != null;
        }
    }

    /** One Kubernetes object read from a file. */
    record Doc(String path, Mapping node, String kind, String name, String namespace) {
    }

    private final List<Diagnostic> diagnostics = new ArrayList<>();

    private ManifestImport() {
    }

    public static Result translate(List<SourceFile> files) {
        return new ManifestImport().run(files);
    }

    private Result run(List<SourceFile> files) {
        List<Doc> docs = new ArrayList<>();
        boolean refused = false;
        for (SourceFile f : files) {
            try {
                for (Node n : SafeYaml.read(f.text())) {
                    Doc d = doc(f.path(), n);
                    if (d != null) {
                        docs.add(d);
                    }
                }
            } catch (SafeYaml.YamlError e) {
                diagnostics.add(new Diagnostic(ErrorCode.E046.severity(), ErrorCode.E046.name(), f.path(), e.line(),
                        e.column(), e.getMessage(), e.hint()));
                refused = true;
            }
        }
        if (refused) {
            return new Result(null, diagnostics);
        }
        Map<String, Doc> services = new LinkedHashMap<>();
        Map<String, Doc> namespaces = new LinkedHashMap<>();
        List<Doc> deployments = new ArrayList<>();
        for (Doc d : docs) {
            switch (d.kind()) {
                case "Namespace" -> namespaces.put(d.name(), d);
                case "Deployment" -> deployments.add(d);
                case "Service" -> services.put(d.namespace() + "/" + d.name(), d);
                default -> { }
            }
        }
        StringBuilder out = new StringBuilder();
        Map<String, Boolean> declared = new LinkedHashMap<>();
        for (Doc d : namespaces.values()) {
            declared.put(d.name(), true);
            out.append(new Translator(this, d.path()).namespace(d));
        }
        for (Doc d : deployments) {
            if (!declared.containsKey(d.namespace())) {
                declared.put(d.namespace(), true);
                out.append("namespace ").append(Translator.name(d.namespace())).append(" { }\n\n");
            }
        }
        for (Doc d : deployments) {
            Doc service = services.remove(d.namespace() + "/" + d.name());
            out.append(new Translator(this, d.path()).service(d, service));
        }
        for (Doc s : services.values()) {
            note(s.path(), s.node(), "Service '" + s.name() + "' has no Deployment of the same name; capstan makes a "
                    + "Service only for a service with ports", "write a service block with ports for it");
        }
        diagnostics.sort(java.util.Comparator.comparing(Diagnostic::path).thenComparingInt(Diagnostic::line)
                .thenComparingInt(Diagnostic::column));
        StringBuilder header = new StringBuilder("# Translated by capstan import.\n");
        for (Diagnostic n : diagnostics) {
            header.append("# not expressed: ").append(n.location()).append(": ").append(n.message()).append('\n');
        }
        String text = header + "\n" + out;
        Formatter.Result formatted = Formatter.format(new SourceFile("import.cap", text));
        return new Result(formatted.ok() ? formatted.text() : text, diagnostics);
    }

    /** The object's kind, name and namespace, or null (with a note) when it is not translated. */
    private Doc doc(String path, Node n) {
        if (!(n instanceof Mapping m)) {
            note(path, n, "a document that is not a Kubernetes object", null);
            return null;
        }
        String kind = text(m.entries().get("kind"));
        String api = text(m.entries().get("apiVersion"));
        String expectedApi = "Deployment".equals(kind) ? "apps/v1" : "v1";
        boolean known = "Deployment".equals(kind) || "Service".equals(kind) || "Namespace".equals(kind);
        if (!known || !expectedApi.equals(api)) {
            note(path, m, "kind " + kind + " (" + api + ") is not translated", "capstan import reads Namespaces (v1), "
                    + "Deployments (apps/v1) and Services (v1)");
            return null;
        }
        Node meta = m.entries().get("metadata");
        String name = meta instanceof Mapping mm ? text(mm.entries().get("name")) : null;
        if (name == null) {
            note(path, m, kind + " without metadata.name", null);
            return null;
        }
        String ns = meta instanceof Mapping mm ? text(mm.entries().get("namespace")) : null;
        return new Doc(path, m, kind, name, ns == null ? "default" : ns);
    }

    void note(String path, Node at, String message, String hint) {
        diagnostics.add(new Diagnostic(ErrorCode.W041.severity(), ErrorCode.W041.name(), path, at.line(), at.column(),
                message, hint));
    }

    static String text(Node n) {
        return n instanceof Scalar s ? s.text() : null;
    }

    static List<Node> items(Node n) {
        return n instanceof Sequence s ? s.items() : List.of();
    }
}
