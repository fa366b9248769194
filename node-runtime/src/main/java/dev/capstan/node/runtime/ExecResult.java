package dev.capstan.node.runtime;

/**
 * What a command run in a container ({@link ContainerRuntime#execSync}) gave back.
 *
 * @param exitCode the command's exit code; 0 is success
 * @param output   its stdout then stderr, cut to a few KiB (for probe messages, not for data)
 * @param timedOut true when the command did not finish within the timeout (exitCode is then -1)
 */
public record ExecResult(int exitCode, String output, boolean timedOut) {
    /** At most this many characters of output are kept. */
    public static final int MAX_OUTPUT = 4096;

    public ExecResult {
        output = output == null ? "" : output.length() > MAX_OUTPUT ? output.substring(0, MAX_OUTPUT) : output;
    }
}
