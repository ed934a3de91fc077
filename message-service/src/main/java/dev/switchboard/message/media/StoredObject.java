package dev.switchboard.message.media;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/** An object's bytes as a stream (the reader closes it), with its size and content type. */
public record StoredObject(InputStream data, long size, String contentType) implements Closeable {
    @Override
    public void close() throws IOException {
        data.close();
    }
}
