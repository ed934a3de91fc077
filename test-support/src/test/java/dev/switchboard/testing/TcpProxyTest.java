package dev.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The proxy that fault tests cut: after {@link TcpProxy#cut()} nothing it forwarded forwards any more. */
class TcpProxyTest {
    @Test
    void forwardsUntilCutAndAgainAfterRestore() throws Exception {
        try (Echo echo = new Echo(); TcpProxy proxy = new TcpProxy("127.0.0.1", echo.port())) {
            try (Socket s = connect(proxy)) {
                assertEquals('a', roundTrip(s, 'a'));
                proxy.cut();
                assertEquals(-1, roundTrip(s, 'b'), "a connection open at the cut is closed");
            }
            proxy.restore();
            try (Socket s = connect(proxy)) {
                assertEquals('c', roundTrip(s, 'c'));
            }
        }
    }

    /** A restore right after a cut binds the port again: the cut returns once nothing holds it listening. */
    @Test
    void restoresRightAfterACut() throws Exception {
        try (Echo echo = new Echo(); TcpProxy proxy = new TcpProxy("127.0.0.1", echo.port())) {
            for (int i = 0; i < 100; i++) {
                proxy.cut();
                proxy.restore();
                try (Socket s = connect(proxy)) {
                    assertEquals('r', roundTrip(s, 'r'), "after restore " + i);
                }
            }
        }
    }

    /**
     * Connections made while the proxy is cut, from 8 threads, 5 times over: none of them outlives the cut (one
     * accepted just before it used to be registered just after, and kept forwarding: a database pool filling as a
     * test cut the database away kept a working connection).
     */
    @Test
    void noConnectionMadeDuringACutOutlivesIt() throws Exception {
        try (Echo echo = new Echo(); TcpProxy proxy = new TcpProxy("127.0.0.1", echo.port())) {
            for (int trial = 0; trial < 5; trial++) {
                ConcurrentLinkedQueue<Socket> made = new ConcurrentLinkedQueue<>();
                AtomicBoolean stop = new AtomicBoolean();
                CountDownLatch connecting = new CountDownLatch(8);
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    threads.add(Thread.ofPlatform().start(() -> {
                        connecting.countDown();
                        while (!stop.get()) {
                            try {
                                made.add(connect(proxy));
                            } catch (IOException refused) {
                                // cut: the proxy no longer listens
                            }
                        }
                    }));
                }
                connecting.await();
                Thread.sleep(5);
                proxy.cut();
                stop.set(true);
                for (Thread t : threads) {
                    t.join();
                }
                for (Socket s : made) {
                    try (s) {
                        assertEquals(-1, roundTrip(s, 'x'), "trial " + trial + ": a connection forwarded after the cut");
                    }
                }
                proxy.restore();
            }
        }
    }

    private static Socket connect(TcpProxy proxy) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()), 2000);
        s.setSoTimeout(5000);
        return s;
    }

    /** Writes {@code b} and reads one byte: the echo, or -1 where the connection was closed. */
    private static int roundTrip(Socket s, char b) {
        try {
            s.getOutputStream().write(b);
            s.getOutputStream().flush();
            return s.getInputStream().read();
        } catch (IOException closed) {
            return -1;
        }
    }

    /** A server that echoes every byte of every connection. */
    private static final class Echo implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());

        Echo() throws IOException {
            Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket c = server.accept();
                        Thread.ofPlatform().daemon().start(() -> {
                            try (c; InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
                                in.transferTo(out);
                            } catch (IOException gone) {
                                // the proxy closed it
                            }
                        });
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
