package dev.capstan.gitsync;

/** Source text the git-sync tests commit. */
final class GitRepos {
    private GitRepos() {
    }

    /** A service in namespace {@code shop} with an HTTP port. */
    static String service(String name, int replicas) {
        return "service " + name + " in shop {\n  image \"capstan.local/busybox:1.35\"\n  replicas " + replicas
                + "\n  port http 8080 expose 80\n}\n";
    }
}
