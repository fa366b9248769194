package dev.capstan.gitsync.plan;

/**
 * What one policy says about one object of the head revision.
 *
 * @param policy         the policy's name, e.g. {@code no-latest-tag}
 * @param mode           {@code enforce}, {@code warn} or {@code audit}
 * @param effect         {@link Effect#DENY} (blocks the change when the mode is enforce), {@link Effect#WARN}
 *                       or {@link Effect#AUDIT} (recorded only)
 * @param object         the object judged, {@code Deployment shop/web}
 * @param message        the policy's message, already interpolated
 * @param objectLocation where the object is declared, {@code services/shop.cap:12:1}; null when unknown
 * @param policyLocation where the policy's rule is declared, {@code policies/tags.cap:7:3}; null when unknown
 */
public record PlanVerdict(String policy, String mode, Effect effect, String object, String message,
                          String objectLocation, String policyLocation) {

    public enum Effect { DENY, WARN, AUDIT }

    /** True when this verdict makes the plan fail: an enforce-mode deny. */
    public boolean blocks() {
        return effect == Effect.DENY && "enforce".equals(mode);
    }

    public String effectWord() {
        return effect.name().toLowerCase(java.util.Locale.ROOT);
    }
}
