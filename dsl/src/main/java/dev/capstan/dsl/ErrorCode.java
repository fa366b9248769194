package dev.capstan.dsl;

/**
 * The stable codes of {@link Diagnostic#code()}. A code, once released, keeps its meaning; new
 * problems get new codes. The same table is in {@code dsl/README.md} (a test keeps them in step).
 */
public enum ErrorCode {
    /** Syntax: an unexpected token or character, an unterminated string, a block without its '}'. */
    E001(Severity.ERROR, "syntax error"),
    /** A word where an attribute or declaration belongs that is none, usually a misspelling. */
    E002(Severity.ERROR, "unknown attribute or declaration"),
    /** The same attribute twice in one block ({@code port} excepted). */
    E003(Severity.ERROR, "duplicate attribute"),
    /** A service, namespace or port name that Kubernetes would not accept. */
    E004(Severity.ERROR, "invalid name"),
    /** A service placed in a namespace that no file declares. */
    E005(Severity.ERROR, "unknown namespace"),
    /** A namespace declared twice, or two services of one name in one namespace. */
    E006(Severity.ERROR, "duplicate declaration"),
    /** A required attribute ({@code image}) missing or empty. */
    E007(Severity.ERROR, "missing required attribute"),
    /** A cpu or memory quantity with a missing or unknown unit, or out of range. */
    E008(Severity.ERROR, "invalid quantity"),
    /** A resource other than {@code cpu} and {@code memory}. */
    E009(Severity.ERROR, "unknown resource"),
    /** A number out of its range or not whole (replicas, port numbers). */
    E010(Severity.ERROR, "number out of range"),
    /** Two ports of one service with the same name, container port or exposed port. */
    E011(Severity.ERROR, "duplicate port"),
    /** The same key twice in one map ({@code env}, {@code labels}, {@code resources}). */
    E012(Severity.ERROR, "duplicate key"),
    /** A label key or value that Kubernetes would not accept. */
    E013(Severity.ERROR, "invalid label"),
    /** An environment variable name that Kubernetes would not accept. */
    E014(Severity.ERROR, "invalid environment variable name"),
    /** An unknown escape sequence in a string. */
    E015(Severity.ERROR, "invalid escape"),
    /** A label that Capstan sets itself ({@code app}, {@code app.kubernetes.io/managed-by}). */
    E016(Severity.ERROR, "reserved label"),
    /** A duration without a unit, with an unknown unit, or not a whole number of seconds. */
    E017(Severity.ERROR, "invalid duration"),
    /** A probe naming a port that the service does not declare. */
    E018(Severity.ERROR, "unknown port"),
    /** A word or string that is not one of the values an attribute takes (restart policy, taint effect, ...). */
    E019(Severity.ERROR, "invalid value"),
    /** A label selector that can never match: empty, or an {@code in} without values. */
    E020(Severity.ERROR, "invalid selector"),
    /** Settings that contradict each other (both update limits 0, {@code for} without no-execute). */
    E021(Severity.ERROR, "conflicting settings"),
    /** A template that extends itself, directly or through others. */
    E022(Severity.ERROR, "template cycle"),
    /** {@code extends} naming a template that no file declares. */
    E023(Severity.ERROR, "unknown template"),
    /** A constant name that is neither declared in the file nor imported into it. */
    E040(Severity.ERROR, "unknown constant"),
    /** Constants defined through each other in a circle. */
    E041(Severity.ERROR, "constant cycle"),
    /** A constant used where its kind of value does not go (a list for a string, a string for a number). */
    E042(Severity.ERROR, "constant of the wrong kind"),
    /** An import naming no file compiled together, or a path that leaves the directory compiled. */
    E043(Severity.ERROR, "invalid import"),
    /** Files importing each other in a circle. */
    E044(Severity.ERROR, "import cycle"),
    /** An import list naming something the imported file does not declare. */
    E045(Severity.ERROR, "unknown imported name"),
    /** {@code capstan import}: YAML refused (an alias, a duplicate key, too deep, too large, not YAML). */
    E046(Severity.ERROR, "YAML refused"),
    /** {@code service("x")} naming a service that no file declares. */
    E060(Severity.ERROR, "unknown service"),
    /** {@code service("x").url} or {@code .port} of a service that declares no port. */
    E061(Severity.ERROR, "service has no port"),
    /** A service reference where only a string may stand (outside {@code env}), or an unknown field of one. */
    E062(Severity.ERROR, "invalid service reference"),
    /** A {@code node-port} outside 30000-32767, or one that another service's port already uses. */
    E063(Severity.ERROR, "invalid node port"),
    /** {@code node-port} followed by a word other than {@code auto}. */
    E064(Severity.ERROR, "invalid node port word"),
    /** A node port that another service already holds in the cluster (reported when a commit is applied). */
    E065(Severity.ERROR, "node port already allocated"),
    /** A policy block with a bad or missing part: applies-to kind, mode, no {@code deny if}, an empty condition. */
    E050(Severity.ERROR, "invalid policy"),
    /** {@code bind}, {@code exception} or {@code expect ... by} naming a policy that no file declares. */
    E051(Severity.ERROR, "unknown policy"),
    /** A parameter with a bad name or value, or a binding setting one its policy does not declare. */
    E052(Severity.ERROR, "invalid parameter"),
    /** An exception without a policy, without objects or match, or without a reason. */
    E053(Severity.ERROR, "invalid exception"),
    /** A test item with an unknown expectation. */
    E054(Severity.ERROR, "invalid test"),
    /** A CEL expression that does not parse. */
    E055(Severity.ERROR, "CEL syntax error"),
    /** A CEL expression that does not type-check against the object shape, or a condition that is not a bool. */
    E056(Severity.ERROR, "CEL type error"),
    /** A policy that failed on an object: a runtime error, or over its cost or time limit. */
    E057(Severity.ERROR, "policy evaluation error"),
    /** An object that an enforce-mode policy denies. */
    E058(Severity.ERROR, "denied by policy"),
    /** git-sync: an object that another followed source already declares (reported at both places). */
    E070(Severity.ERROR, "object of another source"),
    /** git-sync with {@code --verify-signatures}: a commit without a signature. */
    E080(Severity.ERROR, "unsigned commit"),
    /** git-sync with {@code --verify-signatures}: a signature of a kind that cannot be verified here (GPG). */
    E081(Severity.ERROR, "unverifiable signature"),
    /** git-sync with {@code --verify-signatures}: a signature by a key that is not trusted, or a broken one. */
    E082(Severity.ERROR, "untrusted signature"),
    /** A limit of the compiler: file size, tokens, nesting, declarations, errors per file. */
    E090(Severity.ERROR, "limit exceeded"),
    /** A bug in the compiler; the message says what failed. Please report it. */
    E099(Severity.ERROR, "internal compiler error"),
    /** {@code ${...}} in a string: passed to the container as written, not expanded. */
    W001(Severity.WARNING, "interpolation passed through"),
    /** {@code restart on-failure|never} on a service: Kubernetes accepts only Always in a Deployment. */
    W002(Severity.WARNING, "restart policy not for Deployments"),
    /** A pod selector that matches the pods of no service compiled together. */
    W003(Severity.WARNING, "selector matches no service"),
    /** A template that no service extends (its attributes are not checked). */
    W004(Severity.WARNING, "unused template"),
    /** A constant that nothing uses (reported only when nothing else is wrong). */
    W040(Severity.WARNING, "unused constant"),
    /** {@code capstan import}: a Kubernetes field that {@code .cap} cannot express, left out of the translation. */
    W041(Severity.WARNING, "not expressed in .cap"),
    /** An object that a warn-mode policy flags (applied anyway). */
    W050(Severity.WARNING, "policy warning"),
    /** An object that an audit-mode policy flags (recorded only). */
    W051(Severity.WARNING, "policy audit"),
    /** An exception's {@code objects} entry that names no object of the compiled revision (it exempts nothing). */
    W052(Severity.WARNING, "exception names no object");

    private final Severity severity;
    private final String title;

    ErrorCode(Severity severity, String title) {
        this.severity = severity;
        this.title = title;
    }

    public Severity severity() {
        return severity;
    }

    /** A few words naming the kind of problem, as in the README table. */
    public String title() {
        return title;
    }
}
