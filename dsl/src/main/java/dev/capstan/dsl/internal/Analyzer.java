package dev.capstan.dsl.internal;

import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.Attribute;
import dev.capstan.dsl.ast.CapFile;
import dev.capstan.dsl.ast.Declaration;
import dev.capstan.dsl.ast.Entry;
import dev.capstan.dsl.ast.Identifier;
import dev.capstan.dsl.ast.Location;
import dev.capstan.dsl.ast.NamespaceDecl;
import dev.capstan.dsl.ast.ServiceDecl;
import dev.capstan.dsl.ast.TemplateDecl;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.ObjectMeta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what the files mean, all of them together: names, references between declarations,
 * duplicates, and (through {@link ServiceChecker}) each service's attributes. Reports every problem
 * and returns the checked {@link Program}; lowering runs only when no error was reported.
 */
final class Analyzer {
    /** Labels Capstan sets on every object it emits; a user may not set them. */
    static final Set<String> RESERVED_LABELS = Set.of(Lowering.APP, ObjectMeta.MANAGED_BY);

    private final Reporter reporter;
    private final int maxDeclarations;
    private final List<SelectorUse> selectors = new ArrayList<>();
    private String currentNamespace;
    private final ServiceRefs serviceRefs;
    private final NodePorts nodePorts;

    /** A pod selector written in a service of {@code namespace}, checked against all services at the end. */
    private record SelectorUse(Location at, String namespace, LabelSelector selector) {
    }

    Analyzer(Reporter reporter, int maxDeclarations, int nodePortFirst, int nodePortLast) {
        this.reporter = reporter;
        this.maxDeclarations = maxDeclarations;
        this.serviceRefs = new ServiceRefs(reporter);
        this.nodePorts = new NodePorts(reporter, nodePortFirst, nodePortLast);
    }

    /**
     * Checks the files together.
     *
     * @param allRead false when some file could not be parsed at all; like an incomplete file, it may
     *                declare a namespace, so "unknown namespace" is not reported
     */
    Program analyze(List<CapFile> files, boolean allRead) {
        int count = 0;
        for (CapFile f : files) {
            for (Declaration d : f.declarations()) {
                if (++count > maxDeclarations) {
                    reporter.report(ErrorCode.E090, d.location(), "too many declarations (the limit is "
                            + maxDeclarations + ")", "split the repository or raise the limit");
                    return new Program(List.of(), List.of());
                }
            }
        }
        Map<String, NamespaceDecl> namespaces = new HashMap<>();
        List<Program.NamespaceSpec> namespaceSpecs = new ArrayList<>();
        for (CapFile f : files) {
            for (Declaration d : f.declarations()) {
                if (d instanceof NamespaceDecl) {
                    namespace((NamespaceDecl) d, namespaces, namespaceSpecs);
                }
            }
        }
        boolean namespacesKnown = allRead;
        for (CapFile f : files) {
            namespacesKnown &= f.complete() && f.declarations().stream()
                    .noneMatch(d -> d instanceof NamespaceDecl && d.name() == null);
        }
        Templates templates = new Templates(this, namespacesKnown);
        for (CapFile f : files) {
            for (Declaration d : f.declarations()) {
                if (d instanceof TemplateDecl t) {
                    templates.declare(t);
                }
            }
        }
        Map<String, ServiceDecl> services = new HashMap<>();
        List<Program.ServiceSpec> serviceSpecs = new ArrayList<>();
        List<Program.WorkloadSpec> workloadSpecs = new ArrayList<>();
        ServiceChecker checker = new ServiceChecker(this);
        for (CapFile f : files) {
            for (Declaration d : f.declarations()) {
                if (d instanceof ServiceDecl) {
                    ServiceDecl s = (ServiceDecl) d;
                    String kind = Workloads.kind(s);
                    // one name space for services, jobs and daemons: their pods share the app label
                    boolean registered = serviceHeader(s, namespaces, namespacesKnown, services);
                    currentNamespace = s.namespace() == null ? null : s.namespace().value();
                    ServiceDecl applied = templates.apply(s);
                    Program.ServiceSpec spec = checker.check(applied);
                    if (kind != null) {
                        Program.WorkloadSpec w = Workloads.spec(reporter, applied, kind, spec);
                        if (registered && w != null) {
                            workloadSpecs.add(w);
                        }
                    } else if (registered && spec != null) {
                        serviceSpecs.add(spec);
                    }
                }
            }
        }
        templates.finish();
        serviceRefs.resolve(serviceSpecs, namespacesKnown);
        if (namespacesKnown) {
            List<Program.ServiceSpec> all = new ArrayList<>(serviceSpecs);
            workloadSpecs.forEach(w -> all.add(w.pod()));
            unmatchedSelectors(all);
        }
        return new Program(namespaceSpecs, serviceSpecs, workloadSpecs);
    }

    /** Records a pod selector of the service being checked (for W003). */
    void podSelector(Location at, LabelSelector selector) {
        if (currentNamespace != null) {
            selectors.add(new SelectorUse(at, currentNamespace, selector));
        }
    }

    /** W003 for each pod selector that matches the pods of no service in its namespace. */
    private void unmatchedSelectors(List<Program.ServiceSpec> services) {
        for (SelectorUse use : selectors) {
            List<String> names = new ArrayList<>();
            boolean matched = false;
            for (Program.ServiceSpec s : services) {
                if (s.namespace().equals(use.namespace())) {
                    names.add(s.name());
                    Map<String, String> podLabels = new HashMap<>(s.labels());
                    podLabels.put(Lowering.APP, s.name());
                    matched |= use.selector().matches(podLabels);
                }
            }
            if (!matched) {
                String app = use.selector().matchLabels().get(Lowering.APP);
                String hint = app == null ? null : Suggest.closest(app, names).map(m -> "did you mean app = \""
                        + m + "\"?").orElse(null);
                reporter.report(ErrorCode.W003, use.at(), "this selector matches the pods of no service in namespace '"
                        + use.namespace() + "'", hint != null ? hint
                        : "a service's pods carry app = \"SERVICE\" and the service's labels");
            }
        }
    }

    private void namespace(NamespaceDecl n, Map<String, NamespaceDecl> seen, List<Program.NamespaceSpec> out) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Attribute a : once(n.attributes(), "namespace")) {
            if (a instanceof Attribute.Labels) {
                labels = labels(((Attribute.Labels) a).entries(), Set.of(ObjectMeta.MANAGED_BY));
            }
        }
        if (n.name() == null) {
            return;
        }
        String name = n.name().value();
        boolean valid = name(n.name(), "namespace");
        NamespaceDecl first = seen.putIfAbsent(name, n);
        if (first != null) {
            reporter.report(ErrorCode.E006, n.name().location(), "namespace '" + name + "' is already declared at "
                    + first.name().location(), "declare each namespace once");
        } else if (valid) {
            out.add(new Program.NamespaceSpec(name, labels, source(n.location())));
        }
    }

    /** Checks the name and namespace of a service; true when it may be lowered. */
    private boolean serviceHeader(ServiceDecl s, Map<String, NamespaceDecl> namespaces, boolean namespacesKnown,
                                  Map<String, ServiceDecl> seen) {
        boolean ok = s.name() != null && s.namespace() != null;
        if (s.name() != null) {
            ok &= name(s.name(), "service");
        }
        if (s.namespace() == null) {
            return false;
        }
        String ns = s.namespace().value();
        if (!namespaces.containsKey(ns) && !namespacesKnown) {
            ok = false; // a namespace block the parser could not read may have declared it
        } else if (!namespaces.containsKey(ns)) {
            String declare = "declare it: namespace " + ns + " { }";
            String hint = Suggest.closest(ns, namespaces.keySet())
                    .map(m -> "did you mean '" + m + "'? or " + declare).orElse(declare);
            reporter.report(ErrorCode.E005, s.namespace().location(), "unknown namespace '" + ns + "'", hint);
            ok = false;
        }
        if (s.name() != null) {
            ServiceDecl first = seen.putIfAbsent(ns + "/" + s.name().value(), s);
            if (first != null) {
                reporter.report(ErrorCode.E006, s.name().location(), "service '" + s.name().value()
                        + "' is already declared in namespace '" + ns + "' at " + first.name().location(),
                        "service names are unique within a namespace");
                ok = false;
            }
        }
        return ok;
    }

    /** Checks a service or namespace name (E004); true when valid. */
    boolean name(Identifier id, String kind) {
        String problem = Names.dnsLabel(id.value());
        if (problem == null) {
            return true;
        }
        String fix = Names.fix(id.value(), Names.MAX_NAME);
        reporter.report(ErrorCode.E004, id.location(), "invalid " + kind + " name '" + id.value() + "': " + problem,
                fix == null ? "names are DNS labels: lowercase letters, digits and '-', at most 63 characters"
                        : "try '" + fix + "'");
        return false;
    }

    /**
     * The attributes in order with repeats reported (E003) and left out; {@code port} may repeat.
     *
     * @param owner "service" or "namespace", for the hint
     */
    List<Attribute> once(List<Attribute> attributes, String owner) {
        Map<String, Attribute> first = new HashMap<>();
        List<Attribute> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.repeatable()) {
                out.add(a);
                continue;
            }
            Attribute earlier = first.putIfAbsent(a.keyword(), a);
            if (earlier == null) {
                out.add(a);
            } else {
                reporter.report(ErrorCode.E003, a.location(), "'" + a.keyword() + "' is already set at line "
                        + earlier.location().line(), "each attribute appears once in a " + owner + "; remove one");
            }
        }
        return out;
    }

    /** Label entries, checked (E012, E013, E016); keeps the first of repeated keys. */
    Map<String, String> labels(List<Entry> entries, Set<String> reserved) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Entry e : unique(entries, "label")) {
            String keyProblem = Names.labelKey(e.key());
            if (keyProblem != null) {
                reporter.report(ErrorCode.E013, e.location(), "invalid label key '" + e.key() + "'", keyProblem);
            } else if (reserved.contains(e.key())) {
                reporter.report(ErrorCode.E016, e.location(), "label '" + e.key() + "' is set by capstan",
                        "remove it; capstan sets " + e.key() + (e.key().equals(Lowering.APP)
                                ? " to the service name to select its pods" : " on everything it manages"));
            }
            String valueProblem = Names.labelValue(e.value().value());
            if (valueProblem != null) {
                reporter.report(ErrorCode.E013, e.value().location(), "invalid label value '" + e.value().value()
                        + "'", valueProblem);
            }
            labels.put(e.key(), e.value().value());
        }
        return labels;
    }

    /** The entries without repeated keys; each repeat is reported (E012). */
    List<Entry> unique(List<Entry> entries, String what) {
        Map<String, Entry> first = new HashMap<>();
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            Entry earlier = first.putIfAbsent(e.key(), e);
            if (earlier == null) {
                out.add(e);
            } else {
                reporter.report(ErrorCode.E012, e.location(), "duplicate " + what + " '" + e.key()
                        + "' (first set at line " + earlier.location().line() + ")", "remove one of them");
            }
        }
        return out;
    }

    /** The node ports of all services compiled together (E063 for one used twice). */
    NodePorts nodePorts() {
        return nodePorts;
    }

    ServiceRefs serviceRefs() {
        return serviceRefs;
    }

    Reporter reporter() {
        return reporter;
    }

    static String source(Location l) {
        return l.path() + ":" + l.line();
    }
}
