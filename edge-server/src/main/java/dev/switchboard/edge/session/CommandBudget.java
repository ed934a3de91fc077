package dev.switchboard.edge.session;

import dev.switchboard.wire.DisconnectCode;

/**
 * The per-connection budgets: a command token bucket (refilled by the loop's
 * sweep ticks) and one typing event per second. Every frame a client sends
 * costs a token: each command of a message, and each WebSocket ping, pong and
 * non-final fragment, so a flood of cheap frames is limited like any other.
 * The state is a few primitive fields of the {@link Session} (no object per
 * connection); the rules live here.
 */
final class CommandBudget {
    private CommandBudget() {
    }

    /**
     * Takes one token; over the rate counts a refusal, and more than a burst of refusals
     * in a row closes the session (RATE_LIMITED, 4008). Returns whether the command may run.
     * Loop only.
     */
    static boolean admit(Session s, SessionShared shared) {
        if (take(s, shared)) {
            s.rateRejections = 0;
            return true;
        }
        shared.metrics().rateLimited();
        if (++s.rateRejections > shared.commandBurst()) {
            s.disconnect(DisconnectCode.RATE_LIMITED, "over " + shared.commandRate() + " commands per second");
        }
        return false;
    }

    /** Takes one command token; false when the connection is over its rate. Loop only. */
    private static boolean take(Session s, SessionShared shared) {
        int now = s.hub().tick();
        if (Float.isNaN(s.commandTokens)) {
            s.commandTokens = shared.commandBurst();
        } else if (now != s.commandRefillTick) {
            s.commandTokens = Math.min(shared.commandBurst(),
                    s.commandTokens + (float) (now - s.commandRefillTick) * shared.commandRate() / s.hub().ticksPerSecond());
        }
        s.commandRefillTick = now;
        if (s.commandTokens < 1) {
            return false;
        }
        s.commandTokens -= 1;
        return true;
    }

    /** One typing event per second per session at most (the sweep tick is at most 250 ms). Loop only. */
    static boolean allowTyping(Session s) {
        int now = s.hub().tick();
        if (s.lastTypingTick != Integer.MIN_VALUE && now - s.lastTypingTick < s.hub().ticksPerSecond()) {
            return false;
        }
        s.lastTypingTick = now;
        return true;
    }
}
