package dev.switchboard.edge.api;

import java.time.Duration;

/** What the server API may ask of the node's drain. */
public interface DrainControl {
    /** Starts draining over {@code window}; returns the number of sessions to move. */
    int drain(Duration window);

    default boolean isDraining() {
        return false;
    }
}
