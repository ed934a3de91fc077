package dev.switchboard.message.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.message.internal.ChatJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands notifications to a push gateway over HTTP: each is a
 * {@code POST <webhookUrl>} of {@code {"platform": "apns"|"fcm", "token", "payload"}}
 * (JDK HttpClient, asynchronous). A 2xx is delivered. A 408, 429, 5xx or a
 * network failure is retried after a doubling backoff ({@link PushOptions#backoff}),
 * up to {@code maxAttempts}; any other status is final (the gateway refused the
 * notification, e.g. an unknown token). What never got through is a dead letter:
 * logged with its token and counted ({@code switchboard.push.dead_letters}).
 * No jitter: pushes of different messages are already spread over time.
 *
 * <p>At most {@code maxInFlight} notifications are in flight or waiting to retry;
 * beyond that new ones are dropped and counted, so a dead gateway cannot grow
 * memory.
 */
public final class WebhookPushSender implements PushSender {
    private static final Logger log = LoggerFactory.getLogger(WebhookPushSender.class);

    private final PushOptions options;
    private final HttpClient http;
    private final Semaphore inFlight;
    private final Counter delivered;
    private final Counter retries;
    private final Counter deadLetters;
    private final Counter dropped;
    private volatile boolean closed;

    public WebhookPushSender(PushOptions options, MeterRegistry registry) {
        this.options = options;
        Objects.requireNonNull(options.webhookUrl(), "PushOptions.webhookUrl");
        this.http = HttpClient.newBuilder().connectTimeout(options.requestTimeout()).build();
        this.inFlight = new Semaphore(options.maxInFlight());
        this.delivered = Counter.builder("switchboard.push.delivered")
                .description("notifications the push gateway accepted").register(registry);
        this.retries = Counter.builder("switchboard.push.retries")
                .description("notification attempts repeated after a failure").register(registry);
        this.deadLetters = Counter.builder("switchboard.push.dead_letters")
                .description("notifications given up after the last attempt or refused by the gateway")
                .register(registry);
        this.dropped = Counter.builder("switchboard.push.dropped").tag("reason", "in_flight")
                .description("notifications not attempted because too many were in flight").register(registry);
    }

    @Override
    public CompletableFuture<PushOutcome> send(PushNotification n) {
        if (closed || !inFlight.tryAcquire()) {
            dropped.increment();
            return CompletableFuture.completedFuture(PushOutcome.DROPPED);
        }
        CompletableFuture<PushOutcome> outcome = new CompletableFuture<>();
        outcome.whenComplete((o, e) -> inFlight.release());
        attempt(request(n), n, 1, outcome);
        return outcome;
    }

    private HttpRequest request(PushNotification n) {
        ObjectNode body = ChatJson.MAPPER.createObjectNode();
        body.put("platform", n.platform().wireName());
        body.put("token", n.token());
        body.set("payload", n.payload());
        byte[] bytes;
        try {
            bytes = ChatJson.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(options.webhookUrl())
                .timeout(options.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (options.webhookToken() != null) {
            b.header("Authorization", "Bearer " + options.webhookToken());
        }
        return b.build();
    }

    private void attempt(HttpRequest request, PushNotification n, int attempt, CompletableFuture<PushOutcome> outcome) {
        if (closed) {
            deadLetter(n, attempt - 1, "sender closed");
            outcome.complete(PushOutcome.DEAD_LETTERED);
            return;
        }
        CompletableFuture<HttpResponse<Void>> response;
        try {
            response = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e); // e.g. the client was shut down under us
        }
        response.whenComplete((r, e) -> {
            int status = r == null ? 0 : r.statusCode();
            if (e == null && status / 100 == 2) {
                delivered.increment();
                outcome.complete(PushOutcome.DELIVERED);
                return;
            }
            String why = e != null ? e.toString() : "HTTP " + status;
            boolean retryable = e != null || status == 408 || status == 429 || status >= 500;
            if (!retryable || attempt >= options.maxAttempts()) {
                deadLetter(n, attempt, why);
                outcome.complete(PushOutcome.DEAD_LETTERED);
                return;
            }
            retries.increment();
            Duration wait = options.backoff(attempt);
            log.debug("push of message {} to {} failed ({}), attempt {} of {}; retrying in {}", n.messageId(),
                    n.platform().wireName(), why, attempt, options.maxAttempts(), wait);
            CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> attempt(request, n, attempt + 1, outcome));
        });
    }

    private void deadLetter(PushNotification n, int attempts, String why) {
        deadLetters.increment();
        log.warn("push dead letter: message {} to {} token {} after {} attempt(s): {}", n.messageId(),
                n.platform().wireName(), abbreviate(n.token()), attempts, why);
    }

    /** Enough of a token to find it in the gateway's logs; the whole one is a credential to reach the device. */
    private static String abbreviate(String token) {
        return token.length() <= 8 ? token : token.substring(0, 8) + "\u2026";
    }

    /** Notifications in flight or waiting to retry. */
    public int inFlight() {
        return options.maxInFlight() - inFlight.availablePermits();
    }

    @Override
    public void close() {
        closed = true;
        http.shutdown();
        try {
            if (!http.awaitTermination(Duration.ofSeconds(2))) {
                http.shutdownNow();
            }
        } catch (InterruptedException e) {
            http.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
