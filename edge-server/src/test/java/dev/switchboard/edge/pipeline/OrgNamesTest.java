package dev.switchboard.edge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Organisation ids are shared per organisation, and the table stays bounded whatever ids tokens carry. */
class OrgNamesTest {

    @Test
    void sessionsOfOneOrganisationShareOneString() {
        OrgNames names = new OrgNames();
        String first = names.intern(new String("acme"));
        assertSame(first, names.intern(new String("acme")));
        assertEquals("globex", names.intern(new String("globex")));
    }

    @Test
    void organisationIdsChosenByATokenIssuerDoNotGrowTheTable() {
        OrgNames names = new OrgNames();
        String acme = names.intern("acme");
        for (int i = 0; i < 10 * OrgNames.MAX; i++) {
            String org = "junk-" + i;
            assertEquals(org, names.intern(org));
            assertTrue(names.size() <= OrgNames.MAX);
        }
        String again = names.intern(new String("acme"));
        assertEquals(acme, again);
        assertSame(again, names.intern(new String("acme")), "shared again after the table started over");
    }
}
