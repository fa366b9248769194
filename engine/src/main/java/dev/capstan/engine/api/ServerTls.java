package dev.capstan.engine.api;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * The API server's TLS identity: a private key and its certificate. kubectl sends bearer tokens only over
 * TLS, so the server speaks HTTPS by default with a self-signed certificate made at start; clients pin
 * {@link #certificatePem()} (it goes into the kubeconfig as {@code certificate-authority-data}).
 */
public final class ServerTls {

    private final PrivateKey key;
    private final X509Certificate certificate;

    private ServerTls(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /**
     * A new self-signed certificate valid for ten years for {@code localhost}, {@code 127.0.0.1}, {@code ::1}
     * and the given host names or IP literals (the addresses clients will dial).
     */
    public static ServerTls selfSigned(Collection<String> extraNames) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        for (String n : extraNames) {
            if (n != null && !n.isBlank() && !n.equals("0.0.0.0") && !n.equals("::")) {
                names.add(n);
            }
        }
        Instant now = Instant.now();
        SelfSignedCertificates.Generated g = SelfSignedCertificates.generate("capstan-api", names,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(3650)));
        return new ServerTls(g.keys().getPrivate(), g.certificate());
    }

    /** A key and certificate of your own. */
    public static ServerTls of(PrivateKey key, X509Certificate certificate) {
        return new ServerTls(key, certificate);
    }

    /** Reads a PEM certificate and a PEM PKCS#8 private key ({@code BEGIN PRIVATE KEY}, EC or RSA). */
    public static ServerTls fromPem(Path certificatePem, Path privateKeyPem) throws IOException {
        try {
            X509Certificate cert = parseCertificate(Files.readString(certificatePem));
            byte[] der = pemBody(Files.readString(privateKeyPem), "PRIVATE KEY");
            PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
            String alg = cert.getPublicKey().getAlgorithm();
            return new ServerTls(KeyFactory.getInstance(alg).generatePrivate(spec), cert);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("cannot read TLS key or certificate: " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificate as PEM, for clients to trust. */
    public String certificatePem() {
        return pem("CERTIFICATE", encoded());
    }

    /** The private key as PEM (PKCS#8), to keep the same identity across restarts; keep it secret. */
    public String privateKeyPem() {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** Parses the first certificate of a PEM text. */
    public static X509Certificate parseCertificate(String pem) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pemBody(pem, "CERTIFICATE")));
    }

    SslContext nettyContext() {
        try {
            return SslContextBuilder.forServer(key, certificate).sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2").build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private byte[] encoded() {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    private static byte[] pemBody(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException("no " + begin + " block found");
        }
        List<String> lines = new ArrayList<>(pem.substring(b + begin.length(), e).lines().toList());
        return Base64.getMimeDecoder().decode(String.join("", lines));
    }
}
