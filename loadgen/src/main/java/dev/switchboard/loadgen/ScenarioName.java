package dev.switchboard.loadgen;

import java.util.Locale;

/** The scenarios loadgen can run, selected by {@code --scenario}. */
public enum ScenarioName {
    /** Open connections at a ramp rate and hold them: connect rate, handshake latency, server memory per connection. */
    IDLE,
    /** Subscribers spread over channels, publishers at a fixed offered rate: end-to-end latency. */
    FANOUT,
    /** Users with many channel memberships sending through the message-service: end-to-end latency. */
    CHAT,
    /** Every client drops at once and reconnects: recovery time. */
    STORM,
    /** Open, hold and close the same connections several times: accept time and memory growth per round. */
    ROUNDS;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ScenarioName parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
