package dev.switchboard.app.fault;

import static org.awaitility.Awaitility.await;

import dev.switchboard.app.Fleet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Chat traffic through the REST API on a thread of its own: message {@code i}
 * goes to channel {@code i % channels}, sent by that channel's first member
 * with {@code client_msg_id} {@code <prefix>-i}. A send that fails is retried
 * with the same id until it is acknowledged, as a client app does, so every
 * message ends up committed exactly once; each failed attempt is recorded.
 */
final class Sender {
    private final Fleet fleet;
    private final Roster roster;
    private final Ledger ledger;
    private final String prefix;
    private final int total;
    private final Duration pause;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private volatile int acknowledged;
    private volatile int retriesAnsweredWithStoredMessage;
    private volatile Throwable crashed;

    /** A failed attempt: HTTP status (-1: no answer), error code, how long it took, when it ended. */
    record Failure(int status, String code, long tookMs, long atNanos) {
    }

    Sender(Fleet fleet, Roster roster, Ledger ledger, String prefix, int total, Duration pause) {
        this.fleet = fleet;
        this.roster = roster;
        this.ledger = ledger;
        this.prefix = prefix;
        this.total = total;
        this.pause = pause;
        this.thread = new Thread(this::run, "fault-sender-" + prefix);
        thread.setDaemon(true);
    }

    Sender start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            for (int i = 0; i < total; i++) {
                int c = i % roster.channelIds.size();
                String path = "/v1/channels/" + roster.channelIds.get(c) + "/messages";
                String body = "{\"text\":\"m" + i + "\",\"client_msg_id\":\"" + prefix + "-" + i + "\"}";
                boolean retry = false;
                while (true) {
                    long start = System.nanoTime();
                    Fleet.Rest r;
                    try {
                        r = fleet.rest("POST", path, fleet.token("u" + c, roster.org), body);
                    } catch (java.io.IOException e) {
                        failures.add(new Failure(-1, e.getClass().getSimpleName(), ms(start), System.nanoTime()));
                        retry = true;
                        Thread.sleep(100); // a client app's pause before it retries: pacing, not waiting
                        continue;
                    }
                    if (r.status() == 201 || r.status() == 200) {
                        if (retry && r.status() == 200) {
                            retriesAnsweredWithStoredMessage++;
                        }
                        ledger.committed(roster.channel(c), r.body().path("seq").asLong());
                        acknowledged++;
                        break;
                    }
                    failures.add(new Failure(r.status(), r.body().path("error").path("code").asText(), ms(start), System.nanoTime()));
                    retry = true;
                    Thread.sleep(100); // a client app's pause before it retries: pacing, not waiting
                }
                Thread.sleep(pause.toMillis()); // paces the load
            }
        } catch (Throwable e) {
            crashed = e;
        }
    }

    private static long ms(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Waits until {@code n} messages are acknowledged. */
    void awaitAcknowledged(int n, Duration timeout) {
        await(n + " sends acknowledged").atMost(timeout).pollInterval(Duration.ofMillis(10)).until(() -> {
            check();
            return acknowledged >= n;
        });
    }

    /** Waits for the last send. */
    void join(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        check();
        if (thread.isAlive()) {
            throw new AssertionError("sender still running after " + timeout + " (" + acknowledged + "/" + total + ")");
        }
    }

    private void check() {
        if (crashed != null) {
            throw new AssertionError("sender failed", crashed);
        }
    }

    List<Failure> failures() {
        return List.copyOf(failures);
    }

    int acknowledged() {
        return acknowledged;
    }

    /** Retries (after a failed attempt) that the service answered with the message it had already stored. */
    int retriesAnsweredWithStoredMessage() {
        return retriesAnsweredWithStoredMessage;
    }
}
