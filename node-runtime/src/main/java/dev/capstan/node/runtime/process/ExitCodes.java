package dev.capstan.node.runtime.process;

/** What the process runtime can say about an exit code. */
final class ExitCodes {
    private ExitCodes() {
    }

    /** Says what an exit code means where the process runtime knows more (or less) than the number. */
    static String message(Integer code) {
        if (code == null) {
            return "exit code unknown: the process was started by an earlier instance of the process runtime";
        }
        if (code == 137) {
            return "killed by SIGKILL; the process runtime sets no memory limit and cannot tell an OOM kill"
                    + " by the kernel from any other SIGKILL";
        }
        return code > 128 && code < 160 ? "terminated by signal " + (code - 128) : null;
    }

}
