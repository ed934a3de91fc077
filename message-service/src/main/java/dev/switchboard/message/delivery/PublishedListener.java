package dev.switchboard.message.delivery;

import dev.switchboard.message.Channel;
import dev.switchboard.message.Message;

/**
 * Hears of each committed message once it has been handed to the broker, in
 * sequence order per channel, on the thread that published it (a database
 * worker, after the transaction ended; never an event loop). Implementations
 * must return at once: hand the work to their own threads.
 */
@FunctionalInterface
public interface PublishedListener {
    PublishedListener NONE = (channel, message) -> { };

    void published(Channel channel, Message message);
}
