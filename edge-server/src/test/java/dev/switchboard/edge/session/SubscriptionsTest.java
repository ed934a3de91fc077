package dev.switchboard.edge.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscriptionsTest {
    @Test
    void oneChannelIsHeldAsItsNameAndNoneAsNull() {
        Object subs = Subscriptions.add(null, "c:o:1");
        assertSame("c:o:1", subs);
        assertEquals(1, Subscriptions.size(subs));
        assertTrue(Subscriptions.contains(subs, "c:o:1"));
        assertFalse(Subscriptions.contains(subs, "c:o:2"));
        assertSame(subs, Subscriptions.add(subs, "c:o:1"));
        assertNull(Subscriptions.remove(subs, "c:o:1"));
        assertEquals(0, Subscriptions.size(null));
        assertEquals(0, Subscriptions.toArray(null).length);
    }

    @Test
    void aFewAreAnExactArrayAndShrinkBackToOneName() {
        Object subs = null;
        for (int i = 0; i < 3; i++) {
            subs = Subscriptions.add(subs, "c:o:" + i);
        }
        assertArrayEquals(new String[] {"c:o:0", "c:o:1", "c:o:2"}, (String[]) subs);
        subs = Subscriptions.remove(subs, "c:o:1");
        assertArrayEquals(new String[] {"c:o:0", "c:o:2"}, (String[]) subs);
        assertSame(subs, Subscriptions.remove(subs, "c:o:9"));
        subs = Subscriptions.remove(subs, "c:o:0");
        assertEquals("c:o:2", subs);
    }

    @Test
    void manyBecomeASetThatEmptiesToNull() {
        Object subs = null;
        int n = Subscriptions.SET_THRESHOLD + 5;
        for (int i = 0; i < n; i++) {
            subs = Subscriptions.add(subs, "c:o:" + i);
        }
        assertInstanceOf(Set.class, subs);
        assertEquals(n, Subscriptions.size(subs));
        String[] all = Subscriptions.toArray(subs);
        Arrays.sort(all);
        assertEquals(n, all.length);
        for (int i = 0; i < n; i++) {
            assertTrue(Subscriptions.contains(subs, "c:o:" + i));
            subs = Subscriptions.remove(subs, "c:o:" + i);
        }
        assertNull(subs);
    }

    @Test
    void toArrayIsACopy() {
        Object subs = Subscriptions.add(Subscriptions.add(null, "a"), "b");
        String[] copy = Subscriptions.toArray(subs);
        copy[0] = "x";
        assertTrue(Subscriptions.contains(subs, "a"));
    }
}
