package dev.capstan.gitsync;

import java.util.List;

/** A revision declares objects that another source (or something outside Git) already owns; nothing was applied. */
public final class SourceCollision extends GitSyncException {
    private final List<String> diagnostics;

    public SourceCollision(List<String> diagnostics) {
        super(String.join("\n", diagnostics));
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** One line per colliding object, naming both locations. */
    public List<String> diagnostics() {
        return diagnostics;
    }
}
