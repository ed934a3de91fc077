package dev.switchboard.message;

/**
 * One line of "my channels": the channel, my settings, how many messages I have
 * not read and how many of those mention me. Only new messages count (not edits,
 * deletes or reactions: ADR 0013), and neither my own nor deleted ones nor thread
 * replies kept in their thread. A store without message events has gap-free
 * message sequences and counts {@code lastSeq - lastReadSeq}.
 *
 * <p>{@code affinityScore}: the membership's affinity now, the decayed sum of the
 * member's reads and sends in the channel (each worth 1, e times less after a week;
 * ADR 0013), which orders the channel list; 0 where the store keeps none.
 *
 * <p>Both counts stop at {@link #MAX_COUNTED} (a client shows "999+") and look at the {@link #MAX_SCANNED} sequences
 * after the checkpoint at most (edits and reactions take sequences too; past them the counts are of what was looked
 * at): counting reads a row per sequence, for every channel of the list, and a reader does not decide how much
 * others send to a channel.
 */
public record ChannelSummary(Channel channel, Membership membership, long unreadCount, long mentionCount,
                             double affinityScore) {
    public static final int MAX_COUNTED = 1000;
    public static final int MAX_SCANNED = 5 * MAX_COUNTED;

    /** A summary with counts, of a store that keeps no affinity. */
    public ChannelSummary(Channel channel, Membership membership, long unreadCount, long mentionCount) {
        this(channel, membership, unreadCount, mentionCount, 0);
    }

    /** A summary of a store whose sequences are all messages (no events): unread without counting rows. */
    public ChannelSummary(Channel channel, Membership membership) {
        this(channel, membership, Math.min(MAX_COUNTED, Math.max(0, channel.lastSeq() - membership.lastReadSeq())), 0);
    }
}
