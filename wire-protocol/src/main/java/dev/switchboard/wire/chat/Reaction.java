package dev.switchboard.wire.chat;

import java.util.List;

/** One emoji on a message and who reacted with it, in the order they did; the count is their number. */
public record Reaction(String emoji, List<String> users) {
    /** Longest emoji name accepted ({@code :name:} shortcodes or the characters themselves). */
    public static final int MAX_EMOJI_LENGTH = 64;
    /**
     * Different emoji one message may carry. Every reaction change sends the message's whole reaction state to the
     * channel and every history page carries it, so without a bound one member adding emoji after emoji makes each
     * change cost more than the last.
     */
    public static final int MAX_PER_MESSAGE = 50;

    public Reaction {
        users = List.copyOf(users);
    }

    public int count() {
        return users.size();
    }
}
