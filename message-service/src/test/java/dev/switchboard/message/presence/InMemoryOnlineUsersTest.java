package dev.switchboard.message.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryOnlineUsersTest {
    @Test
    void aUserIsOnlineWhileAnySessionLives() {
        InMemoryOnlineUsers online = new InMemoryOnlineUsers();
        online.markOnline("acme", "ana", "n1/s1");
        online.markOnline("acme", "ana", "n2/s2");
        online.markOnline("acme", "ben", "n1/s3");
        assertEquals(Set.of("ana", "ben"), online.online("acme", List.of("ana", "ben", "cy")).join());
        assertEquals(Set.of(), online.online("globex", List.of("ana")).join(), "ids are per organisation");

        online.markOffline("acme", "ana", "n1/s1");
        assertTrue(online.isOnline("acme", "ana"));
        online.markOffline("acme", "ana", "n2/s2");
        online.markOffline("acme", "ana", "n2/s2");
        assertFalse(online.isOnline("acme", "ana"));
        online.markOffline("acme", "nobody", "x");
        assertEquals(Set.of("ben"), online.online("acme", List.of("ana", "ben")).join());
    }

    @Test
    void aUserIsLastSeenWhenTheirLastSessionCloses() {
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        InMemoryOnlineUsers online = new InMemoryOnlineUsers(Clock.fixed(t, ZoneOffset.UTC));
        online.markOnline("acme", "ana", "n1/s1");
        online.markOnline("acme", "ana", "n2/s2");
        online.markOffline("acme", "ana", "n1/s1");
        assertEquals(Map.of(), online.lastSeen("acme", List.of("ana", "ben")).join(), "still online elsewhere");
        online.markOffline("acme", "ana", "n2/s2");
        assertEquals(Map.of("ana", t), online.lastSeen("acme", List.of("ana", "ben")).join());
        assertEquals(Map.of(), online.lastSeen("globex", List.of("ana")).join(), "ids are per organisation");
        online.markOffline("acme", "ben", "unknown");
        assertEquals(Map.of("ana", t), online.lastSeen("acme", List.of("ana", "ben")).join(), "no session, no time");
    }

    @Test
    void leaseValuesAreLiveOnlyBeforeTheirExpiry() {
        assertTrue(PresenceKeys.isLive("1001", 1000));
        assertFalse(PresenceKeys.isLive("1000", 1000));
        assertFalse(PresenceKeys.isLive("soon", 1000));
        assertFalse(PresenceKeys.isLive(null, 1000));
        assertEquals("sb:presence:acme:ana", PresenceKeys.key("acme", "ana"));
        assertEquals("edge-1/s-7", PresenceKeys.field("edge-1", "s-7"));
        assertEquals("sb:presence:seen|acme", PresenceKeys.lastSeenKey("acme"));
    }
}
