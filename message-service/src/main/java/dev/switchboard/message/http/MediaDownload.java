package dev.switchboard.message.http;

import dev.switchboard.http.ResponseStream;
import dev.switchboard.message.media.MediaService;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media download after its head was written: reads the object in 64 KiB
 * pieces on a transfer thread and writes each to the {@link ResponseStream}.
 * When the client stops keeping up, it stops and asks to be called back once
 * the client has read enough, so no thread waits for a slow reader; the memory
 * a download holds is the socket's write buffer plus one piece. A failure after
 * the head can only be told by closing the connection (a short body).
 */
final class MediaDownload {
    private static final Logger log = LoggerFactory.getLogger(MediaDownload.class);
    static final int CHUNK = 64 * 1024;

    private final MediaService.Download download;
    private final ResponseStream out;
    private final MediaService media;
    private final CompletableFuture<Void> rejected = new CompletableFuture<>();
    private long sent;

    private MediaDownload(MediaService.Download download, ResponseStream out, MediaService media) {
        this.download = download;
        this.out = out;
        this.media = media;
        rejected.whenComplete((v, e) -> abort());
    }

    /** Starts sending {@code download}'s bytes to {@code out}. */
    static void start(MediaService.Download download, ResponseStream out, MediaService media) {
        new MediaDownload(download, out, media).next();
    }

    private void next() {
        media.transfer(this::pump, rejected);
    }

    /** Sends pieces while the client keeps up; on a transfer thread. */
    private void pump() {
        long size = download.media().size();
        try {
            InputStream in = download.object().data();
            byte[] buf = new byte[CHUNK];
            while (sent < size) {
                if (!out.isOpen()) {
                    close();
                    return; // the client went away
                }
                if (!out.isWritable()) {
                    out.whenWritable(this::next, this::close);
                    return;
                }
                int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, size - sent));
                if (n <= 0) {
                    log.warn("media {} ended after {} of {} bytes", download.media().id(), sent, size);
                    abort();
                    return;
                }
                out.write(Unpooled.wrappedBuffer(buf, 0, n));
                buf = new byte[CHUNK]; // the written piece is the channel's now
                sent += n;
            }
        } catch (IOException | RuntimeException e) {
            log.warn("download of media {} failed after {} bytes: {}", download.media().id(), sent, e.toString());
            abort();
            return;
        }
        close();
        out.end();
    }

    private void abort() {
        close();
        out.abort();
    }

    private void close() {
        close(download);
    }

    static void close(MediaService.Download d) {
        try {
            d.object().close();
        } catch (IOException e) {
            log.debug("closing media stream: {}", e.toString());
        }
    }
}
