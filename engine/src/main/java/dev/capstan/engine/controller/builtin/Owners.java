package dev.capstan.engine.controller.builtin;

import dev.capstan.model.KubeObject;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.OwnerReference;
import java.util.Collection;
import java.util.List;

/** Helpers around controller ownerReferences. */
final class Owners {
    private Owners() {
    }

    /** True when {@code o}'s controller reference points at {@code owner}'s uid. */
    static boolean controlledBy(KubeObject o, KubeObject owner) {
        OwnerReference ref = o.metadata().controller();
        return ref != null && ref.uid() != null && ref.uid().equals(owner.metadata().uid());
    }

    /** The key ({@code namespace/name}) of {@code o}'s controller when it is of the given kind; else none. */
    static Collection<String> controllerKey(KubeObject o, String ownerKind) {
        OwnerReference ref = o.metadata().controller();
        if (ref == null || !ownerKind.equals(ref.kind()) || ref.name() == null) {
            return List.of();
        }
        return List.of(ObjectMeta.key(o.metadata().namespace(), ref.name()));
    }

    /** Splits {@code namespace/name}; a key without a slash is a cluster-scoped name. */
    static String[] split(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? new String[] {null, key} : new String[] {key.substring(0, slash), key.substring(slash + 1)};
    }
}
