package dev.switchboard.edge.hub;

import dev.switchboard.wire.proto.ServerFrame;

/**
 * Whether a broker message is a {@code presence_changes} push, from its first bytes (no decoding: the hub looks at
 * every message of a chat channel). A push from a broker carries no reply id, so its body is its first field.
 */
final class PresenceChangesFrame {
    private static final int TAG = (ServerFrame.PRESENCE_CHANGES_FIELD_NUMBER << 3) | 2;

    private PresenceChangesFrame() {
    }

    static boolean is(byte[] m) {
        if (TAG < 0x80) {
            return m.length > 0 && m[0] == TAG;
        }
        return m.length > 1 && (m[0] & 0xFF) == (0x80 | (TAG & 0x7F)) && (m[1] & 0xFF) == TAG >>> 7;
    }
}
