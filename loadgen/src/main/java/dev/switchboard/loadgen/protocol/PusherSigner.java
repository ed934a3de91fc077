package dev.switchboard.loadgen.protocol;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs Pusher HTTP API requests (auth version 1.0): the query carries
 * {@code auth_key}, {@code auth_timestamp}, {@code auth_version}, {@code body_md5}
 * and {@code auth_signature}, the hex HMAC-SHA256 of
 * {@code METHOD\nPATH\nSORTED_QUERY} with the app secret. Immutable; the MAC
 * is created per call because {@link Mac} is not thread-safe.
 */
public final class PusherSigner {
    private final String key;
    private final SecretKeySpec secret;

    public PusherSigner(String key, String secret) {
        this.key = key;
        this.secret = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The full query string (signature last) for {@code method path} with {@code body}. */
    public String signedQuery(String method, String path, String body, long timestampSeconds) {
        Map<String, String> params = new TreeMap<>();
        params.put("auth_key", key);
        params.put("auth_timestamp", Long.toString(timestampSeconds));
        params.put("auth_version", "1.0");
        params.put("body_md5", md5Hex(body));
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            query.append(query.isEmpty() ? "" : "&").append(e.getKey()).append('=').append(e.getValue());
        }
        String signature = hmacHex(method + "\n" + path + "\n" + query);
        return query + "&auth_signature=" + signature;
    }

    String hmacHex(String toSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return HexFormat.of().formatHex(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    static String md5Hex(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
