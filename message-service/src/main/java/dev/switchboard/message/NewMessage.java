package dev.switchboard.message;

/**
 * What a sender supplies. {@code attachments} is a JSON array (validated by the
 * caller that parsed it) or null; {@code clientMsgId} makes a retried send safe.
 */
public record NewMessage(String text, String attachments, String clientMsgId) {
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
    }
}
