package dev.capstan.dsl.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/** The name rules Kubernetes applies, with a reason a user can act on; each method returns null when valid. */
final class Names {
    static final int MAX_NAME = 63;
    static final int MAX_PORT_NAME = 15;
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private Names() {
    }

    /** A service or namespace name: a DNS label starting with a letter (RFC 1035), at most 63 characters. */
    static String dnsLabel(String name) {
        return label(name, MAX_NAME);
    }

    /** A port name (IANA service name): at most 15 characters, at least one letter, no "--". */
    static String portName(String name) {
        String problem = label(name, MAX_PORT_NAME);
        if (problem == null && name.contains("--")) {
            return "port names have no '--'";
        }
        return problem;
    }

    private static String label(String name, int max) {
        if (name.length() > max) {
            return "names are at most " + max + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '-') {
                return "names use only lowercase letters, digits and '-'";
            }
        }
        if (!name.toLowerCase(Locale.ROOT).equals(name)) {
            return "names are lowercase";
        }
        if (name.isEmpty() || !(name.charAt(0) >= 'a' && name.charAt(0) <= 'z')) {
            return "names start with a letter";
        }
        if (name.endsWith("-")) {
            return "names end with a letter or digit";
        }
        return null;
    }

    /** A valid name close to {@code name} ("Hello_World" gives "hello-world"), or null if there is none. */
    static String fix(String name, int max) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-");
        s = s.replaceAll("^[^a-z]+", "");
        if (s.length() > max) {
            s = s.substring(0, max);
        }
        s = s.replaceAll("-+$", "");
        return s.isEmpty() || s.equals(name) ? null : s;
    }

    static String labelKey(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return "a key prefix is a lowercase DNS name such as example.com/";
            }
        }
        if (name.isEmpty() || name.length() > MAX_NAME) {
            return "the name part of a key has 1 to 63 characters";
        }
        if (!LABEL_NAME.matcher(name).matches()) {
            return "keys use letters, digits, '-', '_' and '.', and start and end with a letter or digit";
        }
        return null;
    }

    static String labelValue(String value) {
        if (value.length() > MAX_NAME) {
            return "values are at most 63 characters";
        }
        if (!value.isEmpty() && !LABEL_NAME.matcher(value).matches()) {
            return "values use letters, digits, '-', '_' and '.', and start and end with a letter or digit";
        }
        return null;
    }

    static boolean envName(String name) {
        return ENV_NAME.matcher(name).matches();
    }
}
