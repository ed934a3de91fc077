package dev.switchboard.edge.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SessionIdentityTest {
    private static Session session(long tokenExpiresAtMs) {
        return new Session(1, "ann", "acme", tokenExpiresAtMs, null, null);
    }

    @Test
    void keepsTheTokensExpiryInWholeSecondsRoundedUp() {
        assertEquals(0, session(0).tokenExpiresAtMs(), "no expiry");
        assertEquals(1_764_000_000_000L, session(1_764_000_000_000L).tokenExpiresAtMs(), "a JWT exp is whole seconds");
        assertEquals(1_764_000_001_000L, session(1_764_000_000_001L).tokenExpiresAtMs(), "never earlier than the token says");
        assertEquals(4_294_967_294_000L, session(4_294_967_294_000L).tokenExpiresAtMs(), "epoch seconds past 2038 (unsigned)");
        assertEquals(Long.MAX_VALUE, session(Long.MAX_VALUE).tokenExpiresAtMs(), "never");
        Session s = session(0);
        s.tokenExpiresAtMs(2_000L);
        assertEquals(2_000L, s.tokenExpiresAtMs(), "a refresh replaces it");
    }

    @Test
    void namesTheUserAndItsPersonalChannel() {
        Session s = session(0);
        assertEquals("ann", s.userId());
        assertEquals("acme", s.orgId());
        assertEquals("acme/#ann", s.user().channel());
    }
}
