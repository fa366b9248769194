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

file
    : declaration* EOF
    ;

declaration
    : namespaceDecl
    | serviceDecl
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
    : SERVICE name=identifier IN namespace=identifier serviceBody
    ;

serviceBody
    : LBRACE serviceAttribute* RBRACE
    ;

serviceAttribute
    : IMAGE value=STRING                                            #imageAttribute
    | COMMAND stringList                                            #commandAttribute
    | ARGS stringList                                               #argsAttribute
    | ENV map                                                       #envAttribute
    | REPLICAS count=NUMBER                                         #replicasAttribute
    | PORT name=identifier number=NUMBER (EXPOSE exposed=NUMBER)?   #portAttribute
    | LABELS map                                                    #labelsAttribute
    | RESOURCES resources                                           #resourcesAttribute
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
    ;

// ---- values ----

map
    : LBRACE mapEntry* RBRACE
    ;

mapEntry
    : key=mapKey EQ value=STRING
    ;

// Reserved words are quoted as keys: "service" = "x".
mapKey
    : identifier
    | STRING
    ;

stringList
    : LBRACK (STRING (COMMA STRING)* COMMA?)? RBRACK
    ;

// A name: a plain identifier or any keyword that cannot start a declaration.
identifier
    : IDENT
    | nonReserved
    ;

nonReserved
    : IMAGE | COMMAND | ARGS | ENV | REPLICAS | PORT | LABELS | RESOURCES | EXPOSE
    ;

// Words that cannot be names (they start declarations or separate parts of one). Not used by other
// rules: it names the set for error messages and tests.
reserved
    : NAMESPACE | SERVICE | IN
    ;

// ---- tokens ----

// Declarations, then attributes in the order error messages list them.
NAMESPACE : 'namespace' ;
SERVICE   : 'service' ;
IN        : 'in' ;
IMAGE     : 'image' ;
COMMAND   : 'command' ;
ARGS      : 'args' ;
ENV       : 'env' ;
REPLICAS  : 'replicas' ;
PORT      : 'port' ;
LABELS    : 'labels' ;
RESOURCES : 'resources' ;
EXPOSE    : 'expose' ;

COMMA  : ',' ;
EQ     : '=' ;
COLON  : ':' ;   // never valid; a token of its own so that `KEY: "v"` gets one clear error
LBRACE : '{' ;
RBRACE : '}' ;
LBRACK : '[' ;
RBRACK : ']' ;

// A number with a unit: 100m, 32Mi, 1.5Gi, 5s. Which units are allowed is the analyzer's business.
QUANTITY : '-'? DIGIT+ ('.' DIGIT+)? [a-zA-Z]+ ;
NUMBER   : '-'? DIGIT+ ('.' DIGIT+)? ;

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
