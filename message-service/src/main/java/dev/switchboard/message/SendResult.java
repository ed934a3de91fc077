package dev.switchboard.message;

/** A stored message, and whether it was already stored by an earlier send with the same client_msg_id. */
public record SendResult(Message message, boolean duplicate) {
}
