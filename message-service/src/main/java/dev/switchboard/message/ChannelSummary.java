package dev.switchboard.message;

/**
 * One line of "my channels": the channel, my settings, and how many messages I
 * have not read. Because sequences are gap-free, the unread count is
 * {@code lastSeq - lastReadSeq} without counting rows.
 */
public record ChannelSummary(Channel channel, Membership membership) {
    public long unreadCount() {
        return Math.max(0, channel.lastSeq() - membership.lastReadSeq());
    }
}
