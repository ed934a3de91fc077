package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.wire.proto.ClientFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** History (S11, S15): what the server could not replay read from history, pages newest first and oldest first. */
class HistoryScenariosTest extends ScenarioFixture {
    @Test
    void s11_readsWhatTheServerCouldNotReplayFromHistory() {
        edge.memberOf.add(CH);
        edge.maxReplay = 2;
        Heard h = client(Endpoint.fixed(edge.url()), TokenProvider.of("t"),
                fast().historyPageSize(3).backoff(Duration.ofMillis(300), Duration.ofMillis(300)));
        join(h.client.connect());
        edge.commit(CH, "m1");
        until(() -> h.got.size() == 1);
        edge.current().drop(4000, true, 300);
        until(() -> h.client.state() == ConnectionState.DISCONNECTED);
        for (int i = 2; i <= 9; i++) {
            edge.commit(CH, "m" + i);
        }
        until(() -> h.got.size() == 9);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), h.seqs());
        assertTrue(edge.current().commands(ClientFrame.CommandCase.HISTORY).size() >= 3);
    }

    @Test
    void s15_pagesHistoryNewestFirstAndOldestFirst() {
        edge.memberOf.add(CH);
        for (int i = 1; i <= 7; i++) {
            edge.commit(CH, "m" + i);
        }
        Heard h = client();
        join(h.client.connect());
        List<Long> all = new ArrayList<>();
        HistoryPager pager = h.client.history(CH, false, 0, 3);
        while (pager.hasNext()) {
            join(pager.next()).forEach(p -> all.add(p.seq()));
        }
        assertEquals(List.of(7L, 6L, 5L, 4L, 3L, 2L, 1L), all);
        List<Long> forward = new ArrayList<>();
        HistoryPager f = h.client.history(CH, true, 4, 2);
        while (f.hasNext()) {
            join(f.next()).forEach(p -> forward.add(p.seq()));
        }
        assertEquals(List.of(5L, 6L, 7L), forward);
    }
}
