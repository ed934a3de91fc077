package dev.switchboard.wire.chat;

import java.util.List;

/** One emoji on a message and who reacted with it, in the order they did; the count is their number. */
public record Reaction(String emoji, List<String> users) {
    /** Longest emoji name accepted ({@code :name:} shortcodes or the characters themselves). */
    public static final int MAX_EMOJI_LENGTH = 64;

    public Reaction {
        users = List.copyOf(users);
    }

    public int count() {
        return users.size();
    }
}
