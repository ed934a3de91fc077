package dev.switchboard.message;

import java.time.Instant;

/**
 * One member of a channel as clients list them: the user, whether they are online
 * now and, when they are not, when they were last seen (the end of their last
 * presence lease; null when never seen going offline). {@code online} is null when
 * presence could not be read in time: unknown, not offline.
 */
public record Member(User user, Boolean online, Instant lastSeenAt) {
}
