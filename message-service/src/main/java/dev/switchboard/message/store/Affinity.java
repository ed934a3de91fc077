package dev.switchboard.message.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * A membership's affinity: how much the member reads and sends in the channel,
 * each act worth 1 and decaying exponentially with {@link #TIME_CONSTANT}. It is
 * kept as {@code ln(sum of e^(t_i / tau))} over the acts' times, so that one
 * column orders channels by the decayed sum at any moment (the decay factor is
 * the same for every channel) and an act is one UPDATE without reading the row:
 * {@code s' = max(s, x) + ln(1 + e^-|s - x|)} with {@code x = now / tau} (ADR 0013).
 * {@code affinity_at} is the time of the last act.
 */
final class Affinity {
    /** The decay's time constant: an act counts e times less after a week. */
    static final Duration TIME_CONSTANT = Duration.ofDays(7);
    // Past a difference of 40 the log term is below 1e-17 (and PostgreSQL's EXP refuses to underflow).
    private static final String BUMP = "UPDATE memberships SET affinity_score = GREATEST(affinity_score, ?)"
            + " + CASE WHEN ABS(affinity_score - ?) > 40 THEN 0 ELSE LN(1 + EXP(-ABS(affinity_score - ?))) END,"
            + " affinity_at = ? WHERE channel_id = ? AND user_id = ?";

    private Affinity() {
    }

    /** The member read or sent in the channel at {@code now}. */
    static void act(Connection c, long channelId, String userId, Instant now) throws SQLException {
        double x = now.toEpochMilli() / (double) TIME_CONSTANT.toMillis();
        try (PreparedStatement ps = c.prepareStatement(BUMP)) {
            ps.setDouble(1, x);
            ps.setDouble(2, x);
            ps.setDouble(3, x);
            Rows.setInstant(ps, 4, now);
            ps.setLong(5, channelId);
            ps.setString(6, userId);
            ps.executeUpdate();
        }
    }

    /** The decayed sum of acts at {@code now}, from the stored score (for display and tests). */
    static double current(double score, Instant now) {
        return Math.exp(score - now.toEpochMilli() / (double) TIME_CONSTANT.toMillis());
    }
}
