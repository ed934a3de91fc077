package dev.switchboard.loadgen.protocol;

/**
 * Sends test publications for a scenario's pacer. {@link #publish} is called
 * on one event loop for every due event and must not block; {@link #flush()}
 * after each batch. A send that cannot happen (socket not writable, too many
 * HTTP requests in flight) is counted as an error, never queued without bound.
 */
public interface Publisher extends AutoCloseable {
    /** Publishes one payload on channel {@code channelIndex}, stamped with its intended wall-clock time. */
    void publish(int channelIndex, long intendedWallMicros);

    /** Flushes what {@link #publish} wrote since the last flush. */
    default void flush() {
    }

    @Override
    default void close() {
    }
}
