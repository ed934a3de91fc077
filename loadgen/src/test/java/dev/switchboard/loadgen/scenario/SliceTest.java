package dev.switchboard.loadgen.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SliceTest {
    @Test
    void slicesCoverEveryIndexExactlyOnce() {
        int total = 50_003;
        int next = 0;
        for (int w = 0; w < 3; w++) {
            Slice s = new Slice(w, 3);
            assertEquals(next, s.from(total));
            next = s.to(total);
        }
        assertEquals(total, next);
    }

    @Test
    void resultsMergeByTheirRule() {
        Results r = new Results();
        r.putEncoded("connected sum 100.0");
        r.putEncoded("connected sum 50.0");
        r.putEncoded("recovery_seconds max 1.5");
        r.putEncoded("recovery_seconds max 2.5");
        assertEquals(150.0, r.get("connected"));
        assertEquals(2.5, r.get("recovery_seconds"));
        Results again = new Results();
        r.encode().forEach(again::putEncoded);
        assertEquals(r.values(), again.values());
        assertThrows(IllegalArgumentException.class, () -> r.put("Bad Key", Results.Merge.SUM, 1));
    }

    @Test
    void fanoutExpectsEverySubscriberOfAChannel() {
        assertEquals(4, FanoutScenario.subscribersOf(0, 10, 3));
        assertEquals(3, FanoutScenario.subscribersOf(2, 10, 3));
    }

    @Test
    void chatGroupsGiveEachUserAboutItsMemberships() {
        int users = 100;
        int[] count = new int[users];
        int channels = (users * 20 + 9) / 10;
        for (int j = 0; j < channels; j++) {
            for (int m : ChatScenario.members(j, 10, users)) {
                count[m]++;
            }
        }
        for (int c : count) {
            assertEquals(20, c);
        }
    }
}
