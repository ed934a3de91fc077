package dev.switchboard.message.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.Media;
import dev.switchboard.message.UserRef;
import dev.switchboard.message.internal.ChatJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Media rows, and the rules that tie them to messages. A message may reference
 * media by id ({@code attachments: [{"media_id": N}]}): each must exist in the
 * sender's organisation (404 otherwise, as for channels), be the sender's own
 * upload (403) and not be attached yet (409). The reference is stored enriched
 * with type and size, and the media row records the channel and message, which
 * is what lets that channel's members download it. Blocking; see {@link Database}.
 */
public final class MediaStore {
    static final String COLUMNS = "id, org, uploader, content_type, size, storage_key, created_at, channel_id, message_id";

    private final Database db;
    private final Clock clock;

    public MediaStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Records an upload whose bytes are already stored under {@code storageKey}. */
    public Media insert(UserRef uploader, String contentType, long size, String storageKey) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO media (org, uploader, content_type, size,"
                    + " storage_key, created_at) VALUES (?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                ps.setString(1, uploader.org());
                ps.setString(2, uploader.userId());
                ps.setString(3, contentType);
                ps.setLong(4, size);
                ps.setString(5, storageKey);
                Rows.setInstant(ps, 6, now);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return new Media(keys.getLong(1), uploader.org(), uploader.userId(), contentType, size,
                            storageKey, now, null, null);
                }
            }
        });
    }

    /**
     * The media if the caller may download it: the uploader always, otherwise a
     * member of the channel it was sent to. 404 for an unknown id or another
     * organisation's; 403 for anyone else.
     */
    public Media readable(UserRef caller, long id) {
        return db.inTransaction(c -> {
            Media m = find(c, id).filter(x -> x.org().equals(caller.org()))
                    .orElseThrow(() -> unknownMedia(id));
            if (m.uploader().equals(caller.userId())) {
                return m;
            }
            if (m.channelId() != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT 1 FROM memberships WHERE channel_id = ? AND user_id = ? AND org = ?")) {
                    ps.setLong(1, m.channelId());
                    ps.setString(2, caller.userId());
                    ps.setString(3, caller.org());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return m;
                        }
                    }
                }
            }
            throw ChatException.forbidden("not allowed to read media " + id);
        });
    }

    /** Removes an upload's row (used when it must be taken back). */
    public void delete(long id) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM media WHERE id = ?")) {
                ps.setLong(1, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Attachments after validation: the JSON to store, and the media ids to link once the message has its id. */
    public record Resolved(String json, List<Long> mediaIds) {
        static final Resolved NONE = new Resolved(null, List.of());
    }

    /**
     * Checks a message's attachments for {@code sender} in a transaction of its own,
     * for a message stored outside this database (see {@link #resolve}).
     */
    public Resolved attachments(UserRef sender, String attachmentsJson) {
        return attachmentsJson == null ? Resolved.NONE : db.inTransaction(c -> resolve(c, sender, attachmentsJson));
    }

    /** Ties media to a message stored outside this database; 409 if one of them was attached meanwhile. */
    public void attach(List<Long> mediaIds, long channelId, long messageId) {
        if (!mediaIds.isEmpty()) {
            db.inTransaction(c -> {
                link(c, mediaIds, channelId, messageId);
                return null;
            });
        }
    }

    /** A deleted message's media are no longer the channel's to download (the uploader keeps theirs). */
    public void unshare(long channelId, long messageId) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE media SET channel_id = NULL WHERE channel_id = ? AND message_id = ?")) {
                ps.setLong(1, channelId);
                ps.setLong(2, messageId);
                return ps.executeUpdate();
            }
        });
    }

    /** Takes back {@link #attach} for a message that was not stored. */
    public void detach(List<Long> mediaIds, long messageId) {
        if (!mediaIds.isEmpty()) {
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE media SET channel_id = NULL, message_id = NULL"
                        + " WHERE id = ? AND message_id = ?")) {
                    for (long id : mediaIds) {
                        ps.setLong(1, id);
                        ps.setLong(2, messageId);
                        ps.executeUpdate();
                    }
                }
                return null;
            });
        }
    }

    /**
     * Checks the media references among a message's attachments (objects with
     * {@code media_id}; other objects are kept as given) and returns the array to
     * store, each reference completed with its content type and size.
     */
    static Resolved resolve(Connection c, UserRef sender, String attachmentsJson) throws SQLException {
        if (attachmentsJson == null) {
            return Resolved.NONE;
        }
        JsonNode parsed;
        try {
            parsed = ChatJson.MAPPER.readTree(attachmentsJson);
        } catch (JsonProcessingException e) {
            throw ChatException.badRequest("attachments must be JSON");
        }
        if (parsed == null || !parsed.isArray()) {
            throw ChatException.badRequest("attachments must be an array");
        }
        ArrayNode out = ChatJson.MAPPER.createArrayNode();
        List<Long> ids = new ArrayList<>();
        for (JsonNode a : parsed) {
            JsonNode ref = a.get("media_id");
            if (ref == null) {
                out.add(a);
                continue;
            }
            if (!ref.isIntegralNumber() || !ref.canConvertToLong() || ref.longValue() < 1) {
                throw ChatException.badRequest("media_id must be a positive integer");
            }
            long id = ref.longValue();
            if (ids.contains(id)) {
                throw ChatException.badRequest("media " + id + " is attached twice");
            }
            Media m = find(c, id).filter(x -> x.org().equals(sender.org())).orElseThrow(() -> unknownMedia(id));
            if (!m.uploader().equals(sender.userId())) {
                throw ChatException.forbidden("media " + id + " was uploaded by someone else");
            }
            if (m.messageId() != null) {
                throw ChatException.conflict("media " + id + " is already attached to a message");
            }
            ObjectNode stored = ChatJson.MAPPER.createObjectNode();
            stored.put("media_id", id);
            stored.put("content_type", m.contentType());
            stored.put("size", m.size());
            out.add(stored);
            ids.add(id);
        }
        // Without media references the sender's JSON is stored byte for byte, as before media existed.
        return ids.isEmpty() ? new Resolved(attachmentsJson, List.of()) : new Resolved(out.toString(), ids);
    }

    /** Ties the media to the message; a concurrent send that attached one first makes this one a 409. */
    static void link(Connection c, List<Long> mediaIds, long channelId, long messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE media SET channel_id = ?, message_id = ?"
                + " WHERE id = ? AND message_id IS NULL")) {
            for (long id : mediaIds) {
                ps.setLong(1, channelId);
                ps.setLong(2, messageId);
                ps.setLong(3, id);
                if (ps.executeUpdate() != 1) {
                    throw ChatException.conflict("media " + id + " is already attached to a message");
                }
            }
        }
    }

    private static Optional<Media> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM media WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long channel = rs.getLong(8);
                Long channelId = rs.wasNull() ? null : channel;
                long message = rs.getLong(9);
                Long messageId = rs.wasNull() ? null : message;
                return Optional.of(new Media(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getString(6), Rows.instant(rs, 7), channelId, messageId));
            }
        }
    }

    static ChatException unknownMedia(long id) {
        return ChatException.notFound("unknown media " + id);
    }
}
