package dev.switchboard.auth;

/**
 * A server call that its key may not make ({@link ServerPrincipal}). Each surface
 * answers it in its own envelope: {@link #forbidden()} ones with 403
 * {@code PERMISSION_DENIED}, the others (a malformed act-as request) with 400.
 */
public final class KeyScopeException extends RuntimeException {
    private final boolean forbidden;

    KeyScopeException(boolean forbidden, String message) {
        super(message, null, false, false);
        this.forbidden = forbidden;
    }

    /** True for a valid key that may not do this (403); false for a malformed request (400). */
    public boolean forbidden() {
        return forbidden;
    }
}
