package dev.switchboard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The server keys a surface accepts now, each with its scope (see docs/security.md,
 * "How keys are scoped"):
 * <ul>
 *   <li>an <b>organisation key</b>, {@code org:ORG:SECRET}: a backend of one organisation; it acts
 *       in that organisation only;</li>
 *   <li>a <b>platform key</b>, {@code platform:SECRET}: an operator's backend that serves every
 *       organisation; only ever made on purpose;</li>
 *   <li>the <b>internal credential</b> ({@link #internal}): what edge nodes present to the
 *       message-service to relay their users' calls; never handed to a backend, accepted by the
 *       message-service only.</li>
 * </ul>
 * Several keys may be valid at once, for the same scope or others, so that a key
 * can be rotated: add the new one, move the backends over, remove the old one.
 * Comparison is constant-time over every key.
 */
public final class ApiKeys {
    /** The prefix of an organisation key in configuration: {@code org:ORG:SECRET}. */
    public static final String ORG_PREFIX = "org:";
    /** The prefix of a platform key in configuration: {@code platform:SECRET}. */
    public static final String PLATFORM_PREFIX = "platform:";
    public static final int MIN_SECRET_LENGTH = 16;

    /** What a key is for. */
    public enum Kind {
        /** A backend of one organisation. */
        ORG,
        /** A backend of the whole platform. */
        PLATFORM,
        /** The fleet's internal credential: edge nodes relaying their users' calls to the message-service. */
        INTERNAL
    }

    private final List<byte[]> secrets;
    private final List<Key> keys;

    private ApiKeys(List<byte[]> secrets, List<Key> keys) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one API key is required");
        }
        for (int i = 0; i < secrets.size(); i++) {
            for (int j = i + 1; j < secrets.size(); j++) {
                if (MessageDigest.isEqual(secrets.get(i), secrets.get(j))) {
                    throw new IllegalArgumentException("the same secret is given twice (" + keys.get(i) + " and "
                            + keys.get(j) + "); every key, and the internal credential, needs a secret of its own");
                }
            }
        }
        this.secrets = List.copyOf(secrets);
        this.keys = List.copyOf(keys);
    }

    /** Platform keys from bare secrets (tests and in-process systems; configuration goes through {@link #parse}). */
    public ApiKeys(List<String> platformSecrets) {
        this(bytes(platformSecrets), platformSecrets.stream().map(s -> new Key(Kind.PLATFORM, null, fingerprint(s))).toList());
    }

    /**
     * Keys from configuration entries: {@code org:ORG:SECRET} for a backend of one
     * organisation, {@code platform:SECRET} for one of the whole platform; the secret is
     * at least {@value #MIN_SECRET_LENGTH} characters. A bare secret (what a key was
     * before keys were scoped) is refused with a message that says how to write it, so
     * that no key gains the whole platform by accident.
     */
    public static ApiKeys parse(List<String> entries) {
        List<byte[]> secrets = new ArrayList<>();
        List<Key> keys = new ArrayList<>();
        for (String entry : entries) {
            Key key = scopeOf(entry == null ? "" : entry.strip());
            String secret = secretOf(entry);
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("an API key's secret must be at least " + MIN_SECRET_LENGTH
                        + " characters (" + key.describe() + ")");
            }
            secrets.add(secret.getBytes(StandardCharsets.UTF_8));
            keys.add(new Key(key.kind(), key.org(), fingerprint(secret)));
        }
        return new ApiKeys(secrets, keys);
    }

    /** One platform key (tests). */
    public static ApiKeys platform(String secret) {
        return new ApiKeys(List.of(secret));
    }

    /** The internal credential alone; combine it with a surface's backend keys with {@link #and}. */
    public static ApiKeys internal(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the internal credential must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        return new ApiKeys(List.of(secret.getBytes(StandardCharsets.UTF_8)),
                List.of(new Key(Kind.INTERNAL, null, fingerprint(secret))));
    }

    /**
     * The secret a client presents for a configuration entry: {@code org:acme:S} and
     * {@code platform:S} present {@code S}; anything else is presented as it is.
     */
    public static String secretOf(String entry) {
        String e = entry == null ? "" : entry.strip();
        if (e.startsWith(PLATFORM_PREFIX)) {
            return e.substring(PLATFORM_PREFIX.length());
        }
        if (e.startsWith(ORG_PREFIX)) {
            int colon = e.indexOf(':', ORG_PREFIX.length());
            return colon < 0 ? "" : e.substring(colon + 1);
        }
        return e;
    }

    private static Key scopeOf(String e) {
        if (e.startsWith(PLATFORM_PREFIX)) {
            return new Key(Kind.PLATFORM, null, "-");
        }
        if (e.startsWith(ORG_PREFIX)) {
            int colon = e.indexOf(':', ORG_PREFIX.length());
            String org = colon < 0 ? "" : e.substring(ORG_PREFIX.length(), colon);
            if (!Ids.isValid(org)) {
                throw new IllegalArgumentException("an organisation key is org:ORG:SECRET with ORG an id of 1-64 "
                        + "[A-Za-z0-9_.-] (got org:" + (colon < 0 ? "... without a secret" : org + ":...") + ")");
            }
            return new Key(Kind.ORG, org, "-");
        }
        throw new IllegalArgumentException("an API key names its scope: org:ORG:SECRET for a backend of one "
                + "organisation, platform:SECRET for one of every organisation (a bare key is refused; to keep the "
                + "reach it had before keys were scoped, write platform:<key>)");
    }

    /** The keys of both sets; a secret in both is refused. */
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

    @Override
    public String toString() {
        return keys.toString();
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
     * A key's scope: its {@link Kind}, its organisation (an organisation key's; null
     * otherwise) and {@code fingerprint}, which names it in logs.
     */
    public record Key(Kind kind, String org, String fingerprint) {
        public Key {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(fingerprint, "fingerprint");
            if ((kind == Kind.ORG) != (org != null)) {
                throw new IllegalArgumentException("an organisation key, and only one, names its organisation");
            }
        }

        public boolean isPlatform() {
            return kind == Kind.PLATFORM;
        }

        public boolean isInternal() {
            return kind == Kind.INTERNAL;
        }

        /** Whether the key may act in {@code organisation}: its own for an organisation key, any other. */
        public boolean allows(String organisation) {
            return kind != Kind.ORG || org.equals(organisation);
        }

        /** How the key is named in logs and answers, without its secret: {@code org:acme (1a2b3c4d)}. */
        public String describe() {
            return switch (kind) {
                case ORG -> "org:" + org;
                case PLATFORM -> "platform";
                case INTERNAL -> "internal";
            } + (fingerprint.equals("-") ? "" : " (" + fingerprint + ")");
        }

        @Override
        public String toString() {
            return describe();
        }
    }
}
