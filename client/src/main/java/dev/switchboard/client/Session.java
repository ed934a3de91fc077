package dev.switchboard.client;

import java.net.URI;
import java.util.List;

/**
 * One connection's session, as the server's answer to {@code connect} describes it.
 *
 * @param url the node's WebSocket URL
 * @param channels channels the server subscribed the session to (the personal channel and the user's chat channels)
 * @param tokenExpiresAtMs when the token expires (0: never)
 * @param connection how many connections the client has opened so far (1 for the first)
 */
public record Session(String sessionId, String nodeId, String userId, String orgId, URI url, List<String> channels,
                      long tokenExpiresAtMs, int connection) {
}
