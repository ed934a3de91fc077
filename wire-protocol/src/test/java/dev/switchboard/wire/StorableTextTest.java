package dev.switchboard.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StorableTextTest {

    @Test
    void refusesNulAndLoneSurrogatesAnywhere() {
        assertTrue(StorableText.problem("text", "x\u0000y").contains("U+0000"));
        assertTrue(StorableText.problem("name", "x\uD800y").startsWith("name contains a lone surrogate U+D800 at index 1"));
        assertNotNull(StorableText.problem("text", "\uDC00"));
        assertNotNull(StorableText.problem("text", "end\uD83D"));
        assertNotNull(StorableText.problem("text", "\uDE00\uD83D"), "a pair in the wrong order is two lone surrogates");
    }

    @Test
    void keepsEverythingElseIncludingAstralCharacters() {
        assertNull(StorableText.problem("text", null));
        assertNull(StorableText.problem("text", ""));
        assertNull(StorableText.problem("text", "émoji 🎉 👩🏽‍💻 \uD83D\uDE00 \u0001 \uFFFE \uFEFF \u2028"));
    }

    @Test
    void storableIsExactlyWhatRoundTripsThroughUtf8WithoutNul() {
        Random random = new Random(15);
        for (int i = 0; i < 20_000; i++) {
            char[] chars = new char[1 + random.nextInt(6)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = (char) switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(0x80);
                    case 1 -> 0xD800 + random.nextInt(0x800);
                    default -> random.nextInt(0x10000);
                };
            }
            String s = new String(chars);
            boolean roundTrips = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
            assertEquals(roundTrips && s.indexOf('\0') < 0, StorableText.isStorable(s), s.chars().mapToObj(Integer::toHexString).toList().toString());
        }
        assertFalse(StorableText.isStorable("\0"));
    }
}
