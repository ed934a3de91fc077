package dev.switchboard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a free loopback port, so that a test can take a server
 * away from the code under test without touching the server itself: {@link #cut()}
 * closes the listening socket and every forwarded connection (as a crashed or
 * unreachable database looks to its clients); {@link #restore()} listens again on
 * the same port.
 */
public final class TcpProxy implements AutoCloseable {
    private final int port = FreePorts.next();
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    private Thread acceptor;

    public TcpProxy(String targetHost, int targetPort) {
        this.target = new InetSocketAddress(targetHost, targetPort);
        restore();
    }

    public int port() {
        return port;
    }

    public synchronized void restore() {
        if (server != null && !server.isClosed()) {
            return;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = s;
            acceptor = Thread.ofPlatform().daemon().name("proxy-accept-" + port).start(() -> accept(s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Closes the listening socket and every forwarded connection, and returns once the accepting thread has
     * stopped: until then the kernel keeps the port listening (the thread's {@code accept} holds the socket), and a
     * {@link #restore()} right after the cut could not bind it. The wait is outside the lock, which the accepting
     * thread takes to register a connection.
     */
    public void cut() {
        Thread stopping;
        synchronized (this) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            open.forEach(TcpProxy::closeQuietly);
            open.clear();
            stopping = acceptor;
        }
        try {
            stopping.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 2000);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                if (!track(s, client, upstream)) {
                    return; // cut() ran while this connection was being made: it must not outlive the cut
                }
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                return; // the listening socket was closed by cut()
            }
        }
    }

    /**
     * Registers a forwarded connection unless {@code listening} was closed by {@link #cut()} meanwhile (then closes
     * it): under the lock {@code cut()} holds, so a connection accepted just before a cut is either closed by it or
     * here, never left forwarding (a pool that was filling as the test cut kept one working connection).
     */
    private synchronized boolean track(ServerSocket listening, Socket client, Socket upstream) {
        if (listening.isClosed()) {
            closeQuietly(client);
            closeQuietly(upstream);
            return false;
        }
        open.add(client);
        open.add(upstream);
        return true;
    }

    private void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon().start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // one side went away; close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        });
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        cut();
    }
}
