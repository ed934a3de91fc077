package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    private static final String ACME = "acme-secret-0123456789";
    private static final String GLOBEX = "globex-secret-0123456789";
    private static final String OPS = "ops-secret-0123456789";
    private static final String EDGE = "edge-secret-0123456789";

    private final ApiKeys keys = ApiKeys.parse(List.of("org:acme:" + ACME, " org:globex:" + GLOBEX, "platform:" + OPS))
            .and(ApiKeys.internal(EDGE));

    @Test
    void readsEachKindOfEntry() {
        assertEquals(ApiKeys.Kind.ORG, keys.find(ACME).kind());
        assertEquals("acme", keys.find(ACME).org());
        assertEquals("globex", keys.find(GLOBEX).org());
        assertTrue(keys.find(OPS).isPlatform());
        assertTrue(keys.find(EDGE).isInternal());
        assertNull(keys.find("org:acme:" + ACME), "the configuration entry is not the secret");
        assertNull(keys.find(null));
    }

    @Test
    void refusesABareKeyAndSaysHowToWriteIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse(List.of(ACME)));
        assertTrue(e.getMessage().contains("platform:<key>"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse(List.of("acme:" + ACME)));
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse(List.of("org:" + ACME)));
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse(List.of("org:ac/me:" + ACME)));
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse(List.of("platform:short")));
    }

    @Test
    void refusesASecretUsedTwice() {
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse(List.of("org:acme:" + ACME, "platform:" + ACME)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApiKeys.parse(List.of("platform:" + OPS)).and(ApiKeys.internal(OPS)));
        assertFalse(e.getMessage().contains(OPS), "no secret in messages");
    }

    @Test
    void clientsPresentTheSecretOfAnEntry() {
        assertEquals(ACME, ApiKeys.secretOf("org:acme:" + ACME));
        assertEquals(OPS, ApiKeys.secretOf("platform:" + OPS));
        assertEquals(OPS, ApiKeys.secretOf(OPS));
        assertEquals("a:b:c-0123456789abcdef", ApiKeys.secretOf("org:acme:a:b:c-0123456789abcdef"));
    }

    @Test
    void anOrganisationKeyActsInItsOrganisationOnly() {
        ApiKeys.Key acme = keys.find(ACME);
        assertEquals("acme", ServerPrincipal.resolve(acme, "acme", "ana", "O", "U").org());
        KeyScopeException e = assertThrows(KeyScopeException.class,
                () -> ServerPrincipal.resolve(acme, "globex", "gus", "O", "U"));
        assertTrue(e.forbidden());
        assertThrows(KeyScopeException.class, () -> ServerPrincipal.requirePlatform(acme, "draining a node"));
        assertFalse(assertThrows(KeyScopeException.class, () -> ServerPrincipal.resolve(acme, "acme", null, "O", "U")).forbidden());
    }

    @Test
    void aPlatformKeyActsAnywhereAndTheInternalCredentialOnlyForUsers() {
        assertEquals("globex", ServerPrincipal.resolve(keys.find(OPS), "globex", "gus", "O", "U").org());
        ServerPrincipal.requirePlatform(keys.find(OPS), "draining a node");
        ApiKeys.Key edge = keys.find(EDGE);
        assertEquals("globex", ServerPrincipal.resolve(edge, "globex", "gus", "O", "U").org());
        assertTrue(assertThrows(KeyScopeException.class, () -> ServerPrincipal.resolve(edge, null, null, "O", "U")).forbidden());
        assertThrows(KeyScopeException.class, () -> ServerPrincipal.requirePlatform(edge, "draining a node"));
    }
}
