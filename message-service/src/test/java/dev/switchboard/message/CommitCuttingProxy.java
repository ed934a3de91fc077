package dev.switchboard.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP forwarder to PostgreSQL that can fail one COMMIT the two ways a real
 * outage does: {@link Cut#BEFORE} closes the connection instead of forwarding
 * the COMMIT (the server rolls the transaction back: nothing is stored);
 * {@link Cut#AFTER} forwards it and closes the connection when the server's
 * answer comes back, which the server sends only after the commit is durable
 * (stored, but the client sees a lost connection). {@link #refuse} makes new
 * connections fail at once and, at an AFTER cut, closes every open one too, so
 * the outcome cannot be looked up either.
 */
final class CommitCuttingProxy implements AutoCloseable {
    enum Cut { NONE, BEFORE, AFTER }

    private static final byte[] COMMIT = "COMMIT".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final int targetPort;
    private final AtomicReference<Cut> armed = new AtomicReference<>(Cut.NONE);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean refusing;
    private volatile boolean closed;

    CommitCuttingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("commit-proxy-accept").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The next COMMIT through the proxy (one) fails as {@code cut} says. */
    void arm(Cut cut) {
        armed.set(cut);
    }

    /** Whether the armed cut has happened. */
    boolean fired() {
        return armed.get() == Cut.NONE;
    }

    /** New connections are closed at once while {@code refuse} is true. */
    void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    client.close();
                    continue;
                }
                Socket upstream = new Socket("127.0.0.1", targetPort);
                open.add(client);
                open.add(upstream);
                Connection c = new Connection(client, upstream);
                if (refusing) {
                    // Refused while this one was being set up: the AFTER cut's closeAll may have run before it
                    // was in `open`, and a connection that survives it lets the outcome be looked up.
                    c.closeBoth();
                    continue;
                }
                Thread.ofPlatform().daemon().start(c::clientToServer);
                Thread.ofPlatform().daemon().start(c::serverToClient);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private final class Connection {
        final Socket client;
        final Socket upstream;
        volatile boolean dropAnswer;

        Connection(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void clientToServer() {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = client.getInputStream(); OutputStream out = upstream.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    Cut cut = armed.get();
                    if (cut != Cut.NONE && contains(buf, n, COMMIT) && armed.compareAndSet(cut, Cut.NONE)) {
                        if (cut == Cut.BEFORE) {
                            closeBoth();
                            return;
                        }
                        dropAnswer = true;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                closeBoth();
            }
        }

        void serverToClient() {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = upstream.getInputStream(); OutputStream out = client.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (dropAnswer) {
                        // The server has answered the COMMIT: it is durable; the client never hears so.
                        if (refusing) {
                            closeAll(); // and the database is gone for every connection
                        }
                        closeBoth();
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                closeBoth();
            }
        }

        void closeBoth() {
            for (Socket s : new Socket[] {client, upstream}) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // already closed
                }
                open.remove(s);
            }
        }
    }

    private void closeAll() {
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static boolean contains(byte[] buf, int n, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= n; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
