package dev.switchboard.edge.session;

import dev.switchboard.wire.ChannelNames;
import dev.switchboard.wire.ErrorCode;

/**
 * Who may subscribe or publish to which channel. The first rule is the
 * organisation wall: a session addresses only channels of its own
 * organisation. Chat channels are further checked against membership by the
 * {@link ChatBackend}.
 */
final class ChannelAccess {
    private ChannelAccess() {
    }

    /** The error refusing a subscribe before membership is looked at, or null. */
    static ErrorCode checkSubscribe(Session s, String channel) {
        ErrorCode base = checkName(s, channel);
        if (base != null) {
            return base;
        }
        if (ChannelNames.isPersonal(channel) && !ChannelNames.personalUser(channel).equals(s.userId())) {
            return ErrorCode.PERMISSION_DENIED;
        }
        return null;
    }

    /** The error refusing a publish before membership is looked at, or null. */
    static ErrorCode checkPublish(Session s, String channel) {
        ErrorCode base = checkName(s, channel);
        if (base != null) {
            return base;
        }
        // Personal channels carry pushes from backends to a user; clients cannot write to them.
        return ChannelNames.isPersonal(channel) ? ErrorCode.PERMISSION_DENIED : null;
    }

    private static ErrorCode checkName(Session s, String channel) {
        if (!ChannelNames.isValid(channel)) {
            return ErrorCode.BAD_REQUEST;
        }
        if (!ChannelNames.belongsTo(channel, s.orgId())) {
            return ErrorCode.PERMISSION_DENIED;
        }
        if (ChannelNames.isChat(channel) && ChannelNames.chatId(channel) < 0) {
            return ErrorCode.UNKNOWN_CHANNEL;
        }
        return null;
    }
}
