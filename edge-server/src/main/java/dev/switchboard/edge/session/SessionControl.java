package dev.switchboard.edge.session;

import dev.switchboard.edge.hub.ControlHandler;
import dev.switchboard.wire.ChannelNames;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.proto.Disconnect;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.Subscribed;
import dev.switchboard.wire.proto.Unsubscribed;

/**
 * Applies control messages from a user's personal channel to that user's
 * sessions on this node: server-side subscribe and unsubscribe (membership
 * changes, the server API) and disconnects. Because the message travels through
 * the broker, it reaches the user's sessions on every node.
 */
public final class SessionControl implements ControlHandler {
    private final String nodeId;

    public SessionControl(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public void apply(Session s, ServerFrame control) {
        if (s.isClosing()) {
            return;
        }
        switch (control.getBodyCase()) {
            case SUBSCRIBED -> subscribe(s, control.getSubscribed(), control);
            case UNSUBSCRIBED -> unsubscribe(s, control.getUnsubscribed(), control);
            case DISCONNECT -> disconnect(s, control.getDisconnect());
            default -> throw new IllegalArgumentException("not a control message: " + control.getBodyCase());
        }
    }

    private static void subscribe(Session s, Subscribed cmd, ServerFrame frame) {
        String channel = cmd.getChannel();
        if (!ChannelNames.isValid(channel) || !ChannelNames.belongsTo(channel, s.orgId()) || s.isSubscribed(channel)) {
            return;
        }
        // Tell the client once the node receives the channel, so nothing it is told about can be missed.
        s.subscribe(channel).thenRun(() -> s.send(frame));
    }

    private static void unsubscribe(Session s, Unsubscribed cmd, ServerFrame frame) {
        if (s.unsubscribe(cmd.getChannel())) {
            s.send(frame);
        }
    }

    private void disconnect(Session s, Disconnect cmd) {
        if (!cmd.getSessionId().isEmpty() && !cmd.getSessionId().equals(nodeId + "-" + s.id())) {
            return;
        }
        DisconnectCode code = DisconnectCode.of(cmd.getCode());
        if (code == null) {
            code = DisconnectCode.FORCE_DISCONNECT;
        }
        s.disconnect(code, cmd.getReason(), cmd.getReconnectAfterMs());
    }
}
