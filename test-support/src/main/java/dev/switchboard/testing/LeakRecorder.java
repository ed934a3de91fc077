package dev.switchboard.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;

/**
 * A logback appender that keeps every buffer-leak report Netty logs, so that
 * {@link LeakGuardExtension} can fail the test class that caused it. Wired in
 * {@code logback-test.xml} on the {@code io.netty.util.ResourceLeakDetector} logger.
 *
 * <p>The list is static because logback instantiates the appender itself; it
 * exists only in tests.
 */
public final class LeakRecorder extends AppenderBase<ILoggingEvent> {
    private static final List<String> LEAKS = new ArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message != null && message.contains("LEAK:")) {
            synchronized (LEAKS) {
                LEAKS.add(message);
            }
        }
    }

    /** Returns and forgets the leaks reported so far. */
    public static List<String> drain() {
        synchronized (LEAKS) {
            List<String> copy = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return copy;
        }
    }
}
