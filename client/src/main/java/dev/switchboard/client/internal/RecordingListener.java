package dev.switchboard.client.internal;

import dev.switchboard.wire.proto.Disconnect;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link WireListener} that queues what the server pushes, for code that waits
 * for things rather than reacting to them (the repository's protocol tests). The queues
 * are unbounded; take from them.
 */
public class RecordingListener implements WireListener {
    public final BlockingQueue<Publication> publications = new LinkedBlockingQueue<>();
    public final BlockingQueue<ServerFrame> pushes = new LinkedBlockingQueue<>();
    public final BlockingQueue<Disconnect> disconnects = new LinkedBlockingQueue<>();

    @Override
    public void onPublication(Publication publication) {
        publications.add(publication);
    }

    @Override
    public void onPush(ServerFrame push) {
        pushes.add(push);
    }

    @Override
    public void onDisconnect(Disconnect disconnect) {
        disconnects.add(disconnect);
    }

    /** The next publication, or null after {@code timeout}. */
    public Publication nextPublication(Duration timeout) throws InterruptedException {
        return publications.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The next push of a kind, dropping pushes of other kinds on the way; null after {@code timeout}. */
    public ServerFrame nextPush(ServerFrame.BodyCase kind, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            ServerFrame f = pushes.poll(left, TimeUnit.NANOSECONDS);
            if (f != null && f.getBodyCase() == kind) {
                return f;
            }
        }
        return null;
    }
}
