package dev.switchboard.message.push;

/** How one notification ended. */
public enum PushOutcome {
    /** The gateway accepted it. */
    DELIVERED,
    /** Every attempt failed, or the gateway refused it for good; logged and counted. */
    DEAD_LETTERED,
    /** Never attempted: the sender was over its in-flight bound or closed. */
    DROPPED
}
