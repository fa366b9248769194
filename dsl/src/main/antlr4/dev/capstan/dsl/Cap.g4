/*
 * The .cap language: syntax only.
 *
 * This file says what is well formed and nothing more: no actions, no predicates, no checks of
 * names, numbers or units. The AST builder (dev.capstan.dsl.internal.AstBuilder) turns the parse
 * tree into dev.capstan.dsl.ast nodes; the analyzer checks meaning; lowering emits the model.
 *
 * Statements delimit themselves (a keyword starts each one), so newlines carry no meaning here;
 * `capstan fmt` puts one attribute per line.
 *
 * Adding an attribute: a keyword token below, an alternative in serviceAttribute (labelled
 * #somethingAttribute), the keyword in nonReserved, then the builder, analyzer and lowering.
 * Error messages list attributes from this grammar (the FIRST set of serviceAttribute), so they
 * follow without further change.
 */
grammar Cap;

// Token types the lexer never emits itself: after DENY_IF, SourceParser reads the CEL condition raw
// (up to the word `message` or the block's '}' outside brackets and strings) as one CEL_COND token,
// then MESSAGE for the word `message`.
tokens { CEL_COND, MESSAGE }

file
    : declaration* EOF
    ;

declaration
    : namespaceDecl
    | serviceDecl
    | templateDecl
    | workloadDecl
    | constDecl
    | importDecl
    | policyDecl
    | bindDecl
    | exceptionDecl
    | testDecl
    ;

// ---- const NAME = value: a value used by name (NAME in capitals) wherever such a value goes ----

constDecl
    : CONST name=CONST_NAME EQ constValue
    ;

constValue
    : value=(STRING | NUMBER | QUANTITY | PERCENTAGE | CONST_NAME)
    | stringList
    | map
    ;

// ---- import "common/base.cap" [(NAME, ...)]: another file's constants (relative to this file) ----

importDecl
    : IMPORT path=STRING (LPAREN importName (COMMA importName)* COMMA? RPAREN)?
    ;

importName
    : CONST_NAME
    | identifier
    ;

// ---- admission policies (docs/policies.md) ----
// policy NAME { description "..."  applies-to service  match { selector }  mode enforce
//               params { max = 10 }  deny if <CEL> message "... ${<CEL>} ..." }
// The condition after `deny if` is CEL, read raw (see CEL_COND above).

policyDecl
    : POLICY name=identifier policyBody
    ;

policyBody
    : LBRACE policyAttribute* RBRACE
    ;

policyAttribute
    : DESCRIPTION value=STRING                                      #policyDescriptionAttribute
    | APPLIES_TO kinds+=objectKind (COMMA kinds+=objectKind)*       #policyAppliesToAttribute
    | MATCH selector                                                #policyMatchAttribute
    | MODE value=identifier                                         #policyModeAttribute
    | PARAMS paramBlock                                             #policyParamsAttribute
    | DENY_IF condition=CEL_COND (MESSAGE message=STRING)?          #policyDenyAttribute
    ;

objectKind
    : SERVICE | NAMESPACE | identifier
    ;

paramBlock
    : LBRACE param* RBRACE
    ;

param
    : key=identifier EQ value=paramValue
    ;

paramValue
    : STRING | NUMBER | QUANTITY | stringList | identifier
    ;

// bind POLICY in NAMESPACE { param = value }: the policy's parameters for one namespace.
bindDecl
    : BIND policy=identifier IN namespace=identifier paramBlock
    ;

// exception NAME { policy P  objects ["ns/name"]  match { selector }  reason "..." }
exceptionDecl
    : EXCEPTION name=identifier exceptionBody
    ;

exceptionBody
    : LBRACE exceptionAttribute* RBRACE
    ;

exceptionAttribute
    : POLICY policies+=identifier (COMMA policies+=identifier)*     #exceptionPolicyAttribute
    | OBJECTS stringList                                            #exceptionObjectsAttribute
    | MATCH selector                                                #exceptionMatchAttribute
    | REASON value=STRING                                           #exceptionReasonAttribute
    ;

// test NAME { service bad in t { ... } expect deny by P  namespace t { ... } }
testDecl
    : TEST name=identifier testBody
    ;

testBody
    : LBRACE testCase* RBRACE
    ;

testCase
    : namespaceDecl expectation?
    | serviceDecl expectation
    ;

expectation
    : EXPECT verdict=identifier (BY policies+=identifier (COMMA policies+=identifier)*)?
    ;

// ---- namespace NAME { ... } ----

namespaceDecl
    : NAMESPACE name=identifier namespaceBody
    ;

namespaceBody
    : LBRACE namespaceAttribute* RBRACE
    ;

namespaceAttribute
    : LABELS map                                                    #namespaceLabelsAttribute
    ;

// ---- service NAME in NAMESPACE { ... } ----

serviceDecl
    : SERVICE name=identifier IN namespace=identifier (EXTENDS template=identifier)? serviceBody
    ;

// ---- job NAME in NAMESPACE { ... }: pods run to completion; daemon NAME in NAMESPACE { ... }: one pod per node.
// Both take the service attributes (jobs also completions, parallelism, backoff-limit). ----

workloadDecl
    : kind=(JOB | DAEMON) name=identifier IN namespace=identifier (EXTENDS template=identifier)? serviceBody
    ;

// ---- template NAME [extends TEMPLATE] { service attributes } ----

templateDecl
    : TEMPLATE name=identifier (EXTENDS parent=identifier)? serviceBody
    ;

serviceBody
    : LBRACE serviceAttribute* RBRACE
    ;

serviceAttribute
    : IMAGE value=(STRING | CONST_NAME)                                            #imageAttribute
    | COMMAND stringList                                            #commandAttribute
    | ARGS stringList                                               #argsAttribute
    | ENV map                                                       #envAttribute
    | REPLICAS count=(NUMBER | CONST_NAME)                                         #replicasAttribute
    | PORT name=identifier number=(NUMBER | CONST_NAME) (EXPOSE exposed=(NUMBER | CONST_NAME))? (NODE_PORT (nodePort=(NUMBER | CONST_NAME) | nodePortWord=IDENT))? #portAttribute
    | LABELS map                                                    #labelsAttribute
    | RESOURCES resources                                           #resourcesAttribute
    | ANNOTATIONS map                                               #annotationsAttribute
    | RESTART policy=identifier                                     #restartAttribute
    | kind=(LIVENESS | READINESS | STARTUP) probeAction probeOption* #probeAttribute
    | STOP_GRACE duration=quantity                                  #stopGraceAttribute
    | UPDATE updateSettings                                         #updateAttribute
    | NODE_SELECTOR map                                             #nodeSelectorAttribute
    | NODE_AFFINITY placement selector                              #nodeAffinityAttribute
    | kind=(POD_AFFINITY | POD_ANTI_AFFINITY) placement BY topology selector #podAffinityAttribute
    | SPREAD strength=(REQUIRED | PREFERRED)? BY topology (MAX_SKEW skew=(NUMBER | CONST_NAME))? selector? #spreadAttribute
    | TOLERATE key=mapKey (EQ value=(STRING | CONST_NAME))? (EFFECT effect=identifier)? (FOR seconds=quantity)? #tolerateAttribute
    | PRIORITY value=(NUMBER | CONST_NAME)                                         #priorityAttribute
    | key=(COMPLETIONS | PARALLELISM | BACKOFF_LIMIT) count=NUMBER   #jobAttribute
    ;

// ---- probes: liveness http "/healthz" port http every 5s timeout 1s ----

probeAction
    : scheme=(HTTP | HTTPS) path=(STRING | CONST_NAME) PORT port=identifier       #httpProbe
    | TCP PORT port=identifier                                      #tcpProbe
    | EXEC stringList                                               #execProbe
    ;

probeOption
    : key=(EVERY | TIMEOUT | INITIAL_DELAY) amount=quantity
    | key=(SUCCESS_THRESHOLD | FAILURE_THRESHOLD) count=(NUMBER | CONST_NAME)
    ;

// ---- update { max-surge 1  max-unavailable 25% } ----

updateSettings
    : LBRACE updateSetting* RBRACE
    ;

updateSetting
    : key=(MAX_SURGE | MAX_UNAVAILABLE) amount=(NUMBER | PERCENTAGE | CONST_NAME)
    ;

// ---- placement ----

placement
    : REQUIRED
    | PREFERRED (WEIGHT weight=(NUMBER | CONST_NAME))?
    ;

// node, zone, or any node label key ("topology.example.com/rack")
topology
    : identifier
    | STRING
    ;

// Label selector: requirements ANDed, one per line: tier = "web", tier != "db", tier in ("a", "b"),
// tier notin ("c"), canary (exists), !canary (does not exist).
selector
    : LBRACE requirement* RBRACE
    ;

requirement
    : key=mapKey EQ value=(STRING | CONST_NAME)                      #equalsRequirement
    | key=mapKey NEQ value=(STRING | CONST_NAME)                                   #notEqualsRequirement
    | key=mapKey IN valueSet                                        #inRequirement
    | key=mapKey NOTIN valueSet                                     #notInRequirement
    | BANG key=mapKey                                               #absentRequirement
    | key=mapKey                                                    #existsRequirement
    ;

valueSet
    : LPAREN (item (COMMA item)* COMMA?)? RPAREN
    | CONST_NAME
    ;

resources
    : LBRACE resource* RBRACE
    ;

resource
    : name=identifier amount=quantity
    ;

quantity
    : NUMBER
    | QUANTITY
    | CONST_NAME
    ;

// ---- values ----

map
    : LBRACE mapEntry* RBRACE
    ;

// ...NAME adds a map constant's entries: labels { ...COMMON  tier = "web" }
mapEntry
    : key=mapKey EQ (value=(STRING | CONST_NAME) | ref=serviceRef)
    | ELLIPSIS spread=CONST_NAME
    ;

// Another service's address, for env values: service("api").url, service("api.shop").host, .port
serviceRef
    : SERVICE LPAREN target=STRING RPAREN DOT field=identifier
    ;

// Reserved words are quoted as keys: "service" = "x".
mapKey
    : identifier
    | STRING
    ;

// A list constant inside a list adds its items: ["sh", "-c", SCRIPT]
stringList
    : LBRACK (item (COMMA item)* COMMA?)? RBRACK
    | CONST_NAME
    ;

item
    : STRING
    | CONST_NAME
    ;

// A name: a plain identifier or any keyword that cannot start a declaration.
identifier
    : IDENT
    | CONST_NAME
    | nonReserved
    ;

nonReserved
    : IMAGE | COMMAND | ARGS | ENV | REPLICAS | PORT | LABELS | RESOURCES | ANNOTATIONS | RESTART
    | LIVENESS | READINESS | STARTUP | STOP_GRACE | UPDATE | NODE_SELECTOR | NODE_AFFINITY | POD_AFFINITY
    | POD_ANTI_AFFINITY | SPREAD | TOLERATE | PRIORITY
    | EXPOSE | HTTP | HTTPS | TCP | EXEC | EVERY | TIMEOUT | INITIAL_DELAY | SUCCESS_THRESHOLD | FAILURE_THRESHOLD
    | MAX_SURGE | MAX_UNAVAILABLE | REQUIRED | PREFERRED | WEIGHT | BY | MAX_SKEW | EFFECT | FOR | NOTIN
    | EXTENDS | NODE_PORT
    | JOB | DAEMON | COMPLETIONS | PARALLELISM | BACKOFF_LIMIT
    | POLICY | DESCRIPTION | APPLIES_TO | MATCH | MODE | PARAMS | BIND | EXCEPTION | OBJECTS | REASON | TEST | EXPECT
    ;

// Words that cannot be names (they start declarations or separate parts of one). Not used by other
// rules: it names the set for error messages and tests.
reserved
    : NAMESPACE | SERVICE | TEMPLATE | IN | CONST | IMPORT
    ;

// ---- tokens ----

// Declarations, then attributes in the order error messages list them.
NAMESPACE : 'namespace' ;
SERVICE   : 'service' ;
TEMPLATE  : 'template' ;
CONST     : 'const' ;
IMPORT    : 'import' ;
IN        : 'in' ;
IMAGE     : 'image' ;
COMMAND   : 'command' ;
ARGS      : 'args' ;
ENV       : 'env' ;
REPLICAS  : 'replicas' ;
PORT      : 'port' ;
LABELS    : 'labels' ;
RESOURCES : 'resources' ;
ANNOTATIONS : 'annotations' ;
RESTART   : 'restart' ;
LIVENESS  : 'liveness' ;
READINESS : 'readiness' ;
STARTUP   : 'startup' ;
STOP_GRACE : 'stop-grace' ;
UPDATE    : 'update' ;
NODE_SELECTOR : 'node-selector' ;
NODE_AFFINITY : 'node-affinity' ;
POD_AFFINITY  : 'pod-affinity' ;
POD_ANTI_AFFINITY : 'pod-anti-affinity' ;
SPREAD    : 'spread' ;
TOLERATE  : 'tolerate' ;
PRIORITY  : 'priority' ;
// Words inside attributes.
EXPOSE    : 'expose' ;
NODE_PORT : 'node-port' ;
HTTP      : 'http' ;
HTTPS     : 'https' ;
TCP       : 'tcp' ;
EXEC      : 'exec' ;
EVERY     : 'every' ;
TIMEOUT   : 'timeout' ;
INITIAL_DELAY : 'initial-delay' ;
SUCCESS_THRESHOLD : 'success-threshold' ;
FAILURE_THRESHOLD : 'failure-threshold' ;
MAX_SURGE : 'max-surge' ;
MAX_UNAVAILABLE : 'max-unavailable' ;
REQUIRED  : 'required' ;
PREFERRED : 'preferred' ;
WEIGHT    : 'weight' ;
BY        : 'by' ;
MAX_SKEW  : 'max-skew' ;
EFFECT    : 'effect' ;
FOR       : 'for' ;
NOTIN     : 'notin' ;
EXTENDS   : 'extends' ;
// Jobs and daemons.
JOB       : 'job' ;
DAEMON    : 'daemon' ;
COMPLETIONS : 'completions' ;
PARALLELISM : 'parallelism' ;
BACKOFF_LIMIT : 'backoff-limit' ;
// Policy words (all usable as names).
POLICY    : 'policy' ;
DESCRIPTION : 'description' ;
APPLIES_TO : 'applies-to' ;
MATCH     : 'match' ;
MODE      : 'mode' ;
PARAMS    : 'params' ;
BIND      : 'bind' ;
EXCEPTION : 'exception' ;
OBJECTS   : 'objects' ;
REASON    : 'reason' ;
TEST      : 'test' ;
EXPECT    : 'expect' ;
DENY_IF   : 'deny' [ \t]+ 'if' ;   // then SourceParser reads the CEL condition raw

ELLIPSIS : '...' ;
COMMA  : ',' ;
NEQ    : '!=' ;
EQ     : '=' ;
BANG   : '!' ;
LPAREN : '(' ;
RPAREN : ')' ;
COLON  : ':' ;   // never valid; a token of its own so that `KEY: "v"` gets one clear error
LBRACE : '{' ;
RBRACE : '}' ;
LBRACK : '[' ;
DOT    : '.' ;
RBRACK : ']' ;

// A number with a unit: 100m, 32Mi, 1.5Gi, 5s. Which units are allowed is the analyzer's business.
PERCENTAGE : DIGIT+ '%' ;
QUANTITY : '-'? DIGIT+ ('.' DIGIT+)? [a-zA-Z]+ ;
NUMBER   : '-'? DIGIT+ ('.' DIGIT+)? ;

// A constant's name: capitals, digits and '_' (REGISTRY, WEB_PORT); elsewhere it is a name like any other.
CONST_NAME : [A-Z] [A-Z0-9_]* ;

// Wider than a DNS label on purpose, so that `Web_1` reaches the analyzer and gets a clear error.
IDENT : [a-zA-Z_] [a-zA-Z0-9_-]* ;

STRING : '"' STRING_CHAR* '"' ;

// Recognized only to be reported well; the parser never sees these token types.
UNTERMINATED_STRING : '"' STRING_CHAR* '\\'? ;
SINGLE_QUOTED       : '\'' ~['\r\n]* '\'' ;

COMMENT : ('#' | '//') ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? ('*/' | EOF) ;   // not part of the language; reported, then dropped
WS      : [ \t\r\n\f\uFEFF]+ -> skip ;

UNEXPECTED_CHAR : . ;

fragment DIGIT       : [0-9] ;
fragment STRING_CHAR : ~["\\\r\n] | '\\' ~[\r\n] ;

