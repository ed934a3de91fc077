package dev.switchboard.edge.pipeline;

import io.netty.channel.Channel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Who a connection's per-address limits count it against ({@code --max-connections-per-ip},
 * {@code --connect-rate-per-ip}): an IPv4 address as it is, an IPv6 address by its /64
 * prefix. One IPv6 subscriber, host or cloud instance is given a /64 (RFC 6177, RFC 7934) and
 * picks addresses in it freely, so a limit per full IPv6 address would let one client take a
 * fresh address for every connection: it would pass any per-address limit and grow the
 * limiter's tables by one entry per connection. Counting the /64 is what rate limiters of
 * IPv6 traffic commonly do; it is one entry per prefix however many addresses are used in it.
 */
public final class ClientAddress {
    /** The bits of an IPv6 address one client is assumed to control. */
    public static final int IPV6_PREFIX_BITS = 64;

    private ClientAddress() {
    }

    /** The key of the connection's peer (a proxy in front of the edge would need the PROXY protocol to pass the client's). */
    public static String key(Channel ch) {
        return key(ch.remoteAddress());
    }

    static String key(SocketAddress remote) {
        if (remote instanceof InetSocketAddress a && a.getAddress() != null) {
            return key(a.getAddress());
        }
        return String.valueOf(remote);
    }

    /**
     * An IPv4 address's text; an IPv6 address's /64 prefix, as {@code 2001:db8:0:1:0:0:0:0/64}. An IPv4 client of a
     * dual-stack socket may come as an IPv4-mapped IPv6 address ({@code ::ffff:203.0.113.7}): it is the IPv4
     * address (its /64 would be every IPv4 client at once).
     */
    static String key(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        if (isIpv4Mapped(bytes)) {
            return (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
        }
        byte[] prefix = Arrays.copyOf(bytes, 16);
        Arrays.fill(prefix, IPV6_PREFIX_BITS / 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(prefix).getHostAddress() + "/" + IPV6_PREFIX_BITS;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e); // getByAddress fails only on a bad length
        }
    }

    private static boolean isIpv4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }
}
