package dev.switchboard.message.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;

/**
 * Where media bytes live: a local directory in dev mode
 * ({@link FilesystemObjectStore}), an S3-compatible bucket in production
 * ({@link S3ObjectStore}). Keys are {@code /}-separated segments of
 * {@code [A-Za-z0-9._-]}. Every call blocks; the media service runs them on its
 * own workers, never on an event loop.
 */
public interface ObjectStore extends AutoCloseable {
    /** Stores exactly {@code size} bytes from {@code data} under {@code key}, replacing what was there. */
    void put(String key, InputStream data, long size, String contentType) throws IOException;

    /** The object's bytes; {@link NoSuchFileException} if there is none. The caller closes the stream. */
    StoredObject get(String key) throws IOException;

    /** Removes the object; removing a missing one is not an error. */
    void delete(String key) throws IOException;

    /** What the store is, for logs (no credentials). */
    String describe();

    @Override
    default void close() {
    }

    /** Throws if {@code key} is not a safe relative key. */
    static String checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > 200 || key.startsWith("/") || key.endsWith("/")) {
            throw new IllegalArgumentException("bad object key: " + key);
        }
        for (String segment : key.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || !segment.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128
                            || c == '.' || c == '_' || c == '-')) {
                throw new IllegalArgumentException("bad object key: " + key);
            }
        }
        return key;
    }
}
