package dev.switchboard.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.NoBlockingOnEventLoops;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The blocking detector that guards the integration tests really detects blocking on an event loop. */
@ExtendWith(NoBlockingOnEventLoops.class)
class NoBlockingOnEventLoopsTest {
    @Test
    void sleepingOnAnEventLoopIsCaught() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> group.submit(() -> {
                        Thread.sleep(1); // the blocking call the detector must catch
                        return null;
                    }).get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause().getClass().getName().contains("BlockingOperationError"), e.getCause().toString());
            assertEquals(1, NoBlockingOnEventLoops.drain().size());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
