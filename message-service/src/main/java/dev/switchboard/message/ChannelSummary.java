package dev.switchboard.message;

/**
 * One line of "my channels": the channel, my settings, how many messages I have
 * not read and how many of those mention me. Only new messages count (not edits,
 * deletes or reactions: ADR 0013), and neither my own nor deleted ones nor thread
 * replies kept in their thread. A store without message events has gap-free
 * message sequences and counts {@code lastSeq - lastReadSeq}.
 */
public record ChannelSummary(Channel channel, Membership membership, long unreadCount, long mentionCount) {

    /** A summary of a store whose sequences are all messages (no events): unread without counting rows. */
    public ChannelSummary(Channel channel, Membership membership) {
        this(channel, membership, Math.max(0, channel.lastSeq() - membership.lastReadSeq()), 0);
    }
}
