package dev.switchboard.testing;

/**
 * Closing what a test class started in {@code @BeforeAll}, some of which may not
 * have started: a failed start leaves later fixtures null.
 */
public final class Closeables {
    private Closeables() {
    }

    /**
     * Closes each of {@code resources} that is not null, in order. Every one is closed
     * even if an earlier one fails; the first failure is thrown then, later ones
     * suppressed in it (a checked one wrapped in an {@link IllegalStateException}).
     */
    public static void closeAll(AutoCloseable... resources) {
        RuntimeException failure = null;
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException re ? re : new IllegalStateException("closing " + r, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
