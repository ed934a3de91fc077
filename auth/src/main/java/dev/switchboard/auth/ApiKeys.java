package dev.switchboard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The server API keys accepted now. Several may be valid at once so that a key
 * can be rotated: add the new one, move the backends over, remove the old one.
 * Comparison is constant-time.
 */
public final class ApiKeys {
    private final List<byte[]> keys;

    public ApiKeys(List<String> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one API key is required");
        }
        for (String k : keys) {
            if (k == null || k.length() < 16) {
                throw new IllegalArgumentException("an API key must be at least 16 characters");
            }
        }
        this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    public boolean accepts(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] k : keys) {
            ok |= MessageDigest.isEqual(k, p);
        }
        return ok;
    }
}
