package dev.switchboard.cli;

/**
 * A server could not start, said in one line that names what to fix: the
 * option (flag, environment variable or configuration key) and its value, what
 * went wrong, and what to do. {@link Failures} prints it alone, or with the
 * stack trace of its cause under {@code --debug}.
 */
public final class StartupFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupFailure(String message, Throwable cause) {
        super(message, cause);
    }

    public StartupFailure(String message) {
        super(message);
    }
}
