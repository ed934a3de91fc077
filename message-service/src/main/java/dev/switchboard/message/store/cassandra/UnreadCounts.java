package dev.switchboard.message.store.cassandra;

import dev.switchboard.message.ChannelSummary;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A member's unread and mention counts from the channel log after their
 * checkpoint, as the relational store counts them (ADR 0013): new messages only
 * (not edits, deletes or reactions), not the member's own, not deleted ones, not
 * replies kept in their thread; mentions of the member in messages not deleted. A
 * delete of a message after the checkpoint follows it in the log, so one pass over
 * the entries after the checkpoint counts exactly. Both counts stop at
 * {@link ChannelSummary#MAX_COUNTED}, and the pass reads at most the
 * {@link ChannelSummary#MAX_SCANNED} entries after the checkpoint (edits and reactions
 * are entries too): past them the counts are those of the entries read, so the cost of
 * a channel in the list is bounded whatever was sent to it.
 */
final class UnreadCounts {
    private static final int PAGE = 1000;

    private UnreadCounts() {
    }

    /** {unread, mentions} of {@code userId} in the channel after {@code lastReadSeq}, up to {@code head}. */
    static long[] of(ChannelLog log, long channelId, String userId, long lastReadSeq, long head) {
        Set<Long> unread = new HashSet<>();
        Set<Long> mentions = new HashSet<>();
        long cursor = lastReadSeq;
        int scanned = 0;
        while (cursor < head && scanned < ChannelSummary.MAX_SCANNED) {
            List<LogEntry> page = log.after(channelId, cursor, PAGE);
            if (page.isEmpty()) {
                break;
            }
            for (LogEntry e : page) {
                switch (e.kind()) {
                    case MESSAGE -> {
                        if (e.inChannel() && !e.actor().equals(userId)) {
                            unread.add(e.messageId());
                        }
                        if (e.mentions().contains(userId)) {
                            mentions.add(e.messageId());
                        }
                    }
                    case DELETE -> {
                        unread.remove(e.messageId());
                        mentions.remove(e.messageId());
                    }
                    default -> {
                    }
                }
                cursor = e.seq();
            }
            scanned += page.size();
        }
        return new long[] {Math.min(ChannelSummary.MAX_COUNTED, unread.size()), Math.min(ChannelSummary.MAX_COUNTED, mentions.size())};
    }
}
