package dev.switchboard.message;

/** A partial update of a membership's flags: a null field keeps its value. */
public record MembershipUpdate(Boolean muted, Boolean notifyAlways, Boolean starred) {
    public boolean isEmpty() {
        return muted == null && notifyAlways == null && starred == null;
    }
}
