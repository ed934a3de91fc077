package dev.switchboard.client;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * What every scenario test needs: a {@link FakeEdge} over real sockets, clients with
 * fast retries that record what they heard, closed after each test. The shared client
 * scenarios (docs/clients.md, "Scenarios") are the {@code *ScenariosTest} classes of this
 * package, one per part of the list; the TypeScript SDK's test/unit/scenarios.test.ts
 * runs the same list.
 */
abstract class ScenarioFixture {
    static final String CH = "acme/chat/7";
    final FakeEdge edge = newEdge();
    final ClientResources resources = new ClientResources(1);
    final List<SwitchboardClient> clients = new ArrayList<>();

    static FakeEdge newEdge() {
        try {
            return new FakeEdge();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        clients.forEach(SwitchboardClient::close);
        resources.close();
        edge.close();
    }

    /** A client and what it heard. */
    final class Heard implements ClientListener {
        final List<Publication> got = new CopyOnWriteArrayList<>();
        final List<ChannelEvent> events = new CopyOnWriteArrayList<>();
        final List<Disconnected> disconnects = new CopyOnWriteArrayList<>();
        final List<ConnectionState> states = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        SwitchboardClient client;

        @Override
        public void onPublication(Publication p) {
            threads.add(Thread.currentThread());
            got.add(p);
        }

        @Override
        public void onChannelEvent(ChannelEvent e) {
            events.add(e);
        }

        @Override
        public void onDisconnected(Disconnected d) {
            disconnects.add(d);
        }

        @Override
        public void onStateChanged(ConnectionState state, ConnectionState previous) {
            states.add(state);
        }

        List<Long> seqs() {
            return got.stream().map(Publication::seq).toList();
        }
    }

    Heard client(Endpoint endpoint, TokenProvider tokens, SwitchboardClientOptions.Builder options) {
        Heard h = new Heard();
        h.client = SwitchboardClient.builder(endpoint, tokens, resources).listener(h)
                .options(options.random(() -> 0).build()).build();
        clients.add(h.client);
        return h;
    }

    Heard client() {
        return client(Endpoint.fixed(edge.url()), TokenProvider.of("t0"), fast());
    }

    static SwitchboardClientOptions.Builder fast() {
        return SwitchboardClientOptions.builder().backoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .publishRetries(5, Duration.ofMillis(1)).requestTimeout(Duration.ofSeconds(5));
    }

    static <T> T join(CompletableFuture<T> f) {
        return f.orTimeout(30, TimeUnit.SECONDS).join(); // generous: a loaded CI machine is slow to open the first connection
    }

    static void until(java.util.concurrent.Callable<Boolean> cond) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(cond);
    }
}
