package dev.switchboard.edge.hub;

import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;

/**
 * Reads the {@code timestamp_ms} of a stored publication from the broker's bytes
 * without decoding them (once per broker message, never per recipient): the message-service stamps it with the
 * message's {@code created_at}, taken in the send's transaction just before the
 * commit, so "now minus the stamp" at the edge's flush is the commit-to-flush
 * latency of a stored message (across two clocks, in milliseconds). Fields come
 * in number order, so the walk stops at the payload (field 5).
 */
final class CommitStamp {
    private static final int PUBLICATION_TAG = (ServerFrame.PUBLICATION_FIELD_NUMBER << 3) | 2;
    private static final int SEQ = Publication.SEQ_FIELD_NUMBER;
    private static final int TIMESTAMP = Publication.TIMESTAMP_MS_FIELD_NUMBER;

    private CommitStamp() {
    }

    /** The commit stamp of a sequenced publication, or -1 for anything else (or bytes this cannot read). */
    static long of(byte[] m) {
        try {
            int[] pos = {0};
            if (varint(m, pos) != PUBLICATION_TAG) {
                return -1;
            }
            long end = varint(m, pos) + pos[0];
            long seq = 0;
            while (pos[0] < end) {
                int tag = (int) varint(m, pos);
                int field = tag >>> 3;
                int type = tag & 7;
                if (field > TIMESTAMP) {
                    return -1;
                }
                if (type == 0) {
                    long v = varint(m, pos);
                    if (field == SEQ) {
                        seq = v;
                    } else if (field == TIMESTAMP) {
                        return seq > 0 && v > 0 ? v : -1;
                    }
                } else if (type == 2) {
                    int length = (int) varint(m, pos);
                    pos[0] += length;
                } else {
                    return -1;
                }
            }
            return -1;
        } catch (ArrayIndexOutOfBoundsException e) {
            return -1;
        }
    }

    private static long varint(byte[] m, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = m[pos[0]++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        return -1;
    }
}
