package dev.switchboard.wire.chat;

/**
 * What an entry of a channel's log did (ADR 0013). Every kind takes the
 * channel's next sequence; {@link #MESSAGE} is a new message (a thread reply is
 * a message with a parent), the others change an earlier one.
 */
public enum EventKind {
    MESSAGE("message"),
    EDIT("edit"),
    DELETE("delete"),
    REACTION_ADDED("reaction_added"),
    REACTION_REMOVED("reaction_removed");

    private final String wireName;

    EventKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name in JSON payloads and REST objects. */
    public String wireName() {
        return wireName;
    }

    /** The kind named {@code name} in a payload or request. */
    public static EventKind of(String name) {
        for (EventKind k : values()) {
            if (k.wireName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown event kind " + name
                + " (message, edit, delete, reaction_added, reaction_removed)");
    }
}
