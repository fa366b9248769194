package dev.capstan.dsl.internal;

import dev.capstan.dsl.CapBaseVisitor;
import dev.capstan.dsl.CapParser;
import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.Attribute;
import dev.capstan.dsl.ast.CapFile;
import dev.capstan.dsl.ast.Declaration;
import dev.capstan.dsl.ast.Entry;
import dev.capstan.dsl.ast.ServiceRef;
import dev.capstan.dsl.ast.Identifier;
import dev.capstan.dsl.ast.Location;
import dev.capstan.dsl.ast.NamespaceDecl;
import dev.capstan.dsl.ast.NumberLit;
import dev.capstan.dsl.ast.ServiceDecl;
import dev.capstan.dsl.ast.StringLit;
import dev.capstan.dsl.ast.TemplateDecl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Parse tree to AST. A part the parser had to recover from (it holds an error node or a caught
 * exception; the syntax error is already reported) is left out, and its declaration is marked
 * incomplete, so that the analyzer never reports a consequence of a syntax error. Resolves string
 * escapes (E015). One instance per file.
 */
final class AstBuilder extends CapBaseVisitor<Attribute> {
    private final String path;
    private final Reporter reporter;
    private final Constants.Scope constants;
    /** True when the parser recovered nowhere in the file: then no part needs the (costly) damage check. */
    private final boolean clean;
    /** Set when an attribute of the declaration being built used a constant that has no value. */
    private boolean unresolved;

    AstBuilder(String path, Reporter reporter, Constants.Scope constants, boolean clean) {
        this.path = path;
        this.reporter = reporter;
        this.constants = constants;
        this.clean = clean;
    }

    CapFile file(CapParser.FileContext ctx) {
        List<Declaration> declarations = new ArrayList<>();
        boolean complete = ctx.exception == null;
        for (ParseTree child : ctx.children == null ? List.<ParseTree>of() : ctx.children) {
            complete &= !(child instanceof ErrorNode);
        }
        for (CapParser.DeclarationContext d : ctx.declaration()) {
            if (d.namespaceDecl() != null) {
                declarations.add(namespace(d.namespaceDecl()));
            } else if (d.serviceDecl() != null) {
                declarations.add(service(d.serviceDecl()));
            } else if (d.templateDecl() != null) {
                declarations.add(template(d.templateDecl()));
            } else if (d.workloadDecl() != null) {
                declarations.add(workload(d.workloadDecl()));
            } else if (d.constDecl() != null || d.importDecl() != null) {
                continue; // resolved before the AST is built (Constants, Imports)
            } else if (d.policyDecl() != null || d.bindDecl() != null || d.exceptionDecl() != null
                    || d.testDecl() != null) {
                declarations.add(new PolicyBuilder(this, path, reporter).declaration(d));
            } else {
                complete = false;
            }
        }
        return new CapFile(new Location(path, 1, 1), declarations, complete);
    }

    NamespaceDecl namespace(CapParser.NamespaceDeclContext ctx) {
        unresolved = false;
        List<Attribute> attributes = new ArrayList<>();
        if (ctx.namespaceBody() != null) {
            for (CapParser.NamespaceAttributeContext a : ctx.namespaceBody().namespaceAttribute()) {
                attribute(a, attributes);
            }
        }
        return new NamespaceDecl(at(ctx.getStart()), identifier(ctx.name), attributes, !damaged(ctx) && !unresolved);
    }

    ServiceDecl service(CapParser.ServiceDeclContext ctx) {
        unresolved = false;
        List<Attribute> attributes = new ArrayList<>();
        if (ctx.serviceBody() != null) {
            for (CapParser.ServiceAttributeContext a : ctx.serviceBody().serviceAttribute()) {
                attribute(a, attributes);
            }
        }
        return new ServiceDecl(at(ctx.getStart()), identifier(ctx.name), identifier(ctx.namespace),
                ctx.template == null ? null : identifier(ctx.template), attributes, !damaged(ctx) && !unresolved);
    }

    /** A {@code job} or {@code daemon} block: a service declaration led by an {@link Attribute.Workload} marker. */
    private ServiceDecl workload(CapParser.WorkloadDeclContext ctx) {
        unresolved = false;
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(new Attribute.Workload(at(ctx.getStart()), ctx.kind.getText()));
        if (ctx.serviceBody() != null) {
            for (CapParser.ServiceAttributeContext a : ctx.serviceBody().serviceAttribute()) {
                attribute(a, attributes);
            }
        }
        return new ServiceDecl(at(ctx.getStart()), identifier(ctx.name), identifier(ctx.namespace),
                ctx.template == null ? null : identifier(ctx.template), attributes, !damaged(ctx) && !unresolved);
    }

    private TemplateDecl template(CapParser.TemplateDeclContext ctx) {
        unresolved = false;
        List<Attribute> attributes = new ArrayList<>();
        if (ctx.serviceBody() != null) {
            for (CapParser.ServiceAttributeContext a : ctx.serviceBody().serviceAttribute()) {
                attribute(a, attributes);
            }
        }
        return new TemplateDecl(at(ctx.getStart()), identifier(ctx.name),
                ctx.parent == null ? null : identifier(ctx.parent), attributes, !damaged(ctx) && !unresolved);
    }

    private void attribute(ParserRuleContext ctx, List<Attribute> out) {
        if (!damaged(ctx)) {
            try {
                Attribute a = visit(ctx);
                if (a != null) {
                    out.add(a);
                }
            } catch (Constants.Unresolved e) {
                unresolved = true; // reported where the constant is used or declared
            }
        }
    }

    @Override
    public Attribute visitNamespaceLabelsAttribute(CapParser.NamespaceLabelsAttributeContext ctx) {
        return new Attribute.Labels(at(ctx.getStart()), entries(ctx.map()));
    }

    @Override
    public Attribute visitImageAttribute(CapParser.ImageAttributeContext ctx) {
        return new Attribute.Image(at(ctx.getStart()), string(ctx.value));
    }

    @Override
    public Attribute visitCommandAttribute(CapParser.CommandAttributeContext ctx) {
        return new Attribute.Command(at(ctx.getStart()), strings(ctx.stringList()));
    }

    @Override
    public Attribute visitArgsAttribute(CapParser.ArgsAttributeContext ctx) {
        return new Attribute.Args(at(ctx.getStart()), strings(ctx.stringList()));
    }

    @Override
    public Attribute visitEnvAttribute(CapParser.EnvAttributeContext ctx) {
        return new Attribute.Env(at(ctx.getStart()), entries(ctx.map(), true));
    }

    @Override
    public Attribute visitReplicasAttribute(CapParser.ReplicasAttributeContext ctx) {
        return new Attribute.Replicas(at(ctx.getStart()), number(ctx.count));
    }

    @Override
    public Attribute visitPortAttribute(CapParser.PortAttributeContext ctx) {
        return new Attribute.Port(at(ctx.getStart()), identifier(ctx.name), number(ctx.number),
                ctx.exposed == null ? null : number(ctx.exposed), ctx.nodePort == null ? null : number(ctx.nodePort),
                ctx.nodePortWord == null ? null : new Identifier(at(ctx.nodePortWord), ctx.nodePortWord.getText()));
    }

    @Override
    public Attribute visitLabelsAttribute(CapParser.LabelsAttributeContext ctx) {
        return new Attribute.Labels(at(ctx.getStart()), entries(ctx.map()));
    }

    @Override
    public Attribute visitResourcesAttribute(CapParser.ResourcesAttributeContext ctx) {
        List<Attribute.Resource> entries = new ArrayList<>();
        for (CapParser.ResourceContext r : ctx.resources().resource()) {
            entries.add(new Attribute.Resource(at(r.getStart()), identifier(r.name), number(r.amount.getStart())));
        }
        return new Attribute.Resources(at(ctx.getStart()), entries);
    }

    @Override
    public Attribute visitAnnotationsAttribute(CapParser.AnnotationsAttributeContext ctx) {
        return new Attribute.Annotations(at(ctx.getStart()), entries(ctx.map()));
    }

    @Override
    public Attribute visitRestartAttribute(CapParser.RestartAttributeContext ctx) {
        return new Attribute.Restart(at(ctx.getStart()), identifier(ctx.policy));
    }

    @Override
    public Attribute visitProbeAttribute(CapParser.ProbeAttributeContext ctx) {
        List<Attribute.Setting> settings = new ArrayList<>();
        for (CapParser.ProbeOptionContext o : ctx.probeOption()) {
            Token value = o.amount != null ? o.amount.getStart() : o.count;
            settings.add(new Attribute.Setting(at(o.key), o.key.getText(), number(value)));
        }
        CapParser.ProbeActionContext action = ctx.probeAction();
        Location where = at(ctx.getStart());
        String kind = ctx.kind.getText();
        if (action instanceof CapParser.HttpProbeContext h) {
            return new Attribute.Probe(where, kind, h.scheme.getText(), string(h.path), identifier(h.port), List.of(),
                    settings);
        }
        if (action instanceof CapParser.TcpProbeContext t) {
            return new Attribute.Probe(where, kind, "tcp", null, identifier(t.port), List.of(), settings);
        }
        CapParser.ExecProbeContext e = (CapParser.ExecProbeContext) action;
        return new Attribute.Probe(where, kind, "exec", null, null, strings(e.stringList()), settings);
    }

    @Override
    public Attribute visitStopGraceAttribute(CapParser.StopGraceAttributeContext ctx) {
        return new Attribute.StopGrace(at(ctx.getStart()), number(ctx.duration.getStart()));
    }

    @Override
    public Attribute visitUpdateAttribute(CapParser.UpdateAttributeContext ctx) {
        List<Attribute.Setting> settings = new ArrayList<>();
        for (CapParser.UpdateSettingContext u : ctx.updateSettings().updateSetting()) {
            settings.add(new Attribute.Setting(at(u.key), u.key.getText(), number(u.amount)));
        }
        return new Attribute.Update(at(ctx.getStart()), settings);
    }

    @Override
    public Attribute visitNodeSelectorAttribute(CapParser.NodeSelectorAttributeContext ctx) {
        return new Attribute.NodeSelector(at(ctx.getStart()), entries(ctx.map()));
    }

    @Override
    public Attribute visitNodeAffinityAttribute(CapParser.NodeAffinityAttributeContext ctx) {
        return new Attribute.NodeAffinity(at(ctx.getStart()), placement(ctx.placement()), selector(ctx.selector()));
    }

    @Override
    public Attribute visitPodAffinityAttribute(CapParser.PodAffinityAttributeContext ctx) {
        return new Attribute.PodAffinity(at(ctx.getStart()), ctx.kind.getType() == CapParser.POD_ANTI_AFFINITY,
                placement(ctx.placement()), topology(ctx.topology()), selector(ctx.selector()));
    }

    @Override
    public Attribute visitSpreadAttribute(CapParser.SpreadAttributeContext ctx) {
        boolean required = ctx.strength != null && ctx.strength.getType() == CapParser.REQUIRED;
        return new Attribute.Spread(at(ctx.getStart()), required, topology(ctx.topology()),
                ctx.skew == null ? null : number(ctx.skew), ctx.selector() == null ? null : selector(ctx.selector()));
    }

    @Override
    public Attribute visitTolerateAttribute(CapParser.TolerateAttributeContext ctx) {
        Token key = ctx.key.getStart();
        return new Attribute.Tolerate(at(ctx.getStart()), at(key), keyText(key),
                ctx.value == null ? null : string(ctx.value), ctx.effect == null ? null : identifier(ctx.effect),
                ctx.seconds == null ? null : number(ctx.seconds.getStart()));
    }

    @Override
    public Attribute visitPriorityAttribute(CapParser.PriorityAttributeContext ctx) {
        return new Attribute.Priority(at(ctx.getStart()), number(ctx.value));
    }

    @Override
    public Attribute visitJobAttribute(CapParser.JobAttributeContext ctx) {
        return new Attribute.JobSetting(at(ctx.getStart()), ctx.key.getText(), number(ctx.count));
    }

    private Attribute.Placement placement(CapParser.PlacementContext ctx) {
        return new Attribute.Placement(at(ctx.getStart()), ctx.REQUIRED() != null,
                ctx.weight == null ? null : number(ctx.weight));
    }

    private Attribute.Topology topology(CapParser.TopologyContext ctx) {
        Token t = ctx.getStart();
        boolean quoted = t.getType() == CapParser.STRING;
        return new Attribute.Topology(at(t), quoted ? string(t).value() : t.getText(), quoted);
    }

    List<Attribute.Requirement> selector(CapParser.SelectorContext ctx) {
        List<Attribute.Requirement> out = new ArrayList<>();
        for (CapParser.RequirementContext r : ctx.requirement()) {
            out.add(requirement(r));
        }
        return out;
    }

    private Attribute.Requirement requirement(CapParser.RequirementContext r) {
        if (r instanceof CapParser.EqualsRequirementContext e) {
            return req(e.key, "=", List.of(string(e.value)));
        }
        if (r instanceof CapParser.NotEqualsRequirementContext e) {
            return req(e.key, "!=", List.of(string(e.value)));
        }
        if (r instanceof CapParser.InRequirementContext e) {
            return req(e.key, "in", values(e.valueSet()));
        }
        if (r instanceof CapParser.NotInRequirementContext e) {
            return req(e.key, "notin", values(e.valueSet()));
        }
        if (r instanceof CapParser.AbsentRequirementContext e) {
            return req(e.key, "!", List.of());
        }
        return req(((CapParser.ExistsRequirementContext) r).key, "exists", List.of());
    }

    private Attribute.Requirement req(CapParser.MapKeyContext key, String operator, List<StringLit> values) {
        return new Attribute.Requirement(at(key.getStart()), keyText(key.getStart()), operator, values);
    }

    private List<StringLit> values(CapParser.ValueSetContext ctx) {
        if (ctx.LPAREN() == null) {
            return constantList(ctx.CONST_NAME().getSymbol());
        }
        return items(ctx.item());
    }

    private List<StringLit> items(List<CapParser.ItemContext> items) {
        List<StringLit> out = new ArrayList<>();
        for (CapParser.ItemContext item : items) {
            Token t = item.getStart();
            if (t.getType() == CapParser.CONST_NAME) {
                Location where = at(t);
                for (String s : constants.items(t, new java.util.ArrayDeque<>())) {
                    out.add(new StringLit(where, s));
                }
            } else {
                out.add(string(t));
            }
        }
        return out;
    }

    private List<StringLit> constantList(Token ref) {
        Location where = at(ref);
        List<StringLit> out = new ArrayList<>();
        for (String s : constants.list(ref)) {
            out.add(new StringLit(where, s));
        }
        return out;
    }

    private String keyText(Token key) {
        return key.getType() == CapParser.STRING ? string(key).value() : key.getText();
    }

    private List<Entry> entries(CapParser.MapContext ctx) {
        return entries(ctx, false);
    }

    /** The map's entries; a service reference outside an env map is reported (E062) and left out. */
    private List<Entry> entries(CapParser.MapContext ctx, boolean refsAllowed) {
        List<Entry> entries = new ArrayList<>();
        for (CapParser.MapEntryContext e : ctx.mapEntry()) {
            if (e.spread != null) {
                constantEntries(e.spread, entries);
                continue;
            }
            Token key = e.key.getStart();
            if (e.value != null) {
                entries.add(new Entry(at(key), keyText(key), string(e.value)));
            } else if (e.ref != null && !damaged(e.ref)) {
                ServiceRef ref = new ServiceRef(at(e.ref.getStart()), string(e.ref.target), identifier(e.ref.field));
                if (!refsAllowed) {
                    reporter.report(ErrorCode.E062, ref.location(), "a service reference is only allowed as an env "
                            + "value", "write the value as a string: " + keyText(key) + " = \"...\"");
                    continue;
                }
                entries.add(new Entry(at(key), keyText(key), new StringLit(ref.location(), e.ref.getText()), ref));
            }
        }
        return entries;
    }

    private void constantEntries(Token ref, List<Entry> out) {
        Location where = at(ref);
        for (Map.Entry<String, String> e : constants.map(ref)) {
            out.add(new Entry(where, e.getKey(), new StringLit(where, e.getValue())));
        }
    }

    List<StringLit> strings(CapParser.StringListContext ctx) {
        if (ctx.LBRACK() == null) {
            return constantList(ctx.CONST_NAME().getSymbol());
        }
        return items(ctx.item());
    }

    StringLit string(Token t) {
        if (t.getType() == CapParser.CONST_NAME) {
            return new StringLit(at(t), constants.string(t));
        }
        Location start = at(t);
        String value = Strings.unquote(t.getText(), (offset, escape) -> reporter.report(ErrorCode.E015, path,
                start.line(), start.column() + offset, "unknown escape '" + escape + "' in a string", Strings.ESCAPES));
        return new StringLit(start, value);
    }

    private NumberLit number(Token t) {
        if (t.getType() == CapParser.CONST_NAME) {
            return new NumberLit(at(t), constants.number(t));
        }
        return new NumberLit(at(t), t.getText());
    }

    /** The name, or null when the parser could not read one. */
    Identifier identifier(CapParser.IdentifierContext ctx) {
        if (ctx == null || damaged(ctx) || ctx.getStart() == null || ctx.getStart().getType() == Token.EOF) {
            return null;
        }
        return new Identifier(at(ctx.getStart()), ctx.getText());
    }

    Location at(Token t) {
        return new Location(path, t.getLine(), t.getCharPositionInLine() + 1);
    }

    boolean damaged(ParseTree tree) {
        return !clean && damagedTree(tree);
    }

    /** True when the parser recovered from an error somewhere in {@code tree}. */
    static boolean isDamaged(ParseTree tree) {
        return damagedTree(tree);
    }

    private static boolean damagedTree(ParseTree tree) {
        if (tree instanceof ErrorNode) {
            return true;
        }
        if (tree instanceof ParserRuleContext && ((ParserRuleContext) tree).exception != null) {
            return true;
        }
        for (int i = 0; i < tree.getChildCount(); i++) {
            if (damagedTree(tree.getChild(i))) {
                return true;
            }
        }
        return false;
    }
}
