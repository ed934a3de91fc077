package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenVerifier} answers every token as the java-jwt verifier it replaced did ({@link JavaJwtOracle}):
 * the same claims, or the same reason and message. The only differences allowed are the documented ones
 * (docs/adr/0017-lean-token-verification.md): JSON that a strict parser refuses (content after the root
 * object, a repeated member) may now be MALFORMED, and a time outside {@code Instant}'s range, which escaped
 * the old verifier as an unchecked exception, is MALFORMED.
 */
class TokenVerifierParityTest {
    static final String SECRET = TokenVerifierTest.SECRET;
    static final String OTHER = TokenVerifierTest.OTHER;
    static final long NOW = 1_800_000_000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW, 250_000_000), ZoneOffset.UTC);
    static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    static final String PAYLOAD = "{\"sub\":\"u1\",\"org\":\"acme\",\"iat\":" + NOW + ",\"exp\":" + (NOW + 60) + "}";

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final List<Pair> pairs = List.of(
            new Pair(TokenVerifier.builder().hs256Secret(SECRET).clock(CLOCK).build(),
                    new JavaJwtOracle(List.of(Algorithm.HMAC256(SECRET)), CLOCK)),
            new Pair(TokenVerifier.builder().hs256Secret(SECRET).hs256Secret(OTHER).clock(CLOCK).build(),
                    new JavaJwtOracle(List.of(Algorithm.HMAC256(SECRET), Algorithm.HMAC256(OTHER)), CLOCK)),
            new Pair(TokenVerifier.builder().hs256Secret(OTHER).hs256Secret(SECRET).clock(CLOCK).build(),
                    new JavaJwtOracle(List.of(Algorithm.HMAC256(OTHER), Algorithm.HMAC256(SECRET)), CLOCK)));

    @Test
    void answersCraftedHeadersAsBefore() {
        List<String> headers = List.of(HEADER, "{\"alg\":\"HS256\"}", " {\"alg\" : \"HS256\"}\n", "{\"typ\":\"JWT\",\"alg\":\"HS256\",\"kid\":{\"a\":[1,2,{}]}}",
                "{\"alg\":\"none\"}", "{\"alg\":\"RS256\"}", "{\"alg\":\"hs256\"}", "{\"alg\":\"HS256 \"}", "{\"alg\":\"HS512\"}",
                "{\"alg\":256}", "{\"alg\":null}", "{\"alg\":true}", "{\"alg\":[\"HS256\"]}", "{\"alg\":{\"x\":\"HS256\"}}", "{}",
                "{\"alg\":\"HS\\u0032\\u0035\\u0036\"}", "{\"\\u0061lg\":\"HS256\"}", "{\"alg\":\"HS256\\u0000\"}",
                "{\"alg\":\"HS256\",}", "{'alg':'HS256'}", "{alg:\"HS256\"}", "{\"alg\":\"HS256\"/*c*/}", "{\"alg\" \"HS256\"}",
                "[]", "null", "\"HS256\"", "", " ", "{", "{\"alg\":\"HS256\"", "{\"alg\":\"HS2\u00e956\"}", "{\"alg\":\"HS256\t\"}",
                "{\"alg\":\"HS256\",\"x\":01}", "{\"alg\":\"HS256\",\"x\":NaN}", "{\"alg\":\"HS256\",\"x\":\"\\x\"}",
                "{\"alg\":\"HS256\",\"x\":\"\\u12\"}", "{\"alg\":\"HS256\",\"x\":-}", "{\"alg\":\"HS256\",\"x\":1.}", "{\"alg\":\"HS256\",\"x\":.5}",
                "{\"alg\":\"HS256\",\"x\":1e}", "{\"alg\":\"HS256\",\"x\":+1}", "{\"alg\":\"HS256\",\"x\":tru}", "{\"alg\":\"HS256\",\"x\":truex}",
                "{\"alg\":\"HS256\"}x", "{\"alg\":\"HS256\"}}", "{\"alg\":\"none\",\"alg\":\"HS256\"}", "{\"alg\":\"HS256\",\"alg\":\"none\"}");
        for (String header : headers) {
            same(Tokens.hs256(SECRET, header, PAYLOAD), header + " / " + PAYLOAD, header, PAYLOAD);
        }
    }

    @Test
    void answersCraftedPayloadsAsBefore() {
        List<String> payloads = new ArrayList<>();
        String ids = "\"org\":\"acme\",\"exp\":" + (NOW + 60);
        for (String sub : List.of("\"u1\"", "123", "-0", "1.5", "1e3", "1E+2", "-7", "12345678901234567890123", "true", "false", "null", "{}",
                "[]", "[\"u1\"]", "\"\"", "\"u/1\"", "\"" + "a".repeat(64) + "\"", "\"" + "a".repeat(65) + "\"", "\"" + "a".repeat(200) + "\"",
                "\"\\u0075\\u0031\"", "\"u1\\u0000\"", "\"\u00fc\"", "\"u 1\"", "\"u1\\n\"", "\"\\/u1\"", "1e400", "0.1")) {
            payloads.add("{\"sub\":" + sub + "," + ids + "}");
        }
        for (String org : List.of("\"acme\"", "123", "true", "null", "{}", "[\"acme\"]", "\"a.b-c_d\"", "\"\\u0061cme\"", "\"ac me\"")) {
            payloads.add("{\"sub\":\"u1\",\"org\":" + org + ",\"exp\":" + (NOW + 60) + "}");
        }
        for (String exp : List.of(String.valueOf(NOW + 60), String.valueOf(NOW - 4), String.valueOf(NOW - 5), String.valueOf(NOW - 6),
                String.valueOf(NOW), (NOW + 60) + ".9", (NOW - 5) + ".9", "1.8e9", "1.8000001E9", "1e10", "1e300", "-1", "0",
                "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                "9223372036854775", "9223372036854776", "31556889864403199", "31556889864403200", "-31557014167219200",
                "-31557014167219201", "9.3e18", "-9.3e18", "null", "\"" + (NOW + 60) + "\"", "true", "{}", "[]", "[1]", "1" + "0".repeat(1200))) {
            payloads.add("{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":" + exp + "}");
        }
        for (String time : List.of(String.valueOf(NOW), String.valueOf(NOW + 5), String.valueOf(NOW + 6), (NOW + 5) + ".99", "null",
                "\"x\"", "1e300", "31556889864403200", "-1", "[]")) {
            payloads.add("{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":" + (NOW + 60) + ",\"nbf\":" + time + "}");
            payloads.add("{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":" + (NOW + 60) + ",\"iat\":" + time + "}");
        }
        for (String aud : List.of("\"x\"", "\"\"", "[\"a\",\"b\"]", "[1,true,null,2.5]", "[]", "[{}]", "[[1]]", "[[]]", "{}", "5", "null")) {
            payloads.add("{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":" + (NOW + 60) + ",\"aud\":" + aud + "}");
        }
        for (String other : List.of("\"iss\":{\"a\":[1,{\"b\":null}]}", "\"jti\":123", "\"iss\":[1,2]", "\"x\":\"\\ud800\"", "\"x\":\"\u4e2d\u6587\"",
                "\"x\":\"a\u0001b\"", "\"x\":1.5e-3", "\"x\":-0.0", "\"\":1", "\"x\":[" + "[".repeat(990) + "]".repeat(990) + "]",
                "\"x\":" + "[".repeat(1001) + "]".repeat(1001), "\"x\":" + "{\"a\":".repeat(998) + "1" + "}".repeat(998),
                "\"x\":" + "{\"a\":".repeat(1000) + "1" + "}".repeat(1000))) {
            payloads.add("{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":" + (NOW + 60) + "," + other + "}");
        }
        payloads.addAll(List.of("{\"org\":\"acme\",\"exp\":" + (NOW + 60) + "}", "{\"sub\":\"u1\",\"exp\":" + (NOW + 60) + "}",
                "{\"sub\":\"u1\",\"org\":\"acme\"}", "{}", "[]", "null", "", "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":" + (NOW + 60) + "} ",
                "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":" + (NOW + 60) + "}x", "{\"sub\":\"u1\",\"sub\":\"u2\",\"org\":\"acme\",\"exp\":" + (NOW + 60) + "}",
                "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":" + (NOW - 60) + ",\"exp\":" + (NOW + 60) + "}",
                "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":" + (NOW + 60) + ",\"nbf\":" + (NOW + 60) + "}",
                "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":" + (NOW - 60) + ",\"nbf\":" + (NOW + 60) + "}",
                "{\"sub\":\"u/1\",\"org\":\"acme\",\"exp\":" + (NOW + 60) + ",\"nbf\":" + (NOW + 60) + "}",
                "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":9223372036854776,\"nbf\":" + (NOW + 60) + "}"));
        for (String payload : payloads) {
            for (String secret : List.of(SECRET, OTHER, "not-a-key-of-this-verifier-0123456789")) {
                same(Tokens.hs256(secret, HEADER, payload), secret + ": " + payload, HEADER, payload);
            }
        }
    }

    @Test
    void answersBrokenCompactFormsAsBefore() {
        String valid = Tokens.hs256(SECRET, HEADER, PAYLOAD);
        int dot1 = valid.indexOf('.');
        int dot2 = valid.lastIndexOf('.');
        String h = valid.substring(0, dot1);
        String p = valid.substring(dot1 + 1, dot2);
        String sig = valid.substring(dot2 + 1);
        byte[] sigBytes = Base64.getUrlDecoder().decode(sig);
        List<String> tokens = new ArrayList<>(List.of("", " ", "\t\n", "a", "a.b", "a.b.c", "a.b.c.d", "..", "...", "a..", ".b.", "..c",
                valid, valid + " ", " " + valid, valid + ".", valid + "=", h + "==." + p + "." + sig, h + "." + p + "=." + sig,
                h + "=." + p + "." + sig, h + "." + p + "." + sig + "=", h + "." + p + "." + sig + "==", h + "." + p + ".",
                h + "." + p + "." + sig.substring(1), h + "." + p + "." + sig + "A", h + "." + p + "." + sig.substring(0, sig.length() - 1),
                h + "." + p + "." + sig.replace('-', '+').replace('_', '/'), h + "." + p + "." + Base64.getUrlEncoder().encodeToString(sigBytes),
                h.replace('-', '+') + "." + p + "." + sig, h + "." + p + "." + sig.substring(0, 42) + "\u00e9",
                h + "\u0100." + p + "." + sig, h + "." + p + "." + Tokens.b64(new byte[64]), h + "." + p + "." + Tokens.b64(new byte[31]),
                h + "." + p + "." + Tokens.b64(java.util.Arrays.copyOf(sigBytes, 33)), "e30.e30.", "e30.e30.e30",
                Tokens.b64("{\"alg\":\"none\"}") + "." + p + ".", Tokens.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + p + "." + sig));
        // The last character of an unpadded unit carries unused bits: other values decode to the same bytes.
        char lastSig = sig.charAt(sig.length() - 1);
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray()) {
            if (c != lastSig) {
                tokens.add(h + "." + p + "." + sig.substring(0, sig.length() - 1) + c);
            }
        }
        for (String token : tokens) {
            same(token, token, null, null);
        }
        for (Pair pair : pairs) {
            assertEquals(pair.oracle.outcome(null), outcome(pair.lean, null));
        }
    }

    /** Random edits of a valid token's characters: base64, dots and signature checks as before. */
    @Test
    void answersMutatedTokensAsBefore() {
        Random random = new Random(14);
        String valid = Tokens.hs256(SECRET, HEADER, PAYLOAD);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \u00e9\u0100";
        for (int i = 0; i < 10_000; i++) {
            StringBuilder t = new StringBuilder(valid);
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = random.nextInt(t.length());
                switch (random.nextInt(3)) {
                    case 0 -> t.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> t.deleteCharAt(at);
                    default -> t.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            same(t.toString(), t.toString(), null, null);
        }
    }

    /** Random edits of the JSON of a header and payload, then signed: the JSON reader accepts and refuses as Jackson did. */
    @Test
    void answersMutatedJsonAsBefore() {
        Random random = new Random(1414);
        String alphabet = "{}[]:,\"\\ 0123456789-+.eEtrufalsn/ux\u00e9\n";
        String payload = "{\"sub\":\"u1\",\"org\":\"acme\",\"aud\":[\"a\",1],\"x\":{\"y\":[true,null,-1.5e2]},\"iat\":" + NOW
                + ",\"nbf\":" + NOW + ",\"exp\":" + (NOW + 60) + "}";
        for (int i = 0; i < 10_000; i++) {
            boolean inHeader = random.nextInt(4) == 0;
            StringBuilder t = new StringBuilder(inHeader ? HEADER : payload);
            for (int edits = 1 + random.nextInt(2); edits > 0; edits--) {
                int at = random.nextInt(t.length());
                switch (random.nextInt(3)) {
                    case 0 -> t.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> t.deleteCharAt(at);
                    default -> t.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String h = inHeader ? t.toString() : HEADER;
            String p = inHeader ? payload : t.toString();
            same(Tokens.hs256(SECRET, h, p), h + " / " + p, h, p);
        }
    }

    private void same(String token, String what, String ignoredHeader, String ignoredPayload) {
        for (Pair pair : pairs) {
            String before = pair.oracle.outcome(token);
            String now = outcome(pair.lean, token);
            String inPlace = token == null ? now : outcomeInPlace(pair.lean, token);
            if (!inPlace.equals(now)) {
                fail("for " + what + ": the token alone was answered <" + now + ">, in a larger text <" + inPlace + ">");
            }
            if (before.equals(now)) {
                continue;
            }
            boolean documented = before.startsWith("unchecked: ") || strictRefusesPart(token);
            if (!documented || !now.equals("MALFORMED: malformed token")) {
                fail("for " + what + ": java-jwt answered <" + before + ">, the verifier <" + now + ">");
            }
        }
    }

    /** Whether the token's header or payload decodes and a strict JSON parser refuses it. */
    private static boolean strictRefusesPart(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return false;
        }
        try {
            return strictRefuses(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8))
                    || strictRefuses(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean strictRefuses(String json) {
        try {
            STRICT.readValue(json.getBytes(StandardCharsets.UTF_8), new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, JsonNode>>() { });
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    /** The answer to {@code token} checked where it lies in a larger text with dots on both sides (an {@code Authorization} value). */
    static String outcomeInPlace(TokenVerifier v, String token) {
        String text = "a.b." + token + ".c.";
        try {
            return "ok " + v.verify(text, 4, 4 + token.length());
        } catch (TokenException e) {
            return e.reason() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            return "unchecked: " + e.getClass().getSimpleName();
        }
    }

    static String outcome(TokenVerifier v, String token) {
        try {
            return "ok " + v.verify(token);
        } catch (TokenException e) {
            return e.reason() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            return "unchecked: " + e.getClass().getSimpleName();
        }
    }

    @Test
    void theDocumentedDifferencesAreMalformed() {
        Function<String, String> lean = p -> outcome(pairs.getFirst().lean, Tokens.hs256(SECRET, HEADER, p));
        String ok = ",\"org\":\"acme\",\"exp\":" + (NOW + 60) + "}";
        assertEquals("MALFORMED: malformed token", lean.apply("{\"sub\":\"u1\"" + ok + " x"));
        assertEquals("MALFORMED: malformed token", lean.apply("{\"sub\":\"u1\",\"sub\":\"u2\"" + ok));
        assertEquals("MALFORMED: malformed token", lean.apply("{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":31556889864403200}"));
        assertTrue(pairs.getFirst().oracle.outcome(Tokens.hs256(SECRET, HEADER, "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":31556889864403200}"))
                .startsWith("unchecked"));
    }

    private record Pair(TokenVerifier lean, JavaJwtOracle oracle) {
    }
}
