package dev.switchboard.message.push;

import java.util.concurrent.CompletableFuture;

/**
 * Where notifications leave the message-service: a push gateway that speaks to
 * APNs and FCM. {@link WebhookPushSender} is the default; tests and other
 * gateways plug in their own. {@link #send} returns at once and never fails the
 * future: the outcome says what happened, and retries are the sender's business.
 */
public interface PushSender extends AutoCloseable {
    CompletableFuture<PushOutcome> send(PushNotification notification);

    /** Stops sending; pending retries end as dead letters. */
    @Override
    void close();
}
