package dev.switchboard.client.internal;

import dev.switchboard.client.ChannelEvent;
import dev.switchboard.client.ClientListener;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Disconnected;
import dev.switchboard.client.Publication;
import dev.switchboard.client.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The application's listener, walled off: what it throws is logged and stops nothing. */
public final class SafeListener implements ClientListener {
    private static final Logger log = LoggerFactory.getLogger(SafeListener.class);
    private final ClientListener app;

    public SafeListener(ClientListener app) {
        this.app = app;
    }

    @Override
    public void onStateChanged(ConnectionState state, ConnectionState previous) {
        safely(() -> app.onStateChanged(state, previous));
    }

    @Override
    public void onConnected(Session session) {
        safely(() -> app.onConnected(session));
    }

    @Override
    public void onDisconnected(Disconnected disconnected) {
        safely(() -> app.onDisconnected(disconnected));
    }

    @Override
    public void onPublication(Publication publication) {
        safely(() -> app.onPublication(publication));
    }

    @Override
    public void onChannelEvent(ChannelEvent event) {
        safely(() -> app.onChannelEvent(event));
    }

    @Override
    public void onError(Throwable error) {
        log.debug("switchboard client: {}", error.toString());
        safely(() -> app.onError(error));
    }

    /** A publication or a channel event, as the channel tracker hands them on. */
    public void event(Object event) {
        if (event instanceof Publication p) {
            onPublication(p);
        } else if (event instanceof ChannelEvent e) {
            onChannelEvent(e);
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("listener failed", e);
        }
    }
}
