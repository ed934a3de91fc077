package dev.switchboard.message.store;

import dev.switchboard.message.ChatException;
import dev.switchboard.message.Device;
import dev.switchboard.message.DevicePlatform;
import dev.switchboard.message.UserRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Push devices, and who of a channel should hear of a message by push. Plain SQL
 * on both dialects: an upsert is an UPDATE, then an INSERT when no row was there
 * (a concurrent first registration loses the insert race and retries as the
 * update). Blocking; see {@link Database}.
 */
public final class DeviceStore {
    public static final int MAX_DEVICES_PER_USER = 20;

    private static final String MOVE = "UPDATE devices SET org = ?, user_id = ? WHERE platform = ? AND token = ?";
    private static final String INSERT = "INSERT INTO devices (platform, token, org, user_id, created_at)"
            + " VALUES (?, ?, ?, ?, ?)";
    // Members other than the sender whose membership lets pushes through, with their devices.
    private static final String TARGETS = "SELECT d.org, d.user_id, d.platform, d.token FROM memberships m"
            + " JOIN devices d ON d.org = m.org AND d.user_id = m.user_id"
            + " WHERE m.channel_id = ? AND m.user_id <> ? AND (m.muted = FALSE OR m.notify_always = TRUE)"
            + " ORDER BY d.user_id, d.platform, d.token";

    private final Database db;
    private final Clock clock;

    public DeviceStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Registers the caller's device; true if the token was not the caller's before
     * (new, or moved from another user), false if it already was (idempotent).
     */
    public boolean register(UserRef user, DevicePlatform platform, String token) {
        Device device = new Device(user.org(), user.userId(), platform, token); // validates the token
        for (int attempt = 0; ; attempt++) {
            try {
                return db.inTransaction(c -> upsert(c, device));
            } catch (ChatException e) {
                if (attempt == 0 && e.getCause() instanceof SQLException s && SqlErrors.isUniqueViolation(s)) {
                    continue; // a concurrent registration of the same token inserted first
                }
                throw e;
            }
        }
    }

    private boolean upsert(Connection c, Device d) throws SQLException {
        if (owner(c, d).map(o -> o.equals(new UserRef(d.org(), d.userId()))).orElse(false)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement(MOVE)) {
            ps.setString(1, d.org());
            ps.setString(2, d.userId());
            ps.setString(3, d.platform().wireName());
            ps.setString(4, d.token());
            if (ps.executeUpdate() == 1) {
                return true;
            }
        }
        if (count(c, d.org(), d.userId()) >= MAX_DEVICES_PER_USER) {
            throw ChatException.conflict("at most " + MAX_DEVICES_PER_USER + " devices per user");
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, d.platform().wireName());
            ps.setString(2, d.token());
            ps.setString(3, d.org());
            ps.setString(4, d.userId());
            Rows.setInstant(ps, 5, clock.instant().truncatedTo(ChronoUnit.MILLIS));
            ps.executeUpdate();
        }
        return true;
    }

    private static Optional<UserRef> owner(Connection c, Device d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT org, user_id FROM devices WHERE platform = ? AND token = ?")) {
            ps.setString(1, d.platform().wireName());
            ps.setString(2, d.token());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new UserRef(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    private static int count(Connection c, String org, String userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM devices WHERE org = ? AND user_id = ?")) {
            ps.setString(1, org);
            ps.setString(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Removes the caller's device with this token (any platform); false if the caller had none. */
    public boolean unregister(UserRef user, String token) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM devices WHERE org = ? AND user_id = ? AND token = ?")) {
                ps.setString(1, user.org());
                ps.setString(2, user.userId());
                ps.setString(3, token);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** The caller's devices. */
    public List<Device> devices(UserRef user) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT org, user_id, platform, token FROM devices"
                    + " WHERE org = ? AND user_id = ? ORDER BY platform, token")) {
                ps.setString(1, user.org());
                ps.setString(2, user.userId());
                return read(ps);
            }
        });
    }

    /**
     * The devices of the channel's members, except {@code senderId}, whose
     * membership is not muted or has notify_always set: who may get a push.
     * Presence is applied by the caller.
     */
    public List<Device> pushTargets(long channelId, String senderId) {
        return pushTargets(channelId, senderId, List.of());
    }

    /**
     * As {@link #pushTargets(long, String)}, and the devices of {@code mentioned} members even when they
     * muted the channel: a mention notifies unless nothing else would (ADR 0013).
     */
    public List<Device> pushTargets(long channelId, String senderId, List<String> mentioned) {
        String sql = mentioned.isEmpty() ? TARGETS : TARGETS.replace("(m.muted = FALSE OR m.notify_always = TRUE)",
                "(m.muted = FALSE OR m.notify_always = TRUE OR m.user_id IN ("
                        + String.join(", ", java.util.Collections.nCopies(mentioned.size(), "?")) + "))");
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, channelId);
                ps.setString(2, senderId);
                int i = 3;
                for (String u : mentioned) {
                    ps.setString(i++, u);
                }
                return read(ps);
            }
        });
    }

    /** A user's display name, or empty if there is no such user. */
    public Optional<String> userName(String org, String userId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM users WHERE org = ? AND id = ?")) {
                ps.setString(1, org);
                ps.setString(2, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    private static List<Device> read(PreparedStatement ps) throws SQLException {
        List<Device> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Device(rs.getString(1), rs.getString(2), DevicePlatform.of(rs.getString(3)),
                        rs.getString(4)));
            }
        }
        return out;
    }
}
