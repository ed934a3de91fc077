package dev.switchboard.message.push;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Offline push settings. Immutable; build with {@link #builder()}. Without a
 * webhook URL (the default) push is off, unless the caller plugs in its own
 * {@link PushSender}.
 */
public final class PushOptions {
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** Messages waiting for push fan-out; beyond it a message gets no push (counted), the send path never waits. */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    public static final int DEFAULT_WORKER_THREADS = 1;
    /** Notifications in flight (including those waiting to retry); beyond it new ones are dropped and counted. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1_000;
    public static final int DEFAULT_MAX_BODY_LENGTH = 200;
    public static final Duration DEFAULT_PRESENCE_TIMEOUT = Duration.ofSeconds(2);

    private final URI webhookUrl;
    private final String webhookToken;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration requestTimeout;
    private final int queueCapacity;
    private final int workerThreads;
    private final int maxInFlight;
    private final int maxBodyLength;
    private final Duration presenceTimeout;

    private PushOptions(Builder b) {
        if (b.webhookUrl != null && !("http".equals(b.webhookUrl.getScheme()) || "https".equals(b.webhookUrl.getScheme()))) {
            throw new IllegalArgumentException("webhookUrl must be http(s), got " + b.webhookUrl);
        }
        if (b.maxAttempts < 1 || b.maxAttempts > 20) {
            throw new IllegalArgumentException("maxAttempts must be 1-20, got " + b.maxAttempts);
        }
        positive(b.initialBackoff, "initialBackoff");
        positive(b.maxBackoff, "maxBackoff");
        positive(b.requestTimeout, "requestTimeout");
        positive(b.presenceTimeout, "presenceTimeout");
        if (b.maxBackoff.compareTo(b.initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be >= initialBackoff");
        }
        if (b.queueCapacity < 1 || b.workerThreads < 1 || b.workerThreads > 64 || b.maxInFlight < 1) {
            throw new IllegalArgumentException("queueCapacity and maxInFlight must be positive, workerThreads 1-64");
        }
        if (b.maxBodyLength < 10) {
            throw new IllegalArgumentException("maxBodyLength must be at least 10, got " + b.maxBodyLength);
        }
        this.webhookUrl = b.webhookUrl;
        this.webhookToken = b.webhookToken;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.requestTimeout = b.requestTimeout;
        this.queueCapacity = b.queueCapacity;
        this.workerThreads = b.workerThreads;
        this.maxInFlight = b.maxInFlight;
        this.maxBodyLength = b.maxBodyLength;
        this.presenceTimeout = b.presenceTimeout;
    }

    private static void positive(Duration d, String name) {
        if (Objects.requireNonNull(d, name).isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Push off. */
    public static PushOptions disabled() {
        return builder().build();
    }

    /** Where {@link WebhookPushSender} POSTs, or null: no webhook. */
    public URI webhookUrl() {
        return webhookUrl;
    }

    /** Sent as {@code Authorization: Bearer <token>} so that the gateway can tell us from anyone; null: none. */
    public String webhookToken() {
        return webhookToken;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** The wait before attempt {@code attempt + 1} after attempt {@code attempt} (1-based) failed: doubling, capped. */
    public Duration backoff(int attempt) {
        long ms = initialBackoff.toMillis() << Math.min(attempt - 1, 30);
        return ms <= 0 || ms > maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(ms);
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    public int workerThreads() {
        return workerThreads;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public int maxBodyLength() {
        return maxBodyLength;
    }

    public Duration presenceTimeout() {
        return presenceTimeout;
    }

    @Override
    public String toString() {
        return "PushOptions{webhookUrl=" + webhookUrl + ", webhookToken=" + (webhookToken == null ? "none" : "***")
                + ", maxAttempts=" + maxAttempts + ", backoff=" + initialBackoff + ".." + maxBackoff
                + ", requestTimeout=" + requestTimeout + ", queueCapacity=" + queueCapacity + ", workerThreads="
                + workerThreads + ", maxInFlight=" + maxInFlight + ", maxBodyLength=" + maxBodyLength
                + ", presenceTimeout=" + presenceTimeout + "}";
    }

    /** Collects the options; every one has a default. */
    public static final class Builder {
        private URI webhookUrl;
        private String webhookToken;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private int maxBodyLength = DEFAULT_MAX_BODY_LENGTH;
        private Duration presenceTimeout = DEFAULT_PRESENCE_TIMEOUT;

        private Builder() {
        }

        public Builder webhookUrl(URI webhookUrl) {
            this.webhookUrl = webhookUrl;
            return this;
        }

        public Builder webhookToken(String webhookToken) {
            this.webhookToken = webhookToken;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
            return this;
        }

        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
            return this;
        }

        public Builder workerThreads(int workerThreads) {
            this.workerThreads = workerThreads;
            return this;
        }

        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        public Builder maxBodyLength(int maxBodyLength) {
            this.maxBodyLength = maxBodyLength;
            return this;
        }

        public Builder presenceTimeout(Duration presenceTimeout) {
            this.presenceTimeout = presenceTimeout;
            return this;
        }

        public PushOptions build() {
            return new PushOptions(this);
        }
    }
}
