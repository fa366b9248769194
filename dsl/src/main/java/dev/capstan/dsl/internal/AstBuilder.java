package dev.capstan.dsl.internal;

import dev.capstan.dsl.CapBaseVisitor;
import dev.capstan.dsl.CapParser;
import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.Attribute;
import dev.capstan.dsl.ast.CapFile;
import dev.capstan.dsl.ast.Declaration;
import dev.capstan.dsl.ast.Entry;
import dev.capstan.dsl.ast.Identifier;
import dev.capstan.dsl.ast.Location;
import dev.capstan.dsl.ast.NamespaceDecl;
import dev.capstan.dsl.ast.NumberLit;
import dev.capstan.dsl.ast.ServiceDecl;
import dev.capstan.dsl.ast.StringLit;
import java.util.ArrayList;
import java.util.List;
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

    AstBuilder(String path, Reporter reporter) {
        this.path = path;
        this.reporter = reporter;
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
            } else {
                complete = false;
            }
        }
        return new CapFile(new Location(path, 1, 1), declarations, complete);
    }

    private NamespaceDecl namespace(CapParser.NamespaceDeclContext ctx) {
        List<Attribute> attributes = new ArrayList<>();
        if (ctx.namespaceBody() != null) {
            for (CapParser.NamespaceAttributeContext a : ctx.namespaceBody().namespaceAttribute()) {
                attribute(a, attributes);
            }
        }
        return new NamespaceDecl(at(ctx.getStart()), identifier(ctx.name), attributes, !damaged(ctx));
    }

    private ServiceDecl service(CapParser.ServiceDeclContext ctx) {
        List<Attribute> attributes = new ArrayList<>();
        if (ctx.serviceBody() != null) {
            for (CapParser.ServiceAttributeContext a : ctx.serviceBody().serviceAttribute()) {
                attribute(a, attributes);
            }
        }
        return new ServiceDecl(at(ctx.getStart()), identifier(ctx.name), identifier(ctx.namespace), attributes,
                !damaged(ctx));
    }

    private void attribute(ParserRuleContext ctx, List<Attribute> out) {
        if (!damaged(ctx)) {
            Attribute a = visit(ctx);
            if (a != null) {
                out.add(a);
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
        return new Attribute.Env(at(ctx.getStart()), entries(ctx.map()));
    }

    @Override
    public Attribute visitReplicasAttribute(CapParser.ReplicasAttributeContext ctx) {
        return new Attribute.Replicas(at(ctx.getStart()), number(ctx.count));
    }

    @Override
    public Attribute visitPortAttribute(CapParser.PortAttributeContext ctx) {
        return new Attribute.Port(at(ctx.getStart()), identifier(ctx.name), number(ctx.number),
                ctx.exposed == null ? null : number(ctx.exposed));
    }

    @Override
    public Attribute visitLabelsAttribute(CapParser.LabelsAttributeContext ctx) {
        return new Attribute.Labels(at(ctx.getStart()), entries(ctx.map()));
    }

    @Override
    public Attribute visitResourcesAttribute(CapParser.ResourcesAttributeContext ctx) {
        List<Attribute.Resource> entries = new ArrayList<>();
        for (CapParser.ResourceContext r : ctx.resources().resource()) {
            entries.add(new Attribute.Resource(at(r.getStart()), identifier(r.name),
                    new NumberLit(at(r.amount.getStart()), r.amount.getText())));
        }
        return new Attribute.Resources(at(ctx.getStart()), entries);
    }

    private List<Entry> entries(CapParser.MapContext ctx) {
        List<Entry> entries = new ArrayList<>();
        for (CapParser.MapEntryContext e : ctx.mapEntry()) {
            Token key = e.key.getStart();
            String text = key.getType() == CapParser.STRING ? string(key).value() : key.getText();
            entries.add(new Entry(at(key), text, string(e.value)));
        }
        return entries;
    }

    private List<StringLit> strings(CapParser.StringListContext ctx) {
        List<StringLit> items = new ArrayList<>();
        for (TerminalNode s : ctx.STRING()) {
            items.add(string(s.getSymbol()));
        }
        return items;
    }

    private StringLit string(Token t) {
        Location start = at(t);
        String value = Strings.unquote(t.getText(), (offset, escape) -> reporter.report(ErrorCode.E015, path,
                start.line(), start.column() + offset, "unknown escape '" + escape + "' in a string", Strings.ESCAPES));
        return new StringLit(start, value);
    }

    private NumberLit number(Token t) {
        return new NumberLit(at(t), t.getText());
    }

    /** The name, or null when the parser could not read one. */
    private Identifier identifier(CapParser.IdentifierContext ctx) {
        if (ctx == null || damaged(ctx) || ctx.getStart() == null || ctx.getStart().getType() == Token.EOF) {
            return null;
        }
        return new Identifier(at(ctx.getStart()), ctx.getText());
    }

    private Location at(Token t) {
        return new Location(path, t.getLine(), t.getCharPositionInLine() + 1);
    }

    /** True when the parser recovered from an error somewhere in {@code tree}. */
    static boolean damaged(ParseTree tree) {
        if (tree instanceof ErrorNode) {
            return true;
        }
        if (tree instanceof ParserRuleContext && ((ParserRuleContext) tree).exception != null) {
            return true;
        }
        for (int i = 0; i < tree.getChildCount(); i++) {
            if (damaged(tree.getChild(i))) {
                return true;
            }
        }
        return false;
    }
}
