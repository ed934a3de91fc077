package dev.switchboard.loadgen.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.loadgen.LoadgenOptions;
import dev.switchboard.loadgen.metrics.ErrorKind;
import dev.switchboard.loadgen.metrics.PacedTask;
import dev.switchboard.loadgen.metrics.RatePacer;
import dev.switchboard.loadgen.net.LoadConnection;
import dev.switchboard.loadgen.protocol.SwitchboardProtocol;
import dev.switchboard.loadgen.protocol.WallClock;
import dev.switchboard.loadgen.scenario.Results.Merge;
import dev.switchboard.wire.ChannelNames;
import dev.switchboard.wire.FrameCodec;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.Publish;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code chat}: N users, each a member of about {@code --memberships} group
 * channels of {@code --group-size} members, created through the
 * message-service before the run. Users connect; the edge subscribes each
 * session to its memberships (listed in {@code ConnectResult.channels}).
 * Messages of realistic sizes ({@link ChatText}) go through the real send
 * path, a WebSocket {@code publish} on {@code <org>/chat/<id>} that the edge
 * relays to the message-service (persist, then deliver), at the offered rate.
 * Latency runs from the intended send time to each member's delivery.
 */
public final class ChatScenario implements Scenario {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void atBarrier(String phase, Coordinator c) {
        if (!phase.equals("setup")) {
            return;
        }
        LoadgenOptions o = c.options();
        TokenIssuer tokens = new TokenIssuer(o.jwtSecret());
        int users = o.connections();
        int channels = channelCount(o);
        try (ChatDirectory dir = new ChatDirectory(o.chatApiUrl(), o.apiKey(),
                i -> tokens.issue(SwitchboardProtocol.user(i), o.org(), Duration.ofHours(1)))) {
            for (int i = 0; i < users; i++) {
                dir.createUser(o.org(), SwitchboardProtocol.user(i));
            }
            for (int j = 0; j < channels; j++) {
                dir.createGroup("load-" + j, members(j, o.groupSize(), users), SwitchboardProtocol::user);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("chat setup through the message-service at " + o.chatApiUrl() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during chat setup", e);
        }
        c.results().put("chat_channels", Merge.MAX, channels);
    }

    /** Channels so that each user is in about {@code memberships} of them. */
    static int channelCount(LoadgenOptions o) {
        return (int) Math.max(1, ((long) o.connections() * o.memberships() + o.groupSize() - 1) / o.groupSize());
    }

    /** The members of group {@code j}: a contiguous block of user indices, wrapping around. */
    static List<Integer> members(int j, int groupSize, int users) {
        List<Integer> m = new ArrayList<>(groupSize);
        for (int k = 0; k < groupSize; k++) {
            m.add((int) (((long) j * groupSize + k) % users));
        }
        return m;
    }

    @Override
    public void run(ScenarioContext ctx) throws Exception {
        LoadgenOptions o = ctx.options();
        Slice slice = ctx.slice();
        ConnectionSet users = new ConnectionSet(slice.from(o.connections()), slice.to(o.connections()), null);
        ctx.barrier("setup");
        users.open(ctx.dialer(), ctx.resources().group().next(), slice.share(o.rampRate()));
        ctx.await("users", users::settled, ctx.rampWait(users.size()));
        List<LoadConnection> senders = users.readyConnections().stream()
                .filter(c -> !chatChannels(c).isEmpty()).toList();
        ctx.results().put("users_connected", Merge.SUM, users.ready());
        ctx.results().put("users_with_channels", Merge.SUM, senders.size());
        ctx.barrier("connected");
        if (senders.isEmpty()) {
            throw new IllegalStateException("no connected user has chat channels: did the setup reach the message-service?");
        }
        long startNanos = System.nanoTime() + 10_000_000;
        WallClock wall = WallClock.anchored();
        ctx.stats().recordFrom(wall.toWallMicros(startNanos + o.warmup().toNanos()));
        SteadyWindow steady = SteadyWindow.schedule(ctx.resources().group().next(), ctx.stats(),
                startNanos + o.warmup().toNanos(), startNanos + o.warmup().toNanos() + o.duration().toNanos());
        double rate = slice.share(o.rate());
        long total = RatePacer.count(rate, (o.warmup().toNanos() + o.duration().toNanos()) / 1e9);
        SplittableRandom random = new SplittableRandom(slice.index());
        PacedTask task = PacedTask.start(ctx.resources().group().next(), new RatePacer(startNanos, rate, total),
                (k, intended) -> send(ctx, senders.get((int) (k % senders.size())), k, slice,
                        wall.toWallMicros(intended), ChatText.sampleLength(random)), 10_000);
        if (!task.done().await(o.warmup().toMillis() + o.duration().toMillis() + 30_000)) {
            task.cancel();
        }
        ctx.drain(o.drain(), total * o.groupSize());
        ctx.results().put("expected_deliveries", Merge.SUM, (double) total * o.groupSize());
        steady.report(ctx.results());
        ctx.barrier("drained");
        users.closeAll();
        ctx.await("close", () -> users.closed() >= users.size(), Duration.ofSeconds(10));
    }

    /** The user's chat channels among those subscribed at connect (the personal channel is not one to write to). */
    private static List<String> chatChannels(LoadConnection c) {
        return c.serverChannels().stream().filter(ChannelNames::isChat).toList();
    }

    private static void send(ScenarioContext ctx, LoadConnection user, long k, Slice slice, long micros, int length) {
        Channel ch = user.channel();
        if (!user.isReady()) {
            ctx.stats().error(ErrorKind.SEND, "sender disconnected");
            return;
        }
        if (!ch.isWritable()) {
            ctx.stats().error(ErrorKind.SEND, "sender socket not writable (the server reads too slowly)");
            return;
        }
        List<String> channels = chatChannels(user);
        String channel = channels.get((int) ((k / Math.max(1, slice.count())) % channels.size()));
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(JSON.createObjectNode().put("text", ChatText.text(micros, length)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ClientFrame f = ClientFrame.newBuilder().setPublish(Publish.newBuilder().setChannel(channel)
                .setPayload(ByteString.copyFrom(payload))
                .setClientMsgId("lg-" + slice.index() + "-" + k)).build();
        ch.writeAndFlush(new BinaryWebSocketFrame(FrameCodec.encode(ch.alloc(), f)), ch.voidPromise());
        ctx.stats().sent();
    }
}
