package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.PresenceChange;
import dev.switchboard.wire.proto.PresenceChanges;
import dev.switchboard.wire.proto.ReadReceipt;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.Subscribed;
import dev.switchboard.wire.proto.TypingEvent;
import dev.switchboard.wire.proto.Unsubscribed;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Channel events and listeners (S12, S16): a channel added or removed by the server, pushes as typed events,
 * a listener that calls the client (even closes it) or throws. */
class EventScenariosTest extends ScenarioFixture {
    @Test
    void s12_tracksAChannelItIsAddedToAndForgetsOneItIsRemovedFrom() {
        Heard h = client();
        join(h.client.connect());
        edge.commit("acme/chat/9", "before I joined");
        edge.current().subscribed.add("acme/chat/9");
        edge.current().deliver(ServerFrame.newBuilder().setSubscribed(Subscribed.newBuilder().setChannel("acme/chat/9").setLastSeq(1)).build());
        edge.commit("acme/chat/9", "after");
        until(() -> h.got.size() == 1);
        assertEquals(2, h.got.get(0).seq());
        edge.current().deliver(ServerFrame.newBuilder().setUnsubscribed(Unsubscribed.newBuilder().setChannel("acme/chat/9").setCode(103)).build());
        until(() -> h.events.size() == 2);
        assertEquals(List.of(new ChannelEvent.Subscribed("acme/chat/9", 1), new ChannelEvent.Unsubscribed("acme/chat/9", 103)), h.events);
        assertEquals(java.util.Map.of(), h.client.positions());
    }

    @Test
    void s16_turnsPushesIntoTypedEvents() {
        edge.memberOf.add(CH);
        Heard h = client();
        join(h.client.connect());
        edge.current().deliver(
                ServerFrame.newBuilder().setPresenceChanges(PresenceChanges.newBuilder().setChannel(CH)
                        .addChanges(PresenceChange.newBuilder().setUserId("bob").setOnline(true))).build(),
                ServerFrame.newBuilder().setTypingEvent(TypingEvent.newBuilder().setChannel(CH).setUserId("bob")).build(),
                ServerFrame.newBuilder().setReadReceipt(ReadReceipt.newBuilder().setChannel(CH).setUserId("bob").setSeq(4)).build());
        until(() -> h.events.size() == 3);
        assertEquals(List.of(new ChannelEvent.Presence(CH, List.of(new ChannelEvent.Presence.Change("bob", true))),
                new ChannelEvent.Typing(CH, "bob"), new ChannelEvent.ReadReceipt(CH, "bob", 4)), h.events);
        assertEquals(List.of("alice", "bob"), join(h.client.presence(CH)));
        assertEquals(4L, join(h.client.markRead(CH, 4)));
        h.client.typing(CH);
        until(() -> !edge.current().commands(ClientFrame.CommandCase.TYPING).isEmpty());
        assertEquals(0, edge.current().commands(ClientFrame.CommandCase.TYPING).get(0).getId());
    }

    @Test
    void aListenerMayCallTheClientEvenCloseIt() {
        edge.memberOf.add(CH);
        List<Object> seen = new CopyOnWriteArrayList<>();
        SwitchboardClient[] self = new SwitchboardClient[1];
        self[0] = SwitchboardClient.builder(Endpoint.fixed(edge.url()), TokenProvider.of("t"), resources)
                .listener(new ClientListener() {
                    @Override
                    public void onPublication(Publication p) {
                        seen.add(self[0].positions().get(CH));
                        self[0].close();
                        seen.add(self[0].state());
                    }
                }).options(fast().build()).build();
        clients.add(self[0]);
        join(self[0].connect());
        edge.commit(CH, "one");
        until(() -> seen.size() == 2);
        assertEquals(List.of(1L, ConnectionState.CLOSED), seen);
    }

    @Test
    void s16_keepsGoingWhenAListenerThrows() {
        edge.memberOf.add(CH);
        List<Publication> got = new CopyOnWriteArrayList<>();
        SwitchboardClient c = SwitchboardClient.builder(Endpoint.fixed(edge.url()), TokenProvider.of("t"), resources)
                .listener(new ClientListener() {
                    @Override
                    public void onPublication(Publication p) {
                        got.add(p);
                        throw new IllegalStateException("app bug");
                    }
                }).options(fast().build()).build();
        clients.add(c);
        join(c.connect());
        edge.commit(CH, "one");
        edge.commit(CH, "two");
        until(() -> got.size() == 2);
        assertNotEquals(ConnectionState.CLOSED, c.state());
    }
}
