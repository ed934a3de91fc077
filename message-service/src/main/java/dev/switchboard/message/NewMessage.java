package dev.switchboard.message;

import java.util.List;

/**
 * What a sender supplies. {@code attachments} is a JSON array (validated by the
 * caller that parsed it) or null; {@code clientMsgId} makes a retried send safe.
 * A thread reply names its root in {@code parentId} (0: a channel message) and may
 * also be shown in the channel ({@code alsoToChannel}); {@code mentions} are the
 * user ids it mentions, already resolved and expanded (ADR 0013).
 */
public record NewMessage(String text, String attachments, String clientMsgId, long parentId, boolean alsoToChannel,
                         List<String> mentions) {
    public static final int MAX_CLIENT_MSG_ID = 128;

    public NewMessage {
        if (text == null) {
            text = "";
        }
        TextValidator.storable("text", text);
        TextValidator.storable("client_msg_id", clientMsgId);
        // Attachments are stored as JSON text: a NUL is escaped there, a lone surrogate is not.
        TextValidator.storable("attachments", attachments);
        if (text.isBlank() && attachments == null) {
            throw ChatException.badRequest("a message needs text or attachments");
        }
        if (clientMsgId != null && (clientMsgId.isEmpty() || clientMsgId.length() > MAX_CLIENT_MSG_ID)) {
            throw ChatException.badRequest("client_msg_id must be 1-" + MAX_CLIENT_MSG_ID + " characters");
        }
        if (parentId < 0) {
            throw ChatException.badRequest("parent_id must be a message id");
        }
        if (parentId == 0 && alsoToChannel) {
            throw ChatException.badRequest("also_to_channel needs a parent_id");
        }
        mentions = mentions == null ? List.of() : List.copyOf(mentions);
    }

    /** A channel message that mentions nobody. */
    public NewMessage(String text, String attachments, String clientMsgId) {
        this(text, attachments, clientMsgId, 0, false, List.of());
    }

    /** This message with {@code resolved} as its mentions. */
    public NewMessage withMentions(List<String> resolved) {
        return new NewMessage(text, attachments, clientMsgId, parentId, alsoToChannel, resolved);
    }
}
