package dev.switchboard.edge.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SweeperTest {
    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    @Test
    void withTheDefaultsTheClockTicksFourTimesASecondAndTheSessionsAreWalkedOnce() {
        // connect 10 s, idle 60 s, heartbeat 25 s, slow consumer 10 s, close grace 2 s
        Duration[] defaults = {ms(10_000), ms(60_000), ms(25_000), ms(10_000), ms(2_000)};
        Duration tick = Sweeper.tickFor(defaults);
        assertEquals(ms(250), tick);
        assertEquals(4, Sweeper.walkEvery(tick, defaults), "a walk a second");
    }

    @Test
    void shortTimeoutsAreWalkedForAtLeastTwicePerTimeout() {
        Duration[] shortOnes = {ms(400), ms(60_000)};
        Duration tick = Sweeper.tickFor(shortOnes);
        assertEquals(ms(100), tick);
        assertEquals(2, Sweeper.walkEvery(tick, shortOnes), "every 200 ms: half of the 400 ms timeout");
        Duration[] tiny = {ms(20)};
        assertEquals(1, Sweeper.walkEvery(Sweeper.tickFor(tiny), tiny), "never less than one tick");
    }
}
