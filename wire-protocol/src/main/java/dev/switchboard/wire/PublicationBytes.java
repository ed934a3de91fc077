package dev.switchboard.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The serialized push of a live publication, {@code ServerFrame{publication: Publication{...}}}, written
 * straight into its bytes: the same bytes as building both messages and calling {@code toByteArray()}
 * (fields in number order, defaults left out; PublicationBytesTest compares them), without the two builders
 * and two messages a publish would allocate for it.
 */
public final class PublicationBytes {
    /** {@code ServerFrame.publication}, field 20, length-delimited. */
    private static final int SERVER_FRAME_PUBLICATION = 20;
    private static final int CHANNEL = 1;
    private static final int SENDER_ID = 3;
    private static final int TIMESTAMP_MS = 4;
    private static final int PAYLOAD = 5;
    private static final int CLIENT_MSG_ID = 7;

    private PublicationBytes() {
    }

    /** A publication of an ephemeral channel (no sequence, no message id). */
    public static byte[] ephemeral(String channel, String senderId, long timestampMs, ByteString payload, String clientMsgId) {
        int body = 0;
        if (!channel.isEmpty()) {
            body += CodedOutputStream.computeStringSize(CHANNEL, channel);
        }
        if (!senderId.isEmpty()) {
            body += CodedOutputStream.computeStringSize(SENDER_ID, senderId);
        }
        if (timestampMs != 0) {
            body += CodedOutputStream.computeUInt64Size(TIMESTAMP_MS, timestampMs);
        }
        if (!payload.isEmpty()) {
            body += CodedOutputStream.computeBytesSize(PAYLOAD, payload);
        }
        if (!clientMsgId.isEmpty()) {
            body += CodedOutputStream.computeStringSize(CLIENT_MSG_ID, clientMsgId);
        }
        byte[] out = new byte[CodedOutputStream.computeTagSize(SERVER_FRAME_PUBLICATION)
                + CodedOutputStream.computeUInt32SizeNoTag(body) + body];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            o.writeTag(SERVER_FRAME_PUBLICATION, 2);
            o.writeUInt32NoTag(body);
            if (!channel.isEmpty()) {
                o.writeString(CHANNEL, channel);
            }
            if (!senderId.isEmpty()) {
                o.writeString(SENDER_ID, senderId);
            }
            if (timestampMs != 0) {
                o.writeUInt64(TIMESTAMP_MS, timestampMs);
            }
            if (!payload.isEmpty()) {
                o.writeBytes(PAYLOAD, payload);
            }
            if (!clientMsgId.isEmpty()) {
                o.writeString(CLIENT_MSG_ID, clientMsgId);
            }
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("sized wrongly", e);
        }
        return out;
    }
}
