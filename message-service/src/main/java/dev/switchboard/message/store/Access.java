package dev.switchboard.message.store;

import dev.switchboard.message.Channel;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.Membership;
import dev.switchboard.message.UserRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The visibility rule, in one place: a channel of another organisation does not
 * exist for the caller (404, so ids cannot be probed across organisations); a
 * channel of the caller's organisation that they are not a member of is
 * forbidden (403).
 */
final class Access {
    private static final String FROM = " FROM channels c LEFT JOIN memberships m"
            + " ON m.channel_id = c.id AND m.user_id = ? WHERE c.id = ?";
    private static final String CHANNEL_AND_MEMBERSHIP = "SELECT " + Rows.CHANNEL_COLUMNS + ", "
            + Rows.MEMBERSHIP_COLUMNS + FROM;
    private static final String WITH_COUNTS = "SELECT " + Rows.CHANNEL_COLUMNS + ", " + Rows.MEMBERSHIP_COLUMNS
            + ", " + Rows.UNREAD_COUNT + ", " + Rows.MENTION_COUNT + ", m.affinity_score" + FROM;

    private Access() {
    }

    /** The channel and the caller's membership of it (null if not a member); 404 if the caller cannot see it. */
    static Visible visible(Connection c, UserRef caller, long channelId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CHANNEL_AND_MEMBERSHIP)) {
            try (ResultSet rs = query(ps, caller, channelId)) {
                return visible(rs, caller, channelId);
            }
        }
    }

    /**
     * The channel and the caller's membership with its counts and stored affinity score, in one statement;
     * 404 if invisible, 403 if not a member.
     */
    static Counted counted(Connection c, UserRef caller, long channelId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(WITH_COUNTS)) {
            try (ResultSet rs = query(ps, caller, channelId)) {
                Visible v = visible(rs, caller, channelId);
                if (v.membership() == null) {
                    throw notAMember(channelId);
                }
                return new Counted(v.channel(), v.membership(), rs.getLong(14), rs.getLong(15), rs.getDouble(16));
            }
        }
    }

    private static ResultSet query(PreparedStatement ps, UserRef caller, long channelId) throws SQLException {
        ps.setString(1, caller.userId());
        ps.setLong(2, channelId);
        return ps.executeQuery();
    }

    private static Visible visible(ResultSet rs, UserRef caller, long channelId) throws SQLException {
        if (!rs.next()) {
            throw unknownChannel(channelId);
        }
        Channel channel = Rows.channel(rs, 1);
        if (!channel.org().equals(caller.org())) {
            throw unknownChannel(channelId);
        }
        rs.getLong(7);
        Membership membership = rs.wasNull() ? null : Rows.membership(rs, 7);
        return new Visible(channel, membership);
    }

    /** The caller's membership; 404 if invisible, 403 if not a member. */
    static Visible member(Connection c, UserRef caller, long channelId) throws SQLException {
        Visible v = visible(c, caller, channelId);
        if (v.membership() == null) {
            throw notAMember(channelId);
        }
        return v;
    }

    private static ChatException notAMember(long channelId) {
        return ChatException.forbidden("not a member of channel " + channelId);
    }

    static ChatException unknownChannel(long channelId) {
        return ChatException.notFound("unknown channel " + channelId);
    }

    /** A channel the caller may see, and their membership of it or null. */
    record Visible(Channel channel, Membership membership) {
    }

    /** A member's channel, membership, counts (ADR 0013) and stored affinity score. */
    record Counted(Channel channel, Membership membership, long unread, long mentions, double affinityScore) {
    }
}
