package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void acceptsOneToSixtyFourLettersDigitsDotsDashesAndUnderscores() {
        assertTrue(Ids.isValid("a"));
        assertTrue(Ids.isValid("user-12345_x.Y"));
        assertTrue(Ids.isValid("Z9".repeat(32)));
    }

    @Test
    void refusesEmptyTooLongAndSeparators() {
        assertFalse(Ids.isValid(null));
        assertFalse(Ids.isValid(""));
        assertFalse(Ids.isValid("a".repeat(65)));
        for (String bad : new String[] {"a/b", "a#b", "a:b", "a b", "é", "a\n", "*"}) {
            assertFalse(Ids.isValid(bad), bad);
        }
    }
}
