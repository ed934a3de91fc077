package dev.switchboard.client;

import java.util.List;

/** One page of a chat channel's history; {@code nextCursor} is the next page's start, 0 at the end. */
public record HistoryPage(List<Publication> publications, long nextCursor) {
}
