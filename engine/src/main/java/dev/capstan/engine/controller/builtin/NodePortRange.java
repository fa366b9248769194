package dev.capstan.engine.controller.builtin;

/**
 * The ports from which Services of {@code type: NodePort} get their node ports ({@code 30000-32767}, as in
 * Kubernetes). The lowest ports of the range are a band that allocation uses only when the rest is full (as
 * Kubernetes' static subrange: {@code min(max(16, size/32), 128)} ports), so that numbers people write, which
 * tend to be low (30080), rarely collide with allocated ones.
 */
public record NodePortRange(int min, int max) {

    /** The default range, Kubernetes' {@code --service-node-port-range}. */
    public static final String DEFAULT = "30000-32767";

    public NodePortRange {
        if (min < 1 || max > 65535 || min > max) {
            throw new IllegalArgumentException("a node port range is FIRST-LAST within 1-65535, e.g. " + DEFAULT
                    + ", not " + min + "-" + max);
        }
    }

    /** Parses {@code FIRST-LAST} (a single port {@code N} is the range N-N). */
    public static NodePortRange parse(String text) {
        String s = text == null ? "" : text.trim();
        String[] parts = s.split("-", -1);
        try {
            if (parts.length == 1) {
                int p = Integer.parseInt(parts[0]);
                return new NodePortRange(p, p);
            }
            if (parts.length == 2) {
                return new NodePortRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("a node port range looks like " + DEFAULT + ", not '" + text + "'");
    }

    public static NodePortRange defaults() {
        return parse(DEFAULT);
    }

    /** How many ports the range holds. */
    public int size() {
        return max - min + 1;
    }

    public boolean contains(int port) {
        return port >= min && port <= max;
    }

    /** How many of the lowest ports allocation leaves for written numbers until the rest is full. */
    public int staticBand() {
        int band = Math.min(Math.max(16, size() / 32), 128);
        return band * 2 > size() ? 0 : band; // a small range is all allocated from
    }

    @Override
    public String toString() {
        return min + "-" + max;
    }
}
