package dev.switchboard.edge.presence;

/**
 * One live session's presence lease: user {@code user} of {@code org}, session
 * field {@code <nodeId>/<sessionId>} (the format the message-service reads, see
 * its {@code PresenceKeys}).
 */
public record Lease(String org, String user, String field) {
}
