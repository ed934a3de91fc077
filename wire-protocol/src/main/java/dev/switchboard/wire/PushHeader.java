package dev.switchboard.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.switchboard.wire.proto.PresenceChange;
import dev.switchboard.wire.proto.ServerFrame;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * The routing facts of a server push, read without decoding its payload: which
 * body it carries (a {@code ServerFrame} field number), its channel and, for a
 * publication or a {@code may_have_missed}, its sequence. A full parse would copy
 * the payload of every publication; the edge reads these facts per recipient
 * only for sessions that are backlogged or recovering.
 *
 * @param body    the field number of the body ({@code ServerFrame.PUBLICATION_FIELD_NUMBER}, ...)
 * @param channel the channel, "" when the body has none
 * @param seq     the publication's sequence (0 for ephemeral channels) or the {@code since_seq} of a
 *                {@code may_have_missed}; 0 for every other body
 */
public record PushHeader(int body, String channel, long seq) {
    public static final int PUBLICATION = ServerFrame.PUBLICATION_FIELD_NUMBER;
    public static final int PRESENCE_CHANGE = ServerFrame.PRESENCE_CHANGE_FIELD_NUMBER;
    public static final int READ_RECEIPT = ServerFrame.READ_RECEIPT_FIELD_NUMBER;
    public static final int TYPING_EVENT = ServerFrame.TYPING_EVENT_FIELD_NUMBER;
    public static final int MAY_HAVE_MISSED = ServerFrame.MAY_HAVE_MISSED_FIELD_NUMBER;
    public static final int PRESENCE_CHANGES = ServerFrame.PRESENCE_CHANGES_FIELD_NUMBER;

    /** Every body with a channel has it as field 1, but the legacy single presence change (field 3). */
    private static final int CHANNEL_FIELD = 1;
    private static final int SEQ_FIELD = 2;

    /**
     * The header of the first protobuf frame of the binary server frame at {@code index}
     * (what {@link WebSocketFrames#binary} builds), or null if it is not a push (a reply,
     * a control frame, a frame this version cannot read).
     */
    public static PushHeader read(ByteBuf buf, int index) {
        int size = WebSocketFrames.frameSize(buf, index);
        if (size < 0 || (buf.getUnsignedByte(index) & 0x0F) != 0x2) {
            return null;
        }
        int header = WebSocketFrames.headerSize(buf, index);
        try {
            CodedInputStream in = CodedInputStream.newInstance(buf.nioBuffer(index + header, size - header));
            in.pushLimit(in.readRawVarint32());
            for (int tag; (tag = in.readTag()) != 0; ) {
                int field = WireFormat.getTagFieldNumber(tag);
                if (field >= PUBLICATION && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    return body(in, field);
                }
                if (field == ServerFrame.ID_FIELD_NUMBER && in.readUInt32() != 0) {
                    return null;
                }
                if (field != ServerFrame.ID_FIELD_NUMBER) {
                    in.skipField(tag);
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static PushHeader body(CodedInputStream in, int body) throws IOException {
        in.pushLimit(in.readRawVarint32());
        int channelField = body == PRESENCE_CHANGE ? PresenceChange.CHANNEL_FIELD_NUMBER : CHANNEL_FIELD;
        boolean sequenced = body == PUBLICATION || body == MAY_HAVE_MISSED;
        String channel = "";
        long seq = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            int field = WireFormat.getTagFieldNumber(tag);
            int type = WireFormat.getTagWireType(tag);
            if (field == channelField && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                channel = in.readString();
            } else if (sequenced && field == SEQ_FIELD && type == WireFormat.WIRETYPE_VARINT) {
                seq = in.readUInt64();
            } else if (field > SEQ_FIELD && field > channelField) {
                // Fields come in number order: the rest (a publication's payload) is not needed.
                break;
            } else {
                in.skipField(tag);
            }
        }
        return new PushHeader(body, channel, seq);
    }

    /** Whether the push is an event that only says what is happening now (typing, presence, read receipts). */
    public boolean isEphemeral() {
        return body == TYPING_EVENT || body == PRESENCE_CHANGE || body == PRESENCE_CHANGES || body == READ_RECEIPT;
    }
}
