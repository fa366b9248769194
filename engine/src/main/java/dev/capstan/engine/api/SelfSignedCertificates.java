package dev.capstan.engine.api;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Makes a self-signed X.509 v3 certificate (EC P-256, ECDSA-SHA256) with the subject alternative names Go's
 * TLS (kubectl) insists on. The DER is written by hand so no JDK internals or extra libraries are needed.
 */
final class SelfSignedCertificates {

    private static final String ECDSA_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String ORGANIZATION = "2.5.4.10";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXT_KEY_USAGE = "2.5.29.37";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    private SelfSignedCertificates() {
    }

    record Generated(KeyPair keys, X509Certificate certificate) {
    }

    /** @param names DNS names and IP literals the certificate is valid for */
    static Generated generate(String commonName, Collection<String> names, Instant notBefore, Instant notAfter) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = g.generateKeyPair();
            byte[] name = seq(set(seq(oid(ORGANIZATION), utf8("capstan"))), set(seq(oid(COMMON_NAME), utf8(commonName))));
            byte[] algorithm = seq(oid(ECDSA_SHA256));
            byte[] tbs = seq(
                    tlv(0xA0, integer(BigInteger.TWO)),
                    integer(new BigInteger(63, new SecureRandom()).add(BigInteger.ONE)),
                    algorithm,
                    name,
                    seq(time(notBefore), time(notAfter)),
                    name,
                    keys.getPublic().getEncoded(),
                    tlv(0xA3, seq(
                            extension(BASIC_CONSTRAINTS, true, seq(bool(true))),
                            extension(KEY_USAGE, true, tlv(0x03, new byte[] {0x02, (byte) 0x84})),
                            extension(EXT_KEY_USAGE, false, seq(oid(SERVER_AUTH))),
                            extension(SUBJECT_ALT_NAME, false, altNames(names)))));
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(keys.getPrivate());
            s.update(tbs);
            byte[] der = seq(tbs, algorithm, bitString(s.sign()));
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
            cert.verify(keys.getPublic());
            return new Generated(keys, cert);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static byte[] altNames(Collection<String> names) {
        List<byte[]> out = new ArrayList<>();
        for (String n : names) {
            if (isIpLiteral(n)) {
                try {
                    out.add(tlv(0x87, InetAddress.getByName(n).getAddress()));
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("not an IP address: " + n, e);
                }
            } else {
                out.add(tlv(0x82, n.getBytes(StandardCharsets.US_ASCII)));
            }
        }
        return seq(out.toArray(byte[][]::new));
    }

    static boolean isIpLiteral(String n) {
        return n.matches("[0-9.]+") || n.contains(":");
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? seq(oid(oid), bool(true), tlv(0x04, value)) : seq(oid(oid), tlv(0x04, value));
    }

    private static byte[] time(Instant t) {
        var utc = t.atOffset(ZoneOffset.UTC);
        if (utc.getYear() < 2050) {
            return tlv(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").format(utc)
                    .getBytes(StandardCharsets.US_ASCII));
        }
        return tlv(0x18, DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").format(utc)
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] oid(String dotted) {
        String[] p = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(p[0]) * 40 + Integer.parseInt(p[1]));
        for (int i = 2; i < p.length; i++) {
            long v = Long.parseLong(p[i]);
            byte[] tmp = new byte[10];
            int n = 0;
            do {
                tmp[n++] = (byte) (v & 0x7F);
                v >>>= 7;
            } while (v > 0);
            for (int j = n - 1; j >= 0; j--) {
                out.write(tmp[j] | (j > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] integer(BigInteger v) {
        return tlv(0x02, v.toByteArray());
    }

    private static byte[] utf8(String s) {
        return tlv(0x0C, s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bool(boolean b) {
        return tlv(0x01, new byte[] {(byte) (b ? 0xFF : 0x00)});
    }

    private static byte[] bitString(byte[] bytes) {
        byte[] v = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, v, 1, bytes.length);
        return tlv(0x03, v);
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
