package dev.capstan.node.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the host a node reports: CPU count, memory, kernel, OS image. */
final class HostInfo {
    private HostInfo() {
    }

    static long cpuMillis() {
        return Runtime.getRuntime().availableProcessors() * 1000L;
    }

    static long memoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the JVM's view
        }
        return Runtime.getRuntime().maxMemory();
    }

    static String kernel() {
        return System.getProperty("os.version");
    }

    static String osImage() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // not Linux, or unreadable
        }
        return System.getProperty("os.name");
    }
}
