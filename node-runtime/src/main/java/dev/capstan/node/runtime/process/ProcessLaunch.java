package dev.capstan.node.runtime.process;

import dev.capstan.node.runtime.ContainerSpec;
import dev.capstan.node.runtime.RuntimeFailure;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a container spec becomes a host process: its command line (resolved on PATH, busybox applets first
 * for busybox images, under {@code setsid} when there is one), its environment (only what the spec gives,
 * plus PATH and HOME), its working directory (inside the sandbox directory) and its log file.
 */
record ProcessLaunch(List<String> argv, Map<String, String> env, Path workDir, Path logFile) {

    static ProcessLaunch of(ContainerSpec spec, Path sandboxDir, Path logDir, Path stateDir, Path setsid)
            throws RuntimeFailure {
        List<String> argv = new ArrayList<>(spec.command());
        argv.addAll(spec.args());
        if (argv.isEmpty()) {
            throw new RuntimeFailure("container " + spec.name() + " has no command: the process runtime ignores images,"
                    + " so there is no image default to run");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", sandboxDir.toString());
        env.putAll(spec.env());
        if (BusyboxApplets.isBusyboxImage(spec.image())) {
            Path applets = BusyboxApplets.ensure(stateDir.resolve("busybox-applets"));
            env.put("PATH", applets + File.pathSeparator + env.get("PATH"));
        }
        Path workDir = spec.workingDir() == null || spec.workingDir().isEmpty() ? sandboxDir
                : sandboxDir.resolve(spec.workingDir());
        if (!Files.isDirectory(workDir)) {
            throw new RuntimeFailure("container " + spec.name() + ": working directory " + workDir + " does not exist");
        }
        Path executable = ProcessTrees.resolve(argv.get(0), env.get("PATH"), workDir).orElseThrow(() -> new RuntimeFailure(
                "container " + spec.name() + ": command '" + argv.get(0) + "' not found on PATH " + env.get("PATH")
                        + (BusyboxApplets.isBusyboxImage(spec.image()) ? "" : " (the process runtime runs host commands)")));
        argv.set(0, executable.toString());
        if (setsid != null) {
            argv.add(0, setsid.toString()); // own session and process group: no terminal signals from the agent
        }
        Path logFile = logDir.resolve(spec.logPath() == null || spec.logPath().isEmpty()
                ? spec.name() + "_" + spec.attempt() + ".log" : spec.logPath());

        return new ProcessLaunch(List.copyOf(argv), java.util.Collections.unmodifiableMap(env), workDir, logFile);
    }
}
