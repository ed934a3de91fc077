package dev.switchboard.edge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    private static String key(String address) throws Exception {
        return ClientAddress.key(InetAddress.getByName(address));
    }

    @Test
    void anIpv4AddressIsItsOwnKey() throws Exception {
        assertEquals("203.0.113.7", key("203.0.113.7"));
        assertNotEquals(key("203.0.113.7"), key("203.0.113.8"));
        assertEquals("203.0.113.7", key("::ffff:203.0.113.7"), "an IPv4-mapped address is the IPv4 client it maps");
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 203, 0, 113, 7};
        assertEquals("203.0.113.7", ClientAddress.key(java.net.Inet6Address.getByAddress(null, mapped, -1)),
                "also when it comes as an Inet6Address (a dual-stack socket's peer)");
    }

    @Test
    void ipv6AddressesOfOnePrefixShareOneKey() throws Exception {
        assertEquals("2001:db8:1:2:0:0:0:0/64", key("2001:db8:1:2::1"));
        assertEquals(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff:ffff:ffff:fffe"), "one /64, any interface id");
        assertNotEquals(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"), "the next /64 is another client");
        assertEquals("0:0:0:0:0:0:0:0/64", key("::1"));
        assertEquals(key("fe80::1%1"), key("fe80::2"), "the scope is not part of the key");
    }

    @Test
    void anAddressWithoutAnIpIsItsText() {
        assertEquals(InetSocketAddress.createUnresolved("example.com", 80).toString(),
                ClientAddress.key(InetSocketAddress.createUnresolved("example.com", 80)));
        assertEquals("null", ClientAddress.key((java.net.SocketAddress) null));
    }

    @Test
    void aRateLimitPerIpv6PrefixCannotBeSidesteppedWithFreshAddresses() throws Exception {
        ConnectRateLimiter limiter = new ConnectRateLimiter(3);
        int accepted = 0;
        long started = System.nanoTime();
        for (int i = 1; i <= 50; i++) {
            if (limiter.tryAcquire(key("2001:db8:1:2::" + Integer.toHexString(i)))) {
                accepted++;
            }
        }
        // The bucket holds 3 and refills 3/s: a slower loop only lets more through (not a timing assertion).
        int allowed = 3 + (int) Math.ceil(3 * (System.nanoTime() - started) / 1e9);
        assertTrue(accepted <= allowed, "fifty addresses of one /64 share one bucket: " + accepted + " accepted");
        assertEquals(1, limiter.size(), "one entry for the prefix, not one per address");
    }
}
