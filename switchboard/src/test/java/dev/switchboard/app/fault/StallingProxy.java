package dev.switchboard.app.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder in front of an edge node whose edge-to-client direction can be
 * stalled: to the edge, the client behind it has stopped reading its socket (an
 * app in the background, a stalled network), whatever client library it uses.
 * The forwarder's own socket towards the edge takes little (a 4 KiB receive
 * buffer), so what the client does not read backs up into the edge.
 */
final class StallingProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private boolean stalled;

    StallingProxy(int targetPort) {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("stalling-proxy-" + server.getLocalPort()).start(this::accept);
    }

    /** The edge's WebSocket endpoint through this forwarder. */
    URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/ws");
    }

    /** Stops (true) or resumes (false) forwarding what the edge sends. */
    void stall(boolean on) {
        synchronized (gate) {
            stalled = on;
            gate.notifyAll();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.setReceiveBufferSize(4096);
                upstream.connect(target, 5000);
                open.add(client);
                open.add(upstream);
                pump(client, upstream, false);
                pump(upstream, client, true);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean stallable) {
        Thread.ofPlatform().daemon().start(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    if (stallable) {
                        awaitFlowing();
                    }
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException | InterruptedException ended) {
                // One side closed: the other follows below.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private void awaitFlowing() throws InterruptedException {
        synchronized (gate) {
            while (stalled) {
                gate.wait();
            }
        }
    }

    private static void closeQuietly(java.io.Closeable s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        stall(false);
        closeQuietly(server);
        open.forEach(StallingProxy::closeQuietly);
    }
}
