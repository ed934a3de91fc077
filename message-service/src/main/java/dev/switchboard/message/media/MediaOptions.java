package dev.switchboard.message.media;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Media upload settings: where the bytes go and what is accepted. Immutable;
 * build with {@link #builder()}. Off by default ({@link Store#NONE}: the media
 * endpoints answer 404).
 */
public final class MediaOptions {
    /** Where media bytes are kept. */
    public enum Store { NONE, FILESYSTEM, S3 }

    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    public static final Set<String> DEFAULT_CONTENT_TYPES = Set.of("image/png", "image/jpeg", "image/gif",
            "image/webp", "video/mp4", "video/webm");
    public static final String DEFAULT_S3_REGION = "us-east-1";
    public static final int DEFAULT_WORKER_THREADS = 4;
    public static final int DEFAULT_QUEUE_CAPACITY = 1_000;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Store store;
    private final Path directory;
    private final URI s3Endpoint;
    private final String s3Bucket;
    private final String s3Region;
    private final String s3AccessKey;
    private final String s3SecretKey;
    private final long maxBytes;
    private final Set<String> contentTypes;
    private final int workerThreads;
    private final int queueCapacity;
    private final Duration requestTimeout;

    private MediaOptions(Builder b) {
        this.store = Objects.requireNonNull(b.store, "store");
        if (store == Store.FILESYSTEM && b.directory == null) {
            throw new IllegalArgumentException("the filesystem media store needs a directory");
        }
        if (store == Store.S3 && (b.s3Endpoint == null || b.s3Bucket == null || b.s3AccessKey == null
                || b.s3SecretKey == null || b.s3Region == null)) {
            throw new IllegalArgumentException("the S3 media store needs endpoint, bucket, region and keys");
        }
        if (b.maxBytes < 1 || b.maxBytes > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException("maxBytes must be 1 to 2 GiB, got " + b.maxBytes);
        }
        if (b.contentTypes.isEmpty() || b.workerThreads < 1 || b.workerThreads > 256 || b.queueCapacity < 1) {
            throw new IllegalArgumentException("contentTypes must not be empty, workerThreads 1-256, queueCapacity > 0");
        }
        if (b.requestTimeout.isNegative() || b.requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
        this.directory = b.directory;
        this.s3Endpoint = b.s3Endpoint;
        this.s3Bucket = b.s3Bucket;
        this.s3Region = b.s3Region;
        this.s3AccessKey = b.s3AccessKey;
        this.s3SecretKey = b.s3SecretKey;
        this.maxBytes = b.maxBytes;
        this.contentTypes = Set.copyOf(b.contentTypes);
        this.workerThreads = b.workerThreads;
        this.queueCapacity = b.queueCapacity;
        this.requestTimeout = b.requestTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static MediaOptions disabled() {
        return builder().build();
    }

    /** Dev mode: files under {@code directory}, default limits. */
    public static MediaOptions filesystem(Path directory) {
        return builder().store(Store.FILESYSTEM).directory(directory).build();
    }

    public Store store() {
        return store;
    }

    public boolean enabled() {
        return store != Store.NONE;
    }

    public Path directory() {
        return directory;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    public String s3Bucket() {
        return s3Bucket;
    }

    public String s3Region() {
        return s3Region;
    }

    public String s3AccessKey() {
        return s3AccessKey;
    }

    public String s3SecretKey() {
        return s3SecretKey;
    }

    /** The largest upload; beyond it 413. */
    public long maxBytes() {
        return maxBytes;
    }

    /** Accepted Content-Types; any other 415. */
    public Set<String> contentTypes() {
        return contentTypes;
    }

    public int workerThreads() {
        return workerThreads;
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    @Override
    public String toString() {
        return "MediaOptions{store=" + store + (store == Store.FILESYSTEM ? ", directory=" + directory : "")
                + (store == Store.S3 ? ", s3=" + s3Endpoint + "/" + s3Bucket + " (" + s3Region + ")" : "")
                + ", maxBytes=" + maxBytes + ", contentTypes=" + contentTypes.stream().sorted().toList()
                + ", workerThreads=" + workerThreads + ", queueCapacity=" + queueCapacity
                + ", requestTimeout=" + requestTimeout + "}";
    }

    /** Collects the options; everything but the store's own settings has a default. */
    public static final class Builder {
        private Store store = Store.NONE;
        private Path directory;
        private URI s3Endpoint;
        private String s3Bucket;
        private String s3Region = DEFAULT_S3_REGION;
        private String s3AccessKey;
        private String s3SecretKey;
        private long maxBytes = DEFAULT_MAX_BYTES;
        private Set<String> contentTypes = DEFAULT_CONTENT_TYPES;
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

        private Builder() {
        }

        public Builder store(Store store) {
            this.store = store;
            return this;
        }

        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        public Builder s3(URI endpoint, String bucket, String region, String accessKey, String secretKey) {
            this.s3Endpoint = endpoint;
            this.s3Bucket = bucket;
            this.s3Region = region;
            this.s3AccessKey = accessKey;
            this.s3SecretKey = secretKey;
            return this;
        }

        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        public Builder contentTypes(Set<String> contentTypes) {
            this.contentTypes = Objects.requireNonNull(contentTypes, "contentTypes");
            return this;
        }

        public Builder workerThreads(int workerThreads) {
            this.workerThreads = workerThreads;
            return this;
        }

        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        public MediaOptions build() {
            return new MediaOptions(this);
        }
    }
}
