package dev.capstan.node.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.capstan.engine.api.ServerTls;
import dev.capstan.model.Probe;
import java.net.InetSocketAddress;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTPS probes against a real TLS server with a self-signed certificate, which they accept as the kubelet does. */
class HttpsProbeTest {
    private HttpsServer server;

    @BeforeEach
    void serve() throws Exception {
        ServerTls tls = ServerTls.selfSigned(List.of());
        String body = tls.privateKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body));
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePrivate(spec);
        } catch (java.security.spec.InvalidKeySpecException e) {
            key = KeyFactory.getInstance("RSA").generatePrivate(spec);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("probe", key, new char[0], new Certificate[] {tls.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/", ex -> {
            int code = ex.getRequestURI().getPath().equals("/healthz") ? 200 : 503;
            ex.sendResponseHeaders(code, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Prober.Outcome check(String path, String scheme) {
        Probe probe = new Probe(new Probe.HttpGet(path, "https", scheme), null, null, null, 1, 2, 1, 1);
        return Prober.over(null).check(probe, "c1", port -> server.getAddress().getPort());
    }

    @Test
    void aSelfSignedCertificateIsAcceptedAndTheStatusCodeDecides() {
        assertThat(check("/healthz", "HTTPS").success()).isTrue();
        Prober.Outcome down = check("/down", "HTTPS");
        assertThat(down.success()).isFalse();
        assertThat(down.message()).contains("503");
    }

    @Test
    void plainHttpToATlsPortFailsAndAnUnknownSchemeIsRefused() {
        assertThat(check("/healthz", "HTTP").success()).isFalse();
        assertThat(check("/healthz", "ftp").message()).contains("HTTP or HTTPS");
    }
}
