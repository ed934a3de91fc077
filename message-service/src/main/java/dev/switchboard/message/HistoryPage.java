package dev.switchboard.message;

import java.util.List;

/**
 * A page of history in the order asked for (newest first for "before", oldest
 * first for "after"). {@code nextCursor} is the sequence to pass as the next
 * {@code before}/{@code after}, or null when there is nothing more that way.
 */
public record HistoryPage(List<Message> messages, Long nextCursor) {
    public HistoryPage {
        messages = List.copyOf(messages);
    }
}
