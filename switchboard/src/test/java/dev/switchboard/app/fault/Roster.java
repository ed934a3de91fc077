package dev.switchboard.app.fault;

import dev.switchboard.app.Fleet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Users {@code u0..u(n-1)} of one organisation and group channels
 * {@code room-0..room-(c-1)}; user {@code i} is a member of channel
 * {@code i % c} only, so each user's expected deliveries are one channel's.
 */
final class Roster {
    final String org;
    final int users;
    final List<Long> channelIds = new ArrayList<>();

    private Roster(String org, int users) {
        this.org = org;
        this.users = users;
    }

    static Roster create(Fleet fleet, String org, int users, int channels) throws Exception {
        Roster r = new Roster(org, users);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                String id = "u" + i;
                created.add(pool.submit(() -> {
                    fleet.createUser(org, id);
                    return null;
                }));
            }
            for (Future<?> f : created) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        for (int c = 0; c < channels; c++) {
            StringBuilder members = new StringBuilder();
            for (int i = c; i < users; i += channels) {
                members.append(members.isEmpty() ? "" : ",").append("\"u").append(i).append('"');
            }
            Fleet.Rest group = fleet.rest("POST", "/v1/channels", fleet.token("u" + c, org),
                    "{\"name\":\"room-" + c + "\",\"type\":\"GROUP\",\"members\":[" + members + "]}");
            if (group.status() != 201) {
                throw new IllegalStateException("create channel " + c + ": " + group);
            }
            r.channelIds.add(group.body().path("channel").path("id").asLong(group.body().path("id").asLong()));
        }
        return r;
    }

    int channelOf(int user) {
        return user % channelIds.size();
    }

    /** The realtime name of channel index {@code c}. */
    String channel(int c) {
        return org + "/chat/" + channelIds.get(c);
    }

    String channelOfUser(int user) {
        return channel(channelOf(user));
    }
}
