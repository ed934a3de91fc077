package dev.switchboard.message;

import dev.switchboard.wire.StorableText;

/**
 * The chat domain's guard for text it stores: {@link StorableText}'s rule (no NUL,
 * no lone surrogate), refused with {@code INVALID_ARGUMENT} (400 over REST). The
 * REST layer checks every string field it reads; the domain records and
 * {@link ChatService} check theirs again, so the in-process path (dev mode's
 * edge) gets the same answer.
 */
public final class TextValidator {
    private TextValidator() {
    }

    /** {@code value} (may be null) if it can be stored as it is; otherwise throws INVALID_ARGUMENT naming {@code field}. */
    public static String storable(String field, String value) {
        String problem = StorableText.problem(field, value);
        if (problem != null) {
            throw ChatException.invalidArgument(problem);
        }
        return value;
    }
}
