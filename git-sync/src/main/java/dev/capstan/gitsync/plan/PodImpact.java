package dev.capstan.gitsync.plan;

/**
 * What a change does to running pods.
 *
 * @param created  pods added (a new Deployment, or more replicas)
 * @param replaced pods replaced by a rolling update because the pod template changed
 * @param removed  pods removed (a removed Deployment, or fewer replicas)
 */
public record PodImpact(int created, int replaced, int removed) {
    public static final PodImpact NONE = new PodImpact(0, 0, 0);

    public PodImpact plus(PodImpact o) {
        return new PodImpact(created + o.created, replaced + o.replaced, removed + o.removed);
    }

    public boolean isNone() {
        return created == 0 && replaced == 0 && removed == 0;
    }

    /** {@code 2 created, 3 replaced}; {@code none} when nothing happens to pods. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (created > 0) {
            sb.append(created).append(" created");
        }
        if (replaced > 0) {
            sb.append(sb.isEmpty() ? "" : ", ").append(replaced).append(" replaced");
        }
        if (removed > 0) {
            sb.append(sb.isEmpty() ? "" : ", ").append(removed).append(" removed");
        }
        return sb.isEmpty() ? "none" : sb.toString();
    }
}
