package dev.capstan.node.runtime;

import java.util.Map;

/** A sandbox as the runtime reports it. {@code ready} is false once it has been stopped. */
public record SandboxInfo(String id, String podUid, String namespace, String name, int attempt, boolean ready,
                          Map<String, String> labels) {
}
