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
            char c = id.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
