package dev.switchboard.message.store;

import dev.switchboard.message.ChatException;
import dev.switchboard.message.NewUser;
import dev.switchboard.message.User;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Users of every organisation. Blocking; see {@link Database}. */
public final class UserStore {
    private final Database db;
    private final Clock clock;

    public UserStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Creates a user; 409 if the id or the handle is taken in the organisation. */
    public User create(NewUser u) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        try {
            return db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO users (" + Rows.USER_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, u.org());
                    ps.setString(2, u.id());
                    ps.setString(3, u.name());
                    ps.setString(4, u.email());
                    ps.setString(5, u.handle());
                    Rows.setInstant(ps, 6, now);
                    ps.executeUpdate();
                }
                return new User(u.org(), u.id(), u.name(), u.email(), u.handle(), now);
            });
        } catch (ChatException e) {
            if (e.getCause() instanceof SQLException s && SqlErrors.isUniqueViolation(s)) {
                throw ChatException.conflict(SqlErrors.violates(s, "users_handle_unique")
                        ? "handle " + u.handle() + " is taken" : "user " + u.id() + " exists");
            }
            throw e;
        }
    }

    /** The ids of the users of {@code org} with these handles, by handle (unknown handles are absent). */
    public java.util.Map<String, String> idsByHandle(String org, java.util.Collection<String> handles) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        if (handles.isEmpty()) {
            return out;
        }
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT handle, id FROM users WHERE org = ? AND handle IN ("
                    + String.join(", ", java.util.Collections.nCopies(handles.size(), "?")) + ")")) {
                ps.setString(1, org);
                int i = 2;
                for (String h : handles) {
                    ps.setString(i++, h);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return out;
        });
    }

    public Optional<User> find(String org, String id) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + Rows.USER_COLUMNS + " FROM users WHERE org = ? AND id = ?")) {
                ps.setString(1, org);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Rows.user(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The users of {@code org} with these ids, by id (unknown ids are absent); one query. */
    public java.util.Map<String, User> findAll(String org, Collection<String> ids) {
        java.util.Map<String, User> out = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.USER_COLUMNS + " FROM users WHERE org = ?"
                    + " AND id IN (" + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ")")) {
                ps.setString(1, org);
                int i = 2;
                for (String id : ids) {
                    ps.setString(i++, id);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        User u = Rows.user(rs);
                        out.put(u.id(), u);
                    }
                }
            }
            return out;
        });
    }

    /** Throws 404 naming the first of {@code ids} that is not a user of {@code org}. */
    static void requireExisting(Connection c, String org, Collection<String> ids) throws SQLException {
        Set<String> missing = new TreeSet<>(ids);
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE org = ? AND id = ?")) {
            for (String id : ids) {
                ps.setString(1, org);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        missing.remove(id);
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw ChatException.notFound("unknown user " + missing.iterator().next());
        }
    }
}
