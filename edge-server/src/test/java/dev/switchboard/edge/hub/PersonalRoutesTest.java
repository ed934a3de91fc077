package dev.switchboard.edge.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.edge.session.Session;
import org.junit.jupiter.api.Test;

class PersonalRoutesTest {
    private static Session session(long id) {
        return new Session(id, "u" + id, "acme", 0, null, null);
    }

    @Test
    void routesAUsersChannelToEachOfItsSessionsOnce() {
        PersonalRoutes routes = new PersonalRoutes();
        Session a = session(1);
        Session b = session(2);
        assertTrue(routes.add("acme/#u", a));
        assertFalse(routes.add("acme/#u", a));
        assertTrue(routes.add("acme/#u", b));
        assertArrayEquals(new Session[] {a, b}, routes.sessions("acme/#u"));
        assertEquals(2, routes.sessionCount("acme/#u"));
        assertEquals(1, routes.users());
    }

    @Test
    void theLastSessionGoneRemovesTheUser() {
        PersonalRoutes routes = new PersonalRoutes();
        Session a = session(1);
        Session b = session(2);
        routes.add("acme/#u", a);
        routes.add("acme/#u", b);
        assertTrue(routes.remove("acme/#u", a));
        assertFalse(routes.remove("acme/#u", a));
        assertArrayEquals(new Session[] {b}, routes.sessions("acme/#u"));
        assertTrue(routes.remove("acme/#u", b));
        assertEquals(0, routes.sessions("acme/#u").length);
        assertEquals(0, routes.sessionCount("acme/#u"));
        assertEquals(0, routes.users());
        assertFalse(routes.remove("acme/#other", b));
    }
}
