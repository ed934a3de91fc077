package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class MainDefaultsTest {
    @Test
    void nettyAndLettuceGetTheLaunchersDefaultsUnlessTheCommandLineSaidOtherwise() {
        Properties none = new Properties();
        Main.libraryDefaults(none);
        assertEquals("false", none.getProperty("io.netty.jfr.enabled"));
        assertEquals("7", none.getProperty("io.netty.allocator.maxOrder"));
        assertEquals("false", none.getProperty("io.lettuce.core.jfr"));

        Properties given = new Properties();
        given.setProperty("io.netty.jfr.enabled", "true");
        given.setProperty("io.netty.allocator.maxOrder", "9");
        given.setProperty("io.lettuce.core.jfr", "true");
        Main.libraryDefaults(given);
        assertEquals("true", given.getProperty("io.netty.jfr.enabled"));
        assertEquals("9", given.getProperty("io.netty.allocator.maxOrder"));
        assertEquals("true", given.getProperty("io.lettuce.core.jfr"));
    }
}
