package dev.switchboard.edge;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@value #SIZE} disconnects of the node, newest first, for the fleet
 * status page (the counts by code are in {@link EdgeLatencies}). A fixed ring
 * under a short lock: a disconnect is not the hot path, and a mass disconnect
 * (a drain) only overwrites the ring.
 */
public final class RecentDisconnects {
    static final int SIZE = 20;
    private static final int MAX_REASON = 120;

    /** One disconnect: when (epoch ms), who ended it (server, client, lost), the close code, the reason sent. */
    public record Entry(long atMs, String side, int code, String reason) {
    }

    private final Entry[] ring = new Entry[SIZE];
    private int next;
    private long total;

    void add(String side, int code, String reason) {
        String r = reason == null ? "" : reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        Entry e = new Entry(System.currentTimeMillis(), side, code, r);
        synchronized (ring) {
            ring[next] = e;
            next = (next + 1) % SIZE;
            total++;
        }
    }

    /** Newest first. */
    public List<Entry> snapshot() {
        List<Entry> out = new ArrayList<>(SIZE);
        synchronized (ring) {
            for (int i = 1; i <= SIZE; i++) {
                Entry e = ring[(next - i + SIZE) % SIZE];
                if (e != null) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** Disconnects recorded since the node started. */
    public long total() {
        synchronized (ring) {
            return total;
        }
    }
}
