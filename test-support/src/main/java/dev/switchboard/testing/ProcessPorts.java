package dev.switchboard.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Waits for a server a test started in a process of its own (redis-server, an edge
 * node through the real launcher) to accept connections: a child process gives no
 * other signal that it is ready.
 */
public final class ProcessPorts {
    private ProcessPorts() {
    }

    /**
     * Returns once {@code process} ({@code what}, for the failure message) accepts TCP
     * connections on 127.0.0.1:{@code port}; fails at once if it exits, or after {@code timeout}.
     */
    public static void awaitListening(String what, Process process, int port, Duration timeout) {
        await(what + " listens on " + port).atMost(timeout)
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .failFast(what + " exited before it listened on " + port, () -> !process.isAlive())
                .until(() -> accepts(port));
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }
}
