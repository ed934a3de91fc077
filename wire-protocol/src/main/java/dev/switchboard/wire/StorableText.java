package dev.switchboard.wire;

/**
 * The one rule for text that a client hands the system to keep (message text,
 * client_msg_id, group, channel and user names, handles, device tokens): it must
 * be Unicode that every store keeps byte for byte. Two things are not:
 *
 * <ul>
 *   <li>U+0000 (NUL): PostgreSQL's {@code text} refuses it;</li>
 *   <li>a lone UTF-16 surrogate (a high one without its low one, or a low one
 *       alone, as a JSON {@code "\ud800"} escape decodes): it has no UTF-8 form,
 *       so a driver writes {@code ?} instead and the stored text differs from the
 *       acknowledged one.</li>
 * </ul>
 *
 * Everything else, astral characters (surrogate pairs) included, is kept exactly.
 * The message-service checks every text field with it (REST and in-process), and
 * the edge checks a WebSocket chat send before relaying it; both answer
 * {@link ErrorCode#INVALID_ARGUMENT} (400 over REST) with {@link #problem}'s words.
 */
public final class StorableText {
    private StorableText() {
    }

    /** Null when {@code value} (null included) can be stored as it is; otherwise why not, naming {@code field}. */
    public static String problem(String field, String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return field + " contains U+0000 (NUL) at index " + i + "; NUL cannot be stored";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return loneSurrogate(field, c, i);
            }
            if (Character.isLowSurrogate(c)) {
                return loneSurrogate(field, c, i);
            }
        }
        return null;
    }

    /** Whether {@code value} (null included) can be stored as it is. */
    public static boolean isStorable(String value) {
        return problem("text", value) == null;
    }

    private static String loneSurrogate(String field, char c, int index) {
        return field + " contains a lone surrogate U+" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                + " at index " + index + "; text must be well-formed Unicode";
    }
}
