package dev.switchboard.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer while it ran. Registered
 * for every test through JUnit's extension auto-detection (see the surefire and
 * failsafe configuration in the root pom), with paranoid leak detection on.
 *
 * <p>Netty reports a leak when a later allocation finds a collected, unreleased
 * buffer, so the check collects garbage and allocates a few times first.
 */
public final class LeakGuardExtension implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20); // gives the collector's reference processing a moment: there is no signal to wait for
            allocateAndRelease();
        }
        List<String> leaks = LeakRecorder.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " buffer leak(s) reported by Netty:\n" + String.join("\n\n", leaks));
        }
    }

    private static void allocateAndRelease() {
        for (int i = 0; i < 8; i++) {
            ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(16);
            a.release();
            ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
            b.release();
        }
    }
}
