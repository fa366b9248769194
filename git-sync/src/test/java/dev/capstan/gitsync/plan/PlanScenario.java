package dev.capstan.gitsync.plan;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.gitsync.GitSource;
import java.nio.file.Path;

/**
 * The golden scenario: a shop whose second commit scales and updates {@code web} (replicas, image, env),
 * removes {@code old}, and adds {@code cache}, which needs more memory than any node of
 * {@code nodes.yaml} has.
 */
final class PlanScenario {
    static final String BASE = """
            namespace shop {
              labels { team = "storefront" }
            }

            service web in shop {
              image    "capstan.local/busybox:1.35"
              replicas 3
              port http 8080 expose 80
              resources {
                cpu    250m
                memory 256Mi
              }
              env { LOG_LEVEL = "info" }
            }

            service old in shop {
              image    "capstan.local/busybox:1.35"
              replicas 2
              port http 9000
            }
            """;

    static final String HEAD = """
            namespace shop {
              labels { team = "storefront" }
            }

            # Black Friday: more web, newer image, louder logs.
            service web in shop {
              image    "capstan.local/busybox:1.36"
              replicas 5
              port http 8080 expose 80
              resources {
                cpu    250m
                memory 256Mi
              }
              env {
                LOG_LEVEL = "debug"
                FEATURE_X = "on"
              }
            }
            """;

    static final String CACHE = """
            service cache in shop {
              image    "capstan.local/redis:7.2"
              replicas 2
              port redis 6379
              resources {
                cpu    500m
                memory 6Gi
              }
            }
            """;

    static final String NODES = """
            # Three small nodes in two zones.
            nodes:
              - name: node-a1
                cpu: "2"
                memory: 4Gi
                labels: { topology.kubernetes.io/zone: zone-a }
              - name: node-a2
                cpu: "2"
                memory: 4Gi
                labels: { topology.kubernetes.io/zone: zone-a }
              - name: node-b1
                cpu: "2"
                memory: 4Gi
                labels: { topology.kubernetes.io/zone: zone-b }
            """;

    private PlanScenario() {
    }

    /** Writes both commits into {@code dir}; returns {base, head}. */
    static String[] build(Path dir) throws Exception {
        try (PlanRepo repo = PlanRepo.init(dir)) {
            repo.write("README.md", "not planned\n").write("deploy/shop.cap", BASE);
            String base = repo.commit("shop: web and old");
            repo.write("deploy/shop.cap", HEAD).write("deploy/cache.cap", CACHE);
            String head = repo.commit("shop: scale web for the sale, add cache, drop old");
            return new String[] {base, head};
        }
    }

    static Plan plan(Path dir, String base, String head, ClusterSnapshot snapshot, PolicyCheck policies)
            throws PlanException {
        GitSource source = new GitSource(dir, "deploy", "refs/heads/main");
        return new PlanComputer(new CapCompiler(), policies).compute(PlanSide.read(source, base),
                PlanSide.read(source, head), source.path(), snapshot);
    }
}
