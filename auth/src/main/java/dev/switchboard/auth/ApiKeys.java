package dev.switchboard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The server API keys accepted now, each with its scope: one organisation, or
 * the whole platform. Several keys may be valid at once, for the same scope or
 * others, so that a key can be rotated: add the new one, move the backends over,
 * remove the old one. Comparison is constant-time over every key.
 */
public final class ApiKeys {
    /** The scope of a platform key in configuration: {@code *:SECRET}. */
    public static final String PLATFORM = "*";
    public static final int MIN_SECRET_LENGTH = 16;

    private final List<byte[]> secrets;
    private final List<Key> keys;

    private ApiKeys(List<byte[]> secrets, List<Key> keys) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one API key is required");
        }
        this.secrets = List.copyOf(secrets);
        this.keys = List.copyOf(keys);
    }

    /**
     * Platform keys from bare secrets (tests, and the launcher before keys were scoped).
     * Prefer {@link #parse}.
     */
    public ApiKeys(List<String> platformSecrets) {
        this(bytes(platformSecrets), platformSecrets.stream().map(s -> new Key(null, fingerprint(s))).toList());
    }

    /**
     * Keys from configuration entries {@code SCOPE:SECRET}: {@code acme:SECRET} for one
     * organisation, {@code *:SECRET} for the whole platform; the secret is at least
     * {@value #MIN_SECRET_LENGTH} characters. An entry without a scope is refused, so
     * that no key gains the whole platform by accident.
     */
    public static ApiKeys parse(List<String> entries) {
        List<byte[]> secrets = new ArrayList<>();
        List<Key> keys = new ArrayList<>();
        for (String entry : entries) {
            String e = entry == null ? "" : entry.strip();
            int colon = e.indexOf(':');
            String scope = colon < 0 ? "" : e.substring(0, colon);
            if (!scope.equals(PLATFORM) && !Ids.isValid(scope)) {
                throw new IllegalArgumentException("an API key names its scope: ORG:SECRET for one organisation, "
                        + "*:SECRET for the whole platform (got an entry without one)");
            }
            String secret = e.substring(colon + 1);
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("an API key's secret must be at least " + MIN_SECRET_LENGTH
                        + " characters (scope " + scope + ")");
            }
            secrets.add(secret.getBytes(StandardCharsets.UTF_8));
            keys.add(new Key(scope.equals(PLATFORM) ? null : scope, fingerprint(secret)));
        }
        return new ApiKeys(secrets, keys);
    }

    /** One platform key (a fleet's internal credential, tests). */
    public static ApiKeys platform(String secret) {
        return new ApiKeys(List.of(secret));
    }

    /** The keys of both sets. */
    public ApiKeys and(ApiKeys other) {
        List<byte[]> s = new ArrayList<>(secrets);
        s.addAll(other.secrets);
        List<Key> k = new ArrayList<>(keys);
        k.addAll(other.keys);
        return new ApiKeys(s, k);
    }

    /** The key that {@code presented} is, or null. Takes the same time whichever key matches. */
    public Key find(String presented) {
        if (presented == null) {
            return null;
        }
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        Key found = null;
        for (int i = 0; i < secrets.size(); i++) {
            if (MessageDigest.isEqual(secrets.get(i), p) && found == null) {
                found = keys.get(i);
            }
        }
        return found;
    }

    public boolean accepts(String presented) {
        return find(presented) != null;
    }

    /** The scopes configured, for the start-up log (no secrets). */
    public List<Key> keys() {
        return keys;
    }

    private static List<byte[]> bytes(List<String> secrets) {
        for (String k : secrets) {
            if (k == null || k.length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("an API key must be at least " + MIN_SECRET_LENGTH + " characters");
            }
        }
        return secrets.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** The first 8 hex digits of the secret's SHA-256: tells keys apart in logs without showing them. */
    static String fingerprint(String secret) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A key's scope: {@code org} for a key of one organisation, null for a platform
     * key; {@code fingerprint} names it in logs.
     */
    public record Key(String org, String fingerprint) {
        public Key {
            Objects.requireNonNull(fingerprint, "fingerprint");
        }

        public boolean isPlatform() {
            return org == null;
        }

        /** Whether the key may act in {@code organisation}. */
        public boolean allows(String organisation) {
            return org == null || org.equals(organisation);
        }

        @Override
        public String toString() {
            return (org == null ? PLATFORM : org) + ":" + fingerprint;
        }
    }
}
