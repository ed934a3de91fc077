package dev.switchboard.message.store;

import dev.switchboard.message.Channel;
import dev.switchboard.message.ChannelDetails;
import dev.switchboard.message.ChannelSummary;
import dev.switchboard.message.Membership;
import dev.switchboard.message.MembershipUpdate;
import dev.switchboard.message.Opened;
import dev.switchboard.message.UserRef;
import java.util.List;

/**
 * Channels and membership: groups, DMs (get-or-create), members, per-member
 * flags, read checkpoints and "my channels", with each channel's last sequence
 * and each member's checkpoint (so unread counts). {@link JdbcChannelStore}
 * keeps all of it in the relational database; the Cassandra store keeps the
 * channels and members there too and takes the positions (last sequence,
 * checkpoints) from Cassandra. Visibility: a channel of another organisation is
 * 404 for the caller, one of theirs that they are not a member of 403.
 * Blocking; callers run it off the event loops.
 */
public interface ChannelStore {
    int MAX_GROUP_MEMBERS_AT_CREATE = 1000;
    /**
     * Channels one user may be a member of, DMs included. Every membership is a subscription of each of the user's
     * sessions and an entry of their {@code ConnectResult} (up to ~90 bytes with the longest names), so this keeps
     * that reply within the edge's 1 MiB outbound cap; and any member of an organisation may add anyone to a group,
     * so without a cap others could give a user memberships without bound. Adding a member past it is 409.
     */
    int MAX_MEMBERSHIPS_PER_USER = 5000;

    /** Creates a group with the creator and {@code members}; 404 if any of them is not a user of the creator's org. */
    ChannelDetails createGroup(UserRef creator, String name, List<String> members);

    /** The DM channel of {@code me} and {@code other}, created on first use; the same channel for either order. */
    Opened openDm(UserRef me, String other);

    /** The channel and its members; 404 if invisible, 403 if the caller is not a member. */
    ChannelDetails details(UserRef caller, long channelId);

    /** The channel and the caller's membership of it; 404 if invisible, 403 if the caller is not a member. */
    ChannelSummary membership(UserRef caller, long channelId);

    /** Adds {@code userId} to a group the caller is a member of; 409 for a DM or an existing member. */
    ChannelSummary addMember(UserRef caller, long channelId, String userId);

    /** Removes {@code userId} (the caller themselves, or another member) from a group; returns the channel. */
    Channel removeMember(UserRef caller, long channelId, String userId);

    /** Changes the caller's own flags; null fields keep their value. */
    Membership updateMembership(UserRef caller, long channelId, MembershipUpdate update);

    /**
     * Moves the caller's read checkpoint forward to {@code seq} (capped at the
     * channel's last sequence) and returns it; a lower {@code seq} leaves it where it is.
     */
    long markRead(UserRef caller, long channelId, long seq);

    /** Every channel the user is a member of, DMs and groups: by affinity (relational store; ADR 0013), else by channel id. */
    List<ChannelSummary> memberships(UserRef user);

    /**
     * Every channel the user is a member of with its last sequence, by channel id: what an edge subscribes at
     * connect, without what {@link #memberships} counts (unread messages and mentions read rows after each
     * checkpoint, and an edge connects far more often than a client opens its channel list).
     */
    List<Channel> memberChannels(UserRef user);

    /** Whether the user is a member of the channel; false too for an unknown channel or one of another org. */
    boolean isMember(UserRef user, long channelId);
}
