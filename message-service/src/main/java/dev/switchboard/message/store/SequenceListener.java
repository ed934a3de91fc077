package dev.switchboard.message.store;

import dev.switchboard.message.Channel;
import dev.switchboard.message.Message;

/**
 * Lets delivery keep commit order. {@link #sequenced} is called while the send
 * holds the channel's next sequence (JDBC: the transaction holds the channel's
 * row lock; Cassandra: the process's lock of the channel, before the
 * conditional write), so calls for one channel arrive in sequence order; the
 * returned ticket is settled exactly once after the write ends, committed or not.
 */
@FunctionalInterface
public interface SequenceListener {
    SequenceListener NONE = (channel, seq) -> Ticket.NONE;

    Ticket sequenced(Channel channel, long seq);

    /** The outcome of one sequenced send. */
    interface Ticket {
        Ticket NONE = new Ticket() {
            @Override
            public void committed(Message message) {
            }

            @Override
            public void abandoned() {
            }
        };

        /** The message is durable. */
        void committed(Message message);

        /** The transaction rolled back, or its outcome is unknown: nothing may be delivered for this sequence. */
        void abandoned();

        /** Tells {@code ticket} (null if none was taken) how its write ended: committed as {@code stored}, abandoned if null. */
        static void settle(Ticket ticket, Message stored) {
            if (ticket == null) {
                return;
            }
            if (stored != null) {
                ticket.committed(stored);
            } else {
                ticket.abandoned();
            }
        }
    }
}
