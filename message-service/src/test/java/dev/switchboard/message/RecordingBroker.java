package dev.switchboard.message;

import dev.switchboard.bridge.BrokerHandler;
import dev.switchboard.bridge.memory.MemoryBroker;
import dev.switchboard.wire.proto.ServerFrame;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A real {@link MemoryBroker} whose handler records what reaches subscribed channels, in arrival order. */
public final class RecordingBroker implements BrokerHandler, AutoCloseable {
    /** One delivered message. */
    public record Delivery(String channel, byte[] bytes) {
        public ServerFrame frame() {
            try {
                return ServerFrame.parseFrom(bytes);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError("not a ServerFrame on " + channel, e);
            }
        }
    }

    private final MemoryBroker broker = new MemoryBroker();
    private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();

    public RecordingBroker() {
        broker.setHandler(this);
    }

    public MemoryBroker broker() {
        return broker;
    }

    public void subscribe(String channel) {
        broker.subscribe(channel).join();
    }

    @Override
    public void onMessage(String channel, byte[] message) {
        deliveries.add(new Delivery(channel, message));
    }

    public List<Delivery> on(String channel) {
        return deliveries.stream().filter(d -> d.channel().equals(channel)).toList();
    }

    public List<Delivery> all() {
        return List.copyOf(deliveries);
    }

    @Override
    public void close() {
        broker.close();
    }
}
