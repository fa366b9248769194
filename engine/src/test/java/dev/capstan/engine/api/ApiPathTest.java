package dev.capstan.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiPathTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "/api/v1/pods|Pod|-|-|-",
        "/api/v1/namespaces/shop/pods|Pod|shop|-|-",
        "/api/v1/namespaces/shop/pods/web-1|Pod|shop|web-1|-",
        "/api/v1/namespaces/shop/pods/web-1/status|Pod|shop|web-1|status",
        "/api/v1/namespaces/shop/pods/web-1/log|Pod|shop|web-1|log",
        "/api/v1/nodes/node-1/status|Node|-|node-1|status",
        "/api/v1/namespaces|Namespace|-|-|-",
        "/api/v1/namespaces/shop|Namespace|-|shop|-",
        "/apis/apps/v1/namespaces/shop/deployments/web|Deployment|shop|web|-",
        "/apis/coordination.k8s.io/v1/namespaces/capstan-node-lease/leases|Lease|capstan-node-lease|-|-",
        "/apis/capstan.dev/v1/revisions/a1b2c3d|Revision|-|a1b2c3d|-"})
    void parsesResourceUrls(String path, String kind, String ns, String name, String sub) {
        ApiPath p = ApiPath.parse(path).orElseThrow();
        assertThat(p.kind().kind()).isEqualTo(kind);
        assertThat(p.namespace()).isEqualTo(ns);
        assertThat(p.name()).isEqualTo(name);
        assertThat(p.subresource()).isEqualTo(sub);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/api/v1/pods/web-1", "/api/v1/namespaces/shop/deployments", "/apis/apps/v1/pods",
        "/api/v1/namespaces/shop/pods/web-1/exec", "/api/v1/namespaces/shop/services/web/status",
        "/api/v1/namespaces/shop/nodes/node-1", "/api/v2/pods", "/api/v1/namespaces/shop/pods/a/log/extra",
        "/api/v1/nodes/n/status/x", "/api/v1/namespaces/shop/status"})
    void refusesUrlsItDoesNotServe(String path) {
        assertThat(ApiPath.parse(path)).isEqualTo(Optional.empty());
    }
}
