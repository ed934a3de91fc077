package dev.switchboard.message;

import dev.switchboard.wire.ChannelNames;
import java.time.Instant;

/** A chat channel; {@code lastSeq} is the sequence of its newest message (0 when empty). */
public record Channel(long id, String org, String name, ChannelType type, long lastSeq, Instant createdAt) {

    /** The realtime channel that carries this channel's publications. */
    public String realtimeName() {
        return ChannelNames.chat(org, id);
    }
}
