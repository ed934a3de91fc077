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
    private static final String CHANNEL_AND_MEMBERSHIP = "SELECT " + Rows.CHANNEL_COLUMNS + ", "
            + Rows.MEMBERSHIP_COLUMNS + " FROM channels c LEFT JOIN memberships m"
            + " ON m.channel_id = c.id AND m.user_id = ? WHERE c.id = ?";

    private Access() {
    }

    /** The channel and the caller's membership of it (null if not a member); 404 if the caller cannot see it. */
    static Visible visible(Connection c, UserRef caller, long channelId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CHANNEL_AND_MEMBERSHIP)) {
            ps.setString(1, caller.userId());
            ps.setLong(2, channelId);
            try (ResultSet rs = ps.executeQuery()) {
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
        }
    }

    /** The caller's membership; 404 if invisible, 403 if not a member. */
    static Visible member(Connection c, UserRef caller, long channelId) throws SQLException {
        Visible v = visible(c, caller, channelId);
        if (v.membership() == null) {
            throw ChatException.forbidden("not a member of channel " + channelId);
        }
        return v;
    }

    static ChatException unknownChannel(long channelId) {
        return ChatException.notFound("unknown channel " + channelId);
    }

    /** A channel the caller may see, and their membership of it or null. */
    record Visible(Channel channel, Membership membership) {
    }
}
