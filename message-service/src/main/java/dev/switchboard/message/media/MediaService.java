package dev.switchboard.message.media;

import dev.switchboard.message.ChatException;
import dev.switchboard.message.Media;
import dev.switchboard.message.UserRef;
import dev.switchboard.message.internal.BlockingExecutor;
import dev.switchboard.message.store.Database;
import dev.switchboard.message.store.MediaStore;
import dev.switchboard.wire.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads and downloads of media. The bytes go to the {@link ObjectStore} first,
 * then the row is written, so a row always has its bytes (an upload whose row
 * cannot be written takes its bytes back). Database calls and opening an object
 * block, so they run on the service's own bounded pool, never on an event loop; a
 * full queue is a 503. Moving bytes between a client and the object store waits on
 * the client, so it runs on virtual threads ({@link #transfer}): a slow uploader or
 * reader holds no pool thread, and four of them cannot stall everyone else's media.
 * How many transfers run at once is bounded by the HTTP connection limit.
 */
public final class MediaService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaService.class);

    private final MediaStore store;
    private final ObjectStore objects;
    private final MediaOptions options;
    private final BlockingExecutor workers;
    private final ExecutorService transfers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("switchboard-media-transfer-", 0).factory());
    private final Counter uploads;
    private final Counter downloads;

    public MediaService(MediaStore store, ObjectStore objects, MediaOptions options, MeterRegistry registry) {
        this.store = store;
        this.objects = objects;
        this.options = options;
        this.workers = new BlockingExecutor("switchboard-media", options.workerThreads(), options.queueCapacity());
        this.uploads = Counter.builder("switchboard.media.uploads").description("media items stored").register(registry);
        this.downloads = Counter.builder("switchboard.media.downloads").description("media downloads started")
                .register(registry);
    }

    /** The service over the store that {@code options} names (which must not be NONE). */
    public static MediaService open(Database db, MediaOptions options, Clock clock, MeterRegistry registry) {
        ObjectStore objects = switch (options.store()) {
            case FILESYSTEM -> {
                try {
                    yield new FilesystemObjectStore(options.directory());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create media directory " + options.directory(), e);
                }
            }
            case S3 -> new S3ObjectStore(options.s3Endpoint(), options.s3Bucket(), options.s3Region(),
                    options.s3AccessKey(), options.s3SecretKey(), options.requestTimeout(), clock);
            case NONE -> throw new IllegalArgumentException("media is disabled");
        };
        log.info("media store: {} ({})", objects.describe(), options);
        return new MediaService(new MediaStore(db, clock), objects, options, registry);
    }

    public MediaOptions options() {
        return options;
    }

    /** Whether uploads of this Content-Type (parameters and case ignored) are accepted. */
    public boolean accepts(String contentType) {
        return options.contentTypes().contains(contentType);
    }

    /** Stores an upload of an accepted type within the size limit; completes with its row. */
    public CompletableFuture<Media> upload(UserRef uploader, String contentType, byte[] bytes) {
        return upload(uploader, contentType, new ByteArrayInputStream(bytes), bytes.length);
    }

    /**
     * Stores an upload of {@code size} bytes read from {@code body} as it arrives (on a
     * transfer thread: the client may be slow), then writes its row on the pool.
     * {@code body} is closed when done.
     */
    public CompletableFuture<Media> upload(UserRef uploader, String contentType, InputStream body, long size) {
        if (size > options.maxBytes()) {
            closeQuietly(body);
            return CompletableFuture.failedFuture(new ChatException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "media larger than " + options.maxBytes() + " bytes"));
        }
        if (size <= 0 || !accepts(contentType)) {
            closeQuietly(body);
            return CompletableFuture.failedFuture(ChatException.badRequest("an upload needs a body of an accepted type"));
        }
        String key = uploader.org() + "/" + UUID.randomUUID();
        CompletableFuture<Void> stored = new CompletableFuture<>();
        transfer(() -> {
            try (InputStream in = body) {
                objects.put(key, in, size, contentType);
                stored.complete(null);
            } catch (IOException e) {
                deleteQuietly(key);
                stored.completeExceptionally(new ChatException(ErrorCode.UNAVAILABLE, "media store unavailable", e));
            } catch (RuntimeException e) {
                deleteQuietly(key);
                stored.completeExceptionally(e);
            }
        }, stored);
        return stored.thenCompose(v -> workers.submit(() -> {
            try {
                Media m = store.insert(uploader, contentType, size, key);
                uploads.increment();
                return m;
            } catch (RuntimeException e) {
                deleteQuietly(key);
                throw e;
            }
        }));
    }

    /** The media and an open stream of its bytes, if the caller may read it (see {@link MediaStore#readable}). */
    public CompletableFuture<Download> download(UserRef caller, long id) {
        return workers.submit(() -> {
            Media m = store.readable(caller, id);
            try {
                StoredObject object = objects.get(m.storageKey());
                downloads.increment();
                return new Download(m, object);
            } catch (NoSuchFileException e) {
                log.error("media {} has a row but no bytes under {}", id, m.storageKey());
                throw ChatException.notFound("media " + id + " is gone");
            } catch (IOException e) {
                throw new ChatException(ErrorCode.UNAVAILABLE, "media store unavailable", e);
            }
        });
    }

    /**
     * Runs work that waits on a client or the object store (a piece of a download)
     * on a transfer thread; {@code onRejected} fails if the service is closing.
     */
    public void transfer(Runnable work, CompletableFuture<?> onRejected) {
        try {
            transfers.execute(work);
        } catch (RejectedExecutionException e) {
            onRejected.completeExceptionally(new ChatException(ErrorCode.UNAVAILABLE, "shutting down", e));
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            log.debug("closing an upload body: {}", e.toString());
        }
    }

    private void deleteQuietly(String key) {
        try {
            objects.delete(key);
        } catch (IOException | RuntimeException e) {
            log.warn("could not take back media bytes {}: {}", key, e.toString());
        }
    }

    /** Lets running transfers finish (bounded), then closes the object store. */
    @Override
    public void close() {
        try {
            workers.close();
            transfers.shutdown();
            if (!transfers.awaitTermination(5, TimeUnit.SECONDS)) {
                transfers.shutdownNow();
            }
        } catch (InterruptedException e) {
            transfers.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            objects.close();
        }
    }

    /** A readable media item and its bytes; the reader closes {@code object}. */
    public record Download(Media media, StoredObject object) {
    }
}
