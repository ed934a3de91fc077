package dev.switchboard.message.store;

import dev.switchboard.message.ChatException;
import dev.switchboard.message.Message;
import dev.switchboard.message.UserRef;
import dev.switchboard.wire.chat.Reaction;

/**
 * The checks every store makes before a change to a message is logged, so that
 * each store refuses the same changes with the same errors: only the author
 * edits or deletes, and a deleted message takes no further change.
 */
public final class EventRules {
    private EventRules() {
    }

    /** 403 unless {@code actor} wrote {@code m}; {@code what} is the change ("edit", "delete"). */
    public static void requireAuthor(UserRef actor, Message m, String what) {
        if (!m.sender().equals(actor.userId())) {
            throw ChatException.forbidden("only the author can " + what + " message " + m.id());
        }
    }

    /**
     * 409 when adding {@code emoji} would give a message more than {@link Reaction#MAX_PER_MESSAGE} different emoji;
     * {@code emojiOnMessage} is how many it has, {@code emojiThere} whether this one is among them.
     */
    public static void requireRoomForEmoji(long messageId, int emojiOnMessage, boolean emojiThere) {
        if (!emojiThere && emojiOnMessage >= Reaction.MAX_PER_MESSAGE) {
            throw ChatException.conflict("message " + messageId + " has " + Reaction.MAX_PER_MESSAGE
                    + " different reactions, the most a message may have");
        }
    }

    /** 409 when {@code m} is deleted (a tombstone takes no edit, reaction or reply). */
    public static void requireNotDeleted(Message m) {
        if (m.state().deleted()) {
            throw ChatException.conflict("message " + m.id() + " is deleted");
        }
    }
}
