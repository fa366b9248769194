package dev.capstan.engine.scheduler;

import java.util.List;

/**
 * A filter plugin's verdict on one node, after Kubernetes' framework {@code Status}.
 *
 * @param code    SUCCESS: the pod fits; UNSCHEDULABLE: it does not fit now but might once pods leave the
 *                node; UNSCHEDULABLE_AND_UNRESOLVABLE: nothing about other pods will change it (node not
 *                ready, labels); ERROR: the plugin failed (a bug or bad data), the node is skipped
 * @param plugin  the plugin that decided; set by the framework, null from plugins
 * @param reasons short, countable reasons for people, e.g. {@code insufficient memory}; empty on success
 */
public record Status(Code code, String plugin, List<String> reasons) {
    public enum Code { SUCCESS, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE, ERROR }

    private static final Status SUCCESS = new Status(Code.SUCCESS, null, List.of());

    public Status {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    public static Status success() {
        return SUCCESS;
    }

    public static Status unschedulable(String... reasons) {
        return new Status(Code.UNSCHEDULABLE, null, List.of(reasons));
    }

    public static Status unresolvable(String... reasons) {
        return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, null, List.of(reasons));
    }

    public static Status error(String reason) {
        return new Status(Code.ERROR, null, List.of(reason));
    }

    public boolean isSuccess() {
        return code == Code.SUCCESS;
    }

    public Status withPlugin(String name) {
        return new Status(code, name, reasons);
    }
}
