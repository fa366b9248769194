package dev.capstan.engine.admission;

import dev.cel.common.ast.CelExpr;

/**
 * The worst-case cost of a checked CEL expression, in the steps {@link Budget} counts (one per sub-expression
 * evaluated), with every comprehension running its full iteration limit. An expression whose worst case fits in
 * the step limit cannot go over it, so it runs without the meter (the meter makes an evaluation about 2.5 times
 * slower); the others run metered. Kubernetes' ValidatingAdmissionPolicy estimates cost the same way at
 * compile time.
 */
final class Cost {
    private Cost() {
    }

    /** Steps the expression can take at most, saturating at {@link Long#MAX_VALUE}. */
    static long worstCase(CelExpr e, long maxIterations) {
        return switch (e.getKind()) {
            case NOT_SET, CONSTANT, IDENT -> 1;
            case SELECT -> add(1, worstCase(e.select().operand(), maxIterations));
            case CALL -> {
                long c = 1;
                if (e.call().target().isPresent()) {
                    c = add(c, worstCase(e.call().target().get(), maxIterations));
                }
                for (CelExpr arg : e.call().args()) {
                    c = add(c, worstCase(arg, maxIterations));
                }
                yield c;
            }
            case LIST -> {
                long c = 1;
                for (CelExpr item : e.list().elements()) {
                    c = add(c, worstCase(item, maxIterations));
                }
                yield c;
            }
            case MAP -> {
                long c = 1;
                for (CelExpr.CelMap.Entry entry : e.map().entries()) {
                    c = add(c, add(worstCase(entry.key(), maxIterations), worstCase(entry.value(), maxIterations)));
                }
                yield c;
            }
            case STRUCT -> {
                long c = 1;
                for (CelExpr.CelStruct.Entry entry : e.struct().entries()) {
                    c = add(c, worstCase(entry.value(), maxIterations));
                }
                yield c;
            }
            case COMPREHENSION -> {
                CelExpr.CelComprehension f = e.comprehension();
                long perIteration = add(worstCase(f.loopCondition(), maxIterations),
                        worstCase(f.loopStep(), maxIterations));
                yield add(add(1, worstCase(f.iterRange(), maxIterations)),
                        add(worstCase(f.accuInit(), maxIterations),
                                add(mul(maxIterations, perIteration), worstCase(f.result(), maxIterations))));
            }
        };
    }

    private static long add(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    private static long mul(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
