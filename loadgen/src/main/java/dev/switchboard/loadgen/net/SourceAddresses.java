package dev.switchboard.loadgen.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code --source-addresses}: a comma-separated list of loopback IPv4
 * addresses and ranges, e.g. {@code 127.0.0.2-127.0.0.9,127.0.1.1}. Each
 * source address gives the kernel another ~28k ephemeral ports towards one
 * server port, which is how one machine opens more than 64k connections to it.
 */
public final class SourceAddresses {
    /** A range longer than this is a typo. */
    public static final int MAX_ADDRESSES = 4096;

    private SourceAddresses() {
    }

    public static List<InetAddress> parse(String spec) {
        List<InetAddress> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String part : spec.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            if (dash < 0) {
                out.add(loopback(p));
                continue;
            }
            long from = toLong(loopback(p.substring(0, dash).trim()));
            long to = toLong(loopback(p.substring(dash + 1).trim()));
            if (to < from) {
                throw new IllegalArgumentException("range runs backwards: " + p);
            }
            if (to - from + 1 + out.size() > MAX_ADDRESSES) {
                throw new IllegalArgumentException("more than " + MAX_ADDRESSES + " source addresses: " + spec);
            }
            for (long a = from; a <= to; a++) {
                out.add(fromLong(a));
            }
        }
        return out;
    }

    private static InetAddress loopback(String literal) {
        if (!literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("not an IPv4 address literal: " + literal);
        }
        try {
            InetAddress a = InetAddress.getByName(literal);
            if (!(a instanceof Inet4Address) || !a.isLoopbackAddress()) {
                throw new IllegalArgumentException("source addresses must be in 127.0.0.0/8: " + literal);
            }
            return a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address: " + literal, e);
        }
    }

    private static long toLong(InetAddress a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }

    private static InetAddress fromLong(long v) {
        byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
