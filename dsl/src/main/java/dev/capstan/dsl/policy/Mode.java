package dev.capstan.dsl.policy;

/** What a policy's violation does: enforce denies the commit, warn applies and reports, audit records only. */
public enum Mode {
    ENFORCE("enforce", "deny"), WARN("warn", "warn"), AUDIT("audit", "audit");

    private final String word;
    private final String effect;

    Mode(String word, String effect) {
        this.word = word;
        this.effect = effect;
    }

    /** As written in the language. */
    public String word() {
        return word;
    }

    /** The verdict a violation gives: deny, warn or audit (the words of {@code expect}). */
    public String effect() {
        return effect;
    }

    /** The mode for a word of the language, or null. */
    public static Mode of(String word) {
        for (Mode m : values()) {
            if (m.word.equals(word)) {
                return m;
            }
        }
        return null;
    }
}
