package dev.switchboard.auth;

import java.math.BigInteger;

/**
 * What the verifier reads of a token's header ({@code alg}) and payload ({@code sub}, {@code org},
 * {@code exp}, {@code nbf}, {@code iat}; {@code aud} only for its shape), with the types the token
 * library accepted before (docs/adr/0017-lean-token-verification.md): {@code sub} a string, or a number
 * or boolean read as its text; {@code org} a string only; the times numbers that fit a long (a fraction
 * is cut), or null for none; {@code aud} an array of scalars if an array. Any other syntax or type is
 * {@link TokenException.Reason#MALFORMED}, and so is a second member of a name read here (Jackson kept
 * the last one). One per thread, reset by each read.
 */
final class TokenFields {
    static final int ALG_OTHER = 0;
    static final int HS256 = 1;
    static final int RS256 = 2;
    /** {@code Instant}'s range in seconds: a time outside it cannot be checked. */
    private static final long MAX_SECONDS = 31556889864403199L;
    private static final long MIN_SECONDS = -31557014167219200L;

    int alg;
    /**
     * Whether the header or the payload was the JSON literal {@code null}: java-jwt decoded such a token and then
     * failed with a NullPointerException when it checked the algorithm (header) or, after the signature, the claims
     * (payload), answered "invalid token: NullPointerException"; the verifier answers the same.
     */
    boolean nullHeader;
    boolean nullPayload;
    /** {@code sub} and {@code org} when they are valid ids, else null. */
    String sub;
    String org;
    boolean hasExp;
    boolean hasNbf;
    boolean hasIat;
    long exp;
    long nbf;
    long iat;

    void readHeader(JsonCursor json, byte[] bytes, int length) throws TokenException {
        alg = ALG_OTHER;
        boolean seenAlg = false;
        nullHeader = !json.open(bytes, length);
        if (nullHeader) {
            return;
        }
        while (json.nextMember()) {
            if (json.textIs("alg")) {
                seenAlg = once(seenAlg);
                alg = alg(json);
            } else {
                json.skipValue(2);
            }
        }
    }

    void readPayload(JsonCursor json, byte[] bytes, int length) throws TokenException {
        sub = null;
        org = null;
        hasExp = hasNbf = hasIat = false;
        boolean seenSub = false;
        boolean seenOrg = false;
        boolean seenExp = false;
        boolean seenNbf = false;
        boolean seenIat = false;
        nullPayload = !json.open(bytes, length);
        if (nullPayload) {
            return;
        }
        while (json.nextMember()) {
            if (json.textIs("sub")) {
                seenSub = once(seenSub);
                sub = subject(json);
            } else if (json.textIs("org")) {
                seenOrg = once(seenOrg);
                org = organisation(json);
            } else if (json.textIs("exp")) {
                seenExp = once(seenExp);
                hasExp = seconds(json);
                exp = lastSeconds;
            } else if (json.textIs("nbf")) {
                seenNbf = once(seenNbf);
                hasNbf = seconds(json);
                nbf = lastSeconds;
            } else if (json.textIs("iat")) {
                seenIat = once(seenIat);
                hasIat = seconds(json);
                iat = lastSeconds;
            } else if (json.textIs("aud") && json.peekKind() == JsonCursor.ARRAY) {
                json.skipArrayOfScalars();
            } else {
                json.skipValue(2);
            }
        }
    }

    private static boolean once(boolean seen) throws TokenException {
        if (seen) {
            throw JsonCursor.malformed();
        }
        return true;
    }

    private static int alg(JsonCursor json) throws TokenException {
        if (json.peekKind() != JsonCursor.STRING) {
            json.skipValue(2);
            return ALG_OTHER;
        }
        json.readString();
        return json.textIs("HS256") ? HS256 : json.textIs("RS256") ? RS256 : ALG_OTHER;
    }

    /** A string's text, or a number's or boolean's (as Jackson's {@code asText} wrote it), if it is a valid id. */
    private static String subject(JsonCursor json) throws TokenException {
        switch (json.peekKind()) {
            case JsonCursor.STRING -> {
                json.readString();
                return Ids.isValid(json.text, json.textLength) ? new String(json.text, 0, json.textLength) : null;
            }
            case JsonCursor.NUMBER -> {
                json.readNumber();
                String text = json.numberIsInteger ? new BigInteger(json.numberText()).toString()
                        : Double.toString(Double.parseDouble(json.numberText()));
                return Ids.isValid(text) ? text : null;
            }
            case JsonCursor.TRUE -> {
                json.literal("true");
                return "true";
            }
            case JsonCursor.FALSE -> {
                json.literal("false");
                return "false";
            }
            default -> {
                json.skipValue(2);
                return null;
            }
        }
    }

    private static String organisation(JsonCursor json) throws TokenException {
        if (json.peekKind() != JsonCursor.STRING) {
            json.skipValue(2);
            return null;
        }
        json.readString();
        return Ids.isValid(json.text, json.textLength) ? new String(json.text, 0, json.textLength) : null;
    }

    /** The last time read by {@link #seconds(JsonCursor)}. */
    private long lastSeconds;

    /** Reads a time in epoch seconds into {@link #lastSeconds}; false for null. */
    private boolean seconds(JsonCursor json) throws TokenException {
        int kind = json.peekKind();
        if (kind == JsonCursor.NULL) {
            json.literal("null");
            return false;
        }
        if (kind != JsonCursor.NUMBER) {
            throw JsonCursor.malformed();
        }
        json.readNumber();
        long v;
        if (json.numberIsInteger) {
            v = json.integerValue();
            if (!json.numberFits) {
                throw JsonCursor.malformed();
            }
        } else {
            double d = Double.parseDouble(json.numberText());
            if (!(d >= Long.MIN_VALUE && d <= Long.MAX_VALUE)) {
                throw JsonCursor.malformed();
            }
            v = (long) d;
        }
        if (v > MAX_SECONDS || v < MIN_SECONDS) {
            throw JsonCursor.malformed();
        }
        lastSeconds = v;
        return true;
    }
}
