package dev.capstan.gitsync.plan;

import java.util.List;

/**
 * One object that head adds, removes or changes relative to base.
 *
 * @param action    what happens to it
 * @param kind      {@code Namespace}, {@code Deployment}, {@code Service}
 * @param namespace null for cluster-scoped kinds
 * @param name      the object's name
 * @param source    where it is declared, {@code path:line} (head's for added and changed, base's for removed);
 *                  null when the compiler gave none
 * @param fields    the field-level changes; empty unless {@code CHANGED}
 * @param pods      what happens to pods (Deployments only; {@link PodImpact#NONE} otherwise)
 */
public record ObjectChange(Action action, String kind, String namespace, String name, String source,
                           List<FieldChange> fields, PodImpact pods) {

    public enum Action {
        ADDED("+", "added"), CHANGED("~", "changed"), REMOVED("-", "removed");

        private final String sign;
        private final String word;

        Action(String sign, String word) {
            this.sign = sign;
            this.word = word;
        }

        public String sign() {
            return sign;
        }

        public String word() {
            return word;
        }
    }

    public ObjectChange {
        fields = List.copyOf(fields);
    }

    /** {@code shop/web}, or the name alone for cluster-scoped kinds. */
    public String key() {
        return namespace == null ? name : namespace + "/" + name;
    }

    /** {@code Deployment shop/web}. */
    public String id() {
        return kind + " " + key();
    }
}
