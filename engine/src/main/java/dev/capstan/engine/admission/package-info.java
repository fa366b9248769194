/**
 * Admission: CEL policies over the objects of a revision. The API is small:
 * <ul>
 *   <li>{@link dev.capstan.engine.admission.Admission#compile(dev.capstan.dsl.policy.PolicySet)} type-checks
 *       every CEL expression once (errors as located {@code Diagnostic}s) and
 *       {@link dev.capstan.engine.admission.Admission#evaluate(java.util.Collection)} gives
 *       {@link dev.capstan.engine.admission.Verdict}s (policy, mode, effect, object, message, both locations);
 *       {@link dev.capstan.engine.admission.Verdict#blocks()} says whether a verdict rejects the revision.</li>
 *   <li>{@link dev.capstan.engine.admission.PolicyTests} runs {@code test} blocks (text and JUnit XML).</li>
 * </ul>
 * The object shapes policies see are documented in docs/policies.md.
 */
package dev.capstan.engine.admission;
