package dev.switchboard.auth;


/**
 * The shape of user and organisation ids, 1-64 of {@code [A-Za-z0-9_.-]}: they appear in channel names, so they
 * may not contain separators. Checked on every WebSocket upgrade (the token's sub and org), char by char: a
 * regex matcher per check was ~10% of a handshake's garbage (docs/benchmarks.md, "Handshake garbage").
 */
public final class Ids {
    static final int MAX_LENGTH = 64;

    private Ids() {
    }

    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!isIdChar(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** As {@link #isValid(String)} for {@code chars[0, length)} (a token's claim before it becomes a string); false for a negative length. */
    static boolean isValid(char[] chars, int length) {
        if (length <= 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (!isIdChar(chars[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-';
    }
}
