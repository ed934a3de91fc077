package dev.switchboard.message.store;

import dev.switchboard.message.Channel;
import dev.switchboard.message.ChannelDetails;
import dev.switchboard.message.ChannelSummary;
import dev.switchboard.message.ChannelType;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.Membership;
import dev.switchboard.message.MembershipUpdate;
import dev.switchboard.message.Opened;
import dev.switchboard.message.UserRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Channels and membership in the relational database: groups, DMs (get-or-create), members, per-member
 * flags, read checkpoints and "my channels". Any member may add or remove
 * members of a group (there are no channel roles yet); a DM's two members are
 * fixed. Blocking; see {@link Database}.
 */
public final class JdbcChannelStore implements ChannelStore {
    private final Database db;
    private final Clock clock;
    private final int maxMembershipsPerUser;

    public JdbcChannelStore(Database db, Clock clock) {
        this(db, clock, MAX_MEMBERSHIPS_PER_USER);
    }

    /** With another cap on memberships per user than {@link #MAX_MEMBERSHIPS_PER_USER} (tests). */
    public JdbcChannelStore(Database db, Clock clock, int maxMembershipsPerUser) {
        this.db = db;
        this.clock = clock;
        this.maxMembershipsPerUser = maxMembershipsPerUser;
    }

    @Override
    public ChannelDetails createGroup(UserRef creator, String name, List<String> members) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw ChatException.badRequest("name must be 1-200 characters");
        }
        Set<String> all = new LinkedHashSet<>();
        all.add(creator.userId());
        all.addAll(members);
        if (all.size() > MAX_GROUP_MEMBERS_AT_CREATE) {
            throw ChatException.badRequest("at most " + MAX_GROUP_MEMBERS_AT_CREATE + " members at creation");
        }
        Instant now = now();
        return db.inTransaction(c -> {
            UserStore.requireExisting(c, creator.org(), all);
            countMemberships(c, creator.org(), all);
            Channel channel = insertChannel(c, creator.org(), name, ChannelType.GROUP, null, now);
            for (String user : all) {
                insertMembership(c, channel, user, now);
            }
            return new ChannelDetails(channel, List.copyOf(all));
        });
    }

    /**
     * The DM channel of {@code me} and {@code other}, created on first use. The
     * pair's sorted key is unique per organisation, so two concurrent first calls
     * create one channel: the loser of the race finds the winner's.
     */
    @Override
    public Opened openDm(UserRef me, String other) {
        if (me.userId().equals(other)) {
            throw ChatException.badRequest("a DM needs two different users");
        }
        new UserRef(me.org(), other); // validates the id
        String key = me.userId().compareTo(other) < 0 ? me.userId() + "|" + other : other + "|" + me.userId();
        Optional<ChannelDetails> existing = findDm(me.org(), key);
        if (existing.isPresent()) {
            return new Opened(existing.get(), false);
        }
        Instant now = now();
        try {
            return new Opened(db.inTransaction(c -> {
                UserStore.requireExisting(c, me.org(), List.of(me.userId(), other));
                countMemberships(c, me.org(), List.of(me.userId(), other));
                Channel channel = insertChannel(c, me.org(), key, ChannelType.DM, key, now);
                insertMembership(c, channel, me.userId(), now);
                insertMembership(c, channel, other, now);
                return new ChannelDetails(channel, List.of(me.userId(), other));
            }), true);
        } catch (ChatException e) {
            if (e.getCause() instanceof SQLException s && SqlErrors.isUniqueViolation(s)) {
                return new Opened(findDm(me.org(), key).orElseThrow(() -> e), false);
            }
            throw e;
        }
    }

    @Override
    public ChannelDetails details(UserRef caller, long channelId) {
        return db.inTransaction(c -> {
            Channel channel = Access.member(c, caller, channelId).channel();
            return new ChannelDetails(channel, members(c, channelId));
        });
    }

    /** Counted as in {@link #memberships}: sequences are not all messages (ADR 0013), so not {@code lastSeq - lastReadSeq}. */
    @Override
    public ChannelSummary membership(UserRef caller, long channelId) {
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            Access.Counted v = Access.counted(c, caller, channelId);
            return new ChannelSummary(v.channel(), v.membership(), v.unread(), v.mentions(),
                    Affinity.current(v.affinityScore(), now));
        });
    }

    @Override
    public ChannelSummary addMember(UserRef caller, long channelId, String userId) {
        new UserRef(caller.org(), userId); // validates the id
        Instant now = now();
        try {
            return db.inTransaction(c -> {
                Channel channel = Access.member(c, caller, channelId).channel();
                if (channel.type() == ChannelType.DM) {
                    throw ChatException.conflict("a DM has exactly two members");
                }
                UserStore.requireExisting(c, caller.org(), List.of(userId));
                Membership added = insertMembership(c, channel, userId, now);
                countMemberships(c, caller.org(), List.of(userId)); // after the insert: an existing member is 409 as before
                return new ChannelSummary(channel, added);
            });
        } catch (ChatException e) {
            if (e.getCause() instanceof SQLException s && SqlErrors.isUniqueViolation(s)) {
                throw ChatException.conflict(userId + " is already a member");
            }
            throw e;
        }
    }

    @Override
    public Channel removeMember(UserRef caller, long channelId, String userId) {
        return db.inTransaction(c -> {
            Channel channel = Access.member(c, caller, channelId).channel();
            if (channel.type() == ChannelType.DM) {
                throw ChatException.conflict("a DM has exactly two members");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM memberships WHERE channel_id = ? AND user_id = ?")) {
                ps.setLong(1, channelId);
                ps.setString(2, userId);
                if (ps.executeUpdate() == 0) {
                    throw ChatException.notFound(userId + " is not a member of channel " + channelId);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE users SET membership_count = membership_count - 1 WHERE org = ? AND id = ? AND membership_count > 0")) {
                ps.setString(1, channel.org());
                ps.setString(2, userId);
                ps.executeUpdate();
            }
            return channel;
        });
    }

    @Override
    public Membership updateMembership(UserRef caller, long channelId, MembershipUpdate update) {
        return db.inTransaction(c -> {
            Access.member(c, caller, channelId);
            try (PreparedStatement ps = c.prepareStatement("UPDATE memberships SET"
                    + " muted = COALESCE(CAST(? AS BOOLEAN), muted),"
                    + " notify_always = COALESCE(CAST(? AS BOOLEAN), notify_always),"
                    + " starred = COALESCE(CAST(? AS BOOLEAN), starred)"
                    + " WHERE channel_id = ? AND user_id = ?")) {
                setBoolean(ps, 1, update.muted());
                setBoolean(ps, 2, update.notifyAlways());
                setBoolean(ps, 3, update.starred());
                ps.setLong(4, channelId);
                ps.setString(5, caller.userId());
                ps.executeUpdate();
            }
            return Access.member(c, caller, channelId).membership();
        });
    }

    @Override
    public long markRead(UserRef caller, long channelId, long seq) {
        if (seq < 0) {
            throw ChatException.badRequest("seq must be >= 0");
        }
        return db.inTransaction(c -> {
            Access.Visible v = Access.member(c, caller, channelId);
            long target = Math.min(seq, v.channel().lastSeq());
            // The guard in WHERE keeps it monotonic against concurrent calls too.
            try (PreparedStatement ps = c.prepareStatement("UPDATE memberships SET last_read_seq = ?"
                    + " WHERE channel_id = ? AND user_id = ? AND last_read_seq < ?")) {
                ps.setLong(1, target);
                ps.setLong(2, channelId);
                ps.setString(3, caller.userId());
                ps.setLong(4, target);
                ps.executeUpdate();
            }
            Affinity.act(c, channelId, caller.userId(), now());
            return Math.max(target, v.membership().lastReadSeq());
        });
    }

    /**
     * The channel if the caller is a member of it (404 if invisible, 403 if not a member), without the
     * counts {@link #membership} adds: the check of stores whose messages live elsewhere, where this
     * database's message rows are not the channel's (or are an old copy of them).
     */
    public Channel memberChannel(UserRef caller, long channelId) {
        return db.inTransaction(c -> Access.member(c, caller, channelId).channel());
    }

    /**
     * The member read or sent in the channel now: raises its affinity (the channel list's order). For
     * stores whose messages live elsewhere; this store does it in the send's and the read's transaction.
     */
    public void acted(UserRef user, long channelId) {
        Instant now = now();
        db.inTransaction(c -> {
            Affinity.act(c, channelId, user.userId(), now);
            return null;
        });
    }

    @Override
    public List<ChannelSummary> memberships(UserRef user) {
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.CHANNEL_COLUMNS + ", "
                    + Rows.MEMBERSHIP_COLUMNS + ", " + Rows.UNREAD_COUNT + ", " + Rows.MENTION_COUNT
                    + ", m.affinity_score FROM memberships m JOIN channels c ON c.id = m.channel_id"
                    + " WHERE m.org = ? AND m.user_id = ? ORDER BY m.affinity_score DESC, c.id")) {
                ps.setString(1, user.org());
                ps.setString(2, user.userId());
                List<ChannelSummary> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ChannelSummary(Rows.channel(rs, 1), Rows.membership(rs, 7), rs.getLong(14),
                                rs.getLong(15), Affinity.current(rs.getDouble(16), now)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<Channel> memberChannels(UserRef user) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.CHANNEL_COLUMNS
                    + " FROM memberships m JOIN channels c ON c.id = m.channel_id WHERE m.org = ? AND m.user_id = ? ORDER BY c.id")) {
                ps.setString(1, user.org());
                ps.setString(2, user.userId());
                List<Channel> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Rows.channel(rs, 1));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public boolean isMember(UserRef user, long channelId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM memberships m"
                    + " JOIN channels c ON c.id = m.channel_id"
                    + " WHERE m.channel_id = ? AND m.user_id = ? AND c.org = ?")) {
                ps.setLong(1, channelId);
                ps.setString(2, user.userId());
                ps.setString(3, user.org());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    private Optional<ChannelDetails> findDm(String org, String key) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.CHANNEL_COLUMNS
                    + " FROM channels c WHERE c.org = ? AND c.dm_key = ?")) {
                ps.setString(1, org);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Channel channel = Rows.channel(rs, 1);
                    return Optional.of(new ChannelDetails(channel, members(c, channel.id())));
                }
            }
        });
    }

    private static Channel insertChannel(Connection c, String org, String name, ChannelType type, String dmKey,
                                         Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO channels (org, name, type, dm_key, last_seq,"
                + " created_at) VALUES (?, ?, ?, ?, 0, ?)", new String[] {"id"})) {
            ps.setString(1, org);
            ps.setString(2, name);
            ps.setString(3, type.name());
            ps.setString(4, dmKey);
            Rows.setInstant(ps, 5, now);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new Channel(keys.getLong(1), org, name, type, 0, now);
            }
        }
    }

    /** A new member has read everything before they joined: their unread count starts at zero. */
    /**
     * Counts one more membership for each of {@code users}, in the transaction that adds them: 409 if one of them is
     * at the cap already. One conditional update per user, in id order (two transactions that name the same users
     * lock their rows in the same order, so they wait for each other instead of deadlocking), and exact under
     * concurrency (the row lock orders the updates).
     */
    private void countMemberships(Connection c, String org, Collection<String> users) throws SQLException {
        List<String> ordered = new ArrayList<>(users);
        Collections.sort(ordered);
        try (PreparedStatement ps = c.prepareStatement("UPDATE users SET membership_count = membership_count + 1"
                + " WHERE org = ? AND id = ? AND membership_count < ?")) {
            for (String user : ordered) {
                ps.setString(1, org);
                ps.setString(2, user);
                ps.setInt(3, maxMembershipsPerUser);
                if (ps.executeUpdate() == 0) {
                    throw ChatException.conflict(user + " is a member of " + maxMembershipsPerUser
                            + " channels, the most a user may be; they must leave one first");
                }
            }
        }
    }

    private static Membership insertMembership(Connection c, Channel channel, String userId, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO memberships (channel_id, org, user_id,"
                + " joined_at, last_read_seq) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, channel.id());
            ps.setString(2, channel.org());
            ps.setString(3, userId);
            Rows.setInstant(ps, 4, now);
            ps.setLong(5, channel.lastSeq());
            ps.executeUpdate();
        }
        return new Membership(channel.id(), userId, now, false, false, false, channel.lastSeq());
    }

    private static List<String> members(Connection c, long channelId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT user_id FROM memberships WHERE channel_id = ? ORDER BY joined_at, user_id")) {
            ps.setLong(1, channelId);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private static void setBoolean(PreparedStatement ps, int index, Boolean value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BOOLEAN);
        } else {
            ps.setBoolean(index, value);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
