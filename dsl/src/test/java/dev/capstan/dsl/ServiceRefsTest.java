package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.dsl.format.Formatter;
import dev.capstan.model.Container;
import dev.capstan.model.Deployment;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code env { BACKEND = service("api").url }}: another service's address, checked at compile time. */
class ServiceRefsTest {
    private static final String SHOP = """
            namespace shop { }
            namespace ops { }
            service api in shop {
              image "registry/api:1"
              port grpc 9090
              port http 8080 expose 80
            }
            service metrics in ops {
              image "registry/metrics:1"
              port web 9100
            }
            service worker in shop {
              image "registry/worker:1"
            }
            """;

    private static CompileResult compile(String text) {
        return new CapCompiler().compile(List.of(new SourceFile("shop.cap", text)));
    }

    private static Map<String, String> env(CompileResult r, String service) {
        Deployment d = r.objects().stream().filter(o -> o instanceof Deployment && o.metadata().name().equals(service))
                .map(Deployment.class::cast).findFirst().orElseThrow();
        return d.spec().template().spec().containers().get(0).env().stream()
                .collect(Collectors.toMap(Container.EnvVar::name, Container.EnvVar::value));
    }

    @Test
    void aSameNamespaceReferenceBecomesTheVariablesTheAgentExpands() {
        CompileResult r = compile(SHOP + """
                service front in shop {
                  image "registry/front:1"
                  env {
                    BACKEND  = service("api").url
                    API_HOST = service("api").host
                    API_PORT = service("api").port
                    METRICS  = service("metrics.ops").url
                    WORKER   = service("shop/worker").host
                    PLAIN    = "x"
                  }
                }
                """);
        assertThat(r.diagnostics()).isEmpty();
        assertThat(env(r, "front")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "BACKEND", "http://$(API_SERVICE_HOST):$(API_SERVICE_PORT_HTTP)",
                "API_HOST", "$(API_SERVICE_HOST)",
                "API_PORT", "$(API_SERVICE_PORT_HTTP)",
                "METRICS", "http://metrics.ops:9100",
                "WORKER", "$(WORKER_SERVICE_HOST)",
                "PLAIN", "x"));
    }

    @Test
    void unknownServicesPortlessServicesAndBadFieldsAreLocatedErrors() {
        CompileResult r = compile(SHOP + """
                service front in shop {
                  image "registry/front:1"
                  labels { x = service("api").url }
                  env {
                    A = service("apu").url
                    B = service("worker").url
                    C = service("api").uri
                    D = service("metrics.shop").host
                    E = service("worker").host
                  }
                }
                """);
        assertThat(r.errors()).extracting(Diagnostic::toString).containsExactly(
                "error[E062] shop.cap:17:16: a service reference is only allowed as an env value (hint: write the "
                        + "value as a string: x = \"...\")",
                "error[E060] shop.cap:19:17: unknown service 'apu' in namespace 'shop' (hint: did you mean 'api'?)",
                "error[E061] shop.cap:20:9: service 'worker' declares no port, so it has no url (hint: add a port "
                        + "to it (port http 8080) or use .host)",
                "error[E062] shop.cap:21:24: unknown field 'uri' of a service reference (hint: did you mean 'url'?)",
                "error[E060] shop.cap:22:17: unknown service 'metrics' in namespace 'shop' (hint: service 'metrics' "
                        + "is in namespace 'ops': write service(\"metrics.ops\"))");
    }

    @Test
    void fmtKeepsAReferenceAsWritten() {
        String src = "namespace n { }\nservice a in n {\n  image \"i\"\n  port http 80\n}\n"
                + "service b in n {\n  image \"i\"\n  env { X = service( \"a\" ) . url }\n}\n";
        String out = Formatter.format(new SourceFile("f.cap", src)).text();
        assertThat(out).contains("X = service(\"a\").url");
        assertThat(compile(out).diagnostics()).isEmpty();
    }
}
