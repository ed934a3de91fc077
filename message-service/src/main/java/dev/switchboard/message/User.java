package dev.switchboard.message;

import java.time.Instant;

/** A user of an organisation; {@code email} and {@code handle} may be null. */
public record User(String org, String id, String name, String email, String handle, Instant createdAt) {
}
