package dev.capstan.node.runtime.cri;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The TOML configuration (version 2) of a private containerd whose every path lives under one
 * directory, with the CRI settings this kind of machine needs (see the Javadoc of each constant).
 *
 * @param dir          the instance's directory (absolute)
 * @param runc         the runc binary
 * @param sandboxImage the CRI sandbox ("pause") image, imported locally
 * @param cniBinDir    where the CNI plugins are (only used for pod-per-IP networking)
 */
record ContainerdConfig(Path dir, Path runc, String sandboxImage, Path cniBinDir) {

    /** Snapshotters that need kernel features or tools this machine lacks; loading them only logs errors. */
    static final List<String> DISABLED_PLUGINS = List.of("io.containerd.snapshotter.v1.aufs",
            "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
            "io.containerd.snapshotter.v1.devmapper");

    Path root() {
        return dir.resolve("root");
    }

    Path state() {
        return dir.resolve("state");
    }

    Path socket() {
        return dir.resolve("containerd.sock");
    }

    Path ttrpcSocket() {
        return dir.resolve("containerd.sock.ttrpc");
    }

    Path runcRoot() {
        return dir.resolve("runc");
    }

    Path optDir() {
        return dir.resolve("opt");
    }

    Path cniConfDir() {
        return dir.resolve("cni").resolve("net.d");
    }

    Path configFile() {
        return dir.resolve("config.toml");
    }

    Path logFile() {
        return dir.resolve("containerd.log");
    }

    Path pidFile() {
        return dir.resolve("containerd.pid");
    }

    String toml() {
        String cri = "[plugins.\"io.containerd.grpc.v1.cri\"";
        return String.join("\n",
                "# Written by Capstan (PrivateContainerd): a containerd that keeps everything under " + q(dir) + ".",
                "version = 2",
                "root = " + q(root()),
                "state = " + q(state()),
                "oom_score = 0",
                "disabled_plugins = [" + DISABLED_PLUGINS.stream().map(ContainerdConfig::q).collect(Collectors.joining(", ")) + "]",
                "required_plugins = [\"io.containerd.grpc.v1.cri\"]",
                "",
                "[grpc]",
                "  address = " + q(socket()),
                "  uid = 0",
                "  gid = 0",
                "",
                "[ttrpc]",
                "  address = " + q(ttrpcSocket()),
                "",
                "[debug]",
                "  address = \"\"",
                "  level = \"info\"",
                "",
                "[metrics]",
                "  address = \"\"",
                "",
                "[plugins]",
                "  [plugins.\"io.containerd.internal.v1.opt\"]",
                "    path = " + q(optDir()),
                "  # The legacy v1 runtime is never used, but keep its default /run/containerd/runc out of the way.",
                "  [plugins.\"io.containerd.runtime.v1.linux\"]",
                "    runtime_root = " + q(dir.resolve("runc-v1")),
                "  " + cri + "]",
                "    sandbox_image = " + q(sandboxImage),
                "    # Required here: without CAP_SYS_RESOURCE every sandbox fails with",
                "    # \"can't get final child's PID from pipe: EOF\".",
                "    restrict_oom_score_adj = true",
                "    netns_mounts_under_state_dir = true",
                "    disable_apparmor = true",
                "    enable_selinux = false",
                "    disable_tcp_service = true",
                "    stream_server_address = \"127.0.0.1\"",
                "    stream_server_port = \"0\"",
                "    " + cri + ".containerd]",
                "      snapshotter = \"overlayfs\"",
                "      default_runtime_name = \"runc\"",
                "      " + cri + ".containerd.runtimes.runc]",
                "        runtime_type = \"io.containerd.runc.v2\"",
                "        " + cri + ".containerd.runtimes.runc.options]",
                "          BinaryName = " + q(runc),
                "          SystemdCgroup = false",
                "          Root = " + q(runcRoot()),
                "    " + cri + ".cni]",
                "      bin_dir = " + q(cniBinDir),
                "      conf_dir = " + q(cniConfDir()),
                "");
    }

    /** A TOML basic string. */
    static String q(Object value) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : value.toString().toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
