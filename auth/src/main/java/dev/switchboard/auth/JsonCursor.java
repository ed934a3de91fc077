package dev.switchboard.auth;

/**
 * A reader of one JSON object's members over UTF-8 bytes, for a token's header and payload: the caller
 * walks the root object's members by name and reads or skips each value; nothing is built but the text of
 * the last string read (in {@link #text}, up to its capacity) and the span of the last number. It accepts
 * the JSON that Jackson's defaults accept (no comments, no single quotes, no leading zeros, no NaN, no
 * unescaped control characters, nesting up to 1000, numbers up to 1000 characters) and, stricter than
 * Jackson's defaults, nothing but whitespace after the root object. Every refusal is
 * {@link TokenException.Reason#MALFORMED}. One per thread, reused ({@link VerifyScratch}).
 */
final class JsonCursor {
    /** Jackson's default nesting limit ({@code StreamReadConstraints}). */
    static final int MAX_DEPTH = 1000;
    /** Jackson's default limit on a number's length. */
    static final int MAX_NUMBER_LENGTH = 1000;
    /** What a string's text reads as where the text is not ASCII: never part of an id or an algorithm's name. */
    static final char NOT_ASCII = '\uFFFD';

    /** Value kinds, by their first byte. */
    static final int STRING = 1, NUMBER = 2, OBJECT = 3, ARRAY = 4, TRUE = 5, FALSE = 6, NULL = 7;

    /** The last string read (a member's name or a string value), decoded, up to its capacity. */
    final char[] text = new char[128];
    /** How many chars of {@link #text} the last string has; -1 when it was longer than {@link #text}. */
    int textLength;
    /** The last number read: {@code bytes[numberStart, numberEnd)}, and whether it had no fraction or exponent. */
    int numberStart;
    int numberEnd;
    boolean numberIsInteger;

    private byte[] bytes;
    private int pos;
    private int end;
    private boolean first;

    /**
     * Starts on the object in {@code bytes[0, length)}; false when the document is the literal {@code null}
     * (which Jackson read as no object at all: the token library then failed on it later, see {@link TokenFields}).
     */
    boolean open(byte[] bytes, int length) throws TokenException {
        this.bytes = bytes;
        this.pos = 0;
        this.end = length;
        if (peek() == 'n') {
            literal("null");
            if (peek() != -1) {
                throw malformed();
            }
            return false;
        }
        expect('{');
        first = true;
        return true;
    }

    /** Reads the next member's name into {@link #text}; false at the end of the root object (then nothing but whitespace may follow). */
    boolean nextMember() throws TokenException {
        int c = peek();
        if (c == '}') {
            pos++;
            if (peek() != -1) {
                throw malformed();
            }
            return false;
        }
        if (!first) {
            if (c != ',') {
                throw malformed();
            }
            pos++;
            c = peek();
        }
        first = false;
        if (c != '"') {
            throw malformed();
        }
        pos++;
        string();
        expect(':');
        return true;
    }

    /** Whether the last string read is exactly {@code name}. */
    boolean textIs(String name) {
        if (textLength != name.length()) {
            return false;
        }
        for (int i = 0; i < textLength; i++) {
            if (text[i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The kind of the value that comes next. */
    int peekKind() throws TokenException {
        int c = peek();
        return switch (c) {
            case '"' -> STRING;
            case '{' -> OBJECT;
            case '[' -> ARRAY;
            case 't' -> TRUE;
            case 'f' -> FALSE;
            case 'n' -> NULL;
            default -> {
                if (c == '-' || c >= '0' && c <= '9') {
                    yield NUMBER;
                }
                throw malformed();
            }
        };
    }

    /** Reads a string value into {@link #text}. */
    void readString() throws TokenException {
        expect('"');
        string();
    }

    /** Reads a number into {@link #numberStart}, {@link #numberEnd} and {@link #numberIsInteger}. */
    void readNumber() throws TokenException {
        peek();
        int start = pos;
        if (pos < end && bytes[pos] == '-') {
            pos++;
        }
        if (pos >= end) {
            throw malformed();
        }
        if (bytes[pos] == '0') {
            pos++;
        } else if (!digits()) {
            throw malformed();
        }
        boolean integer = true;
        if (pos < end && bytes[pos] == '.') {
            pos++;
            integer = false;
            if (!digits()) {
                throw malformed();
            }
        }
        if (pos < end && (bytes[pos] == 'e' || bytes[pos] == 'E')) {
            pos++;
            integer = false;
            if (pos < end && (bytes[pos] == '+' || bytes[pos] == '-')) {
                pos++;
            }
            if (!digits()) {
                throw malformed();
            }
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            throw malformed();
        }
        numberStart = start;
        numberEnd = pos;
        numberIsInteger = integer;
    }

    /** The last number's text (for the rare claims read as text; allocates). */
    String numberText() {
        return new String(bytes, numberStart, numberEnd - numberStart, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The last number, an integer, as a long; sets {@link #numberFits} false (and returns 0) when it does not fit one. */
    long integerValue() {
        long v = 0;
        int i = numberStart;
        boolean negative = bytes[i] == '-';
        if (negative) {
            i++;
        }
        numberFits = true;
        for (; i < numberEnd; i++) {
            int d = bytes[i] - '0';
            // Accumulate negatively: Long.MIN_VALUE has no positive counterpart.
            if (v < (Long.MIN_VALUE + d) / 10) {
                numberFits = false;
                return 0;
            }
            v = v * 10 - d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                numberFits = false;
                return 0;
            }
            v = -v;
        }
        return v;
    }

    /** Whether the last {@link #integerValue()} fitted a long. */
    boolean numberFits;

    /** Skips the next value, whatever it is, checking its syntax; {@code depth} is the nesting it would open. */
    void skipValue(int depth) throws TokenException {
        switch (peekKind()) {
            case STRING -> readString();
            case NUMBER -> readNumber();
            case TRUE -> literal("true");
            case FALSE -> literal("false");
            case NULL -> literal("null");
            case OBJECT -> container(depth, '}', true);
            case ARRAY -> container(depth, ']', false);
            default -> throw malformed();
        }
    }

    /** Reads the literal {@code true}, {@code false} or {@code null} that comes next. */
    void literal(String word) throws TokenException {
        peek();
        if (end - pos < word.length()) {
            throw malformed();
        }
        for (int i = 0; i < word.length(); i++) {
            if (bytes[pos + i] != word.charAt(i)) {
                throw malformed();
            }
        }
        pos += word.length();
    }

    /** Skips an array, checking that each element is a string, number, boolean or null. */
    void skipArrayOfScalars() throws TokenException {
        expect('[');
        if (peek() == ']') {
            pos++;
            return;
        }
        while (true) {
            int kind = peekKind();
            if (kind == OBJECT || kind == ARRAY) {
                throw malformed();
            }
            skipValue(2);
            int c = peek();
            pos++;
            if (c == ']') {
                return;
            }
            if (c != ',') {
                throw malformed();
            }
        }
    }

    private void container(int depth, char close, boolean object) throws TokenException {
        if (depth > MAX_DEPTH) {
            throw malformed();
        }
        pos++;
        if (peek() == close) {
            pos++;
            return;
        }
        while (true) {
            if (object) {
                readString();
                expect(':');
            }
            skipValue(depth + 1);
            int c = peek();
            pos++;
            if (c == close) {
                return;
            }
            if (c != ',') {
                throw malformed();
            }
        }
    }

    /** The rest of a string whose opening quote was read. */
    private void string() throws TokenException {
        int n = 0;
        boolean overflow = false;
        while (true) {
            if (pos >= end) {
                throw malformed();
            }
            int c = bytes[pos++] & 0xff;
            char ch;
            if (c == '"') {
                break;
            } else if (c == '\\') {
                ch = escape();
            } else if (c < 0x20) {
                throw malformed();
            } else {
                ch = c < 0x80 ? (char) c : NOT_ASCII;
            }
            if (n < text.length) {
                text[n++] = ch;
            } else {
                overflow = true;
            }
        }
        textLength = overflow ? -1 : n;
    }

    private char escape() throws TokenException {
        if (pos >= end) {
            throw malformed();
        }
        int c = bytes[pos++];
        return switch (c) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
                if (end - pos < 4) {
                    throw malformed();
                }
                int v = 0;
                for (int i = 0; i < 4; i++) {
                    int h = Character.digit(bytes[pos++], 16);
                    if (h < 0) {
                        throw malformed();
                    }
                    v = v << 4 | h;
                }
                yield (char) v;
            }
            default -> throw malformed();
        };
    }

    private boolean digits() {
        int start = pos;
        while (pos < end && bytes[pos] >= '0' && bytes[pos] <= '9') {
            pos++;
        }
        return pos > start;
    }

    private void expect(char c) throws TokenException {
        if (peek() != c) {
            throw malformed();
        }
        pos++;
    }

    /** Skips whitespace (JSON's four characters only); the next byte, or -1 at the end. */
    private int peek() {
        while (pos < end) {
            int c = bytes[pos] & 0xff;
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return c;
            }
            pos++;
        }
        return -1;
    }

    static TokenException malformed() {
        return new TokenException(TokenException.Reason.MALFORMED, "malformed token");
    }
}
