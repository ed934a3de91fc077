package dev.switchboard.client;

import dev.switchboard.wire.ChannelNames;
import dev.switchboard.wire.chat.ChatMessage;
import dev.switchboard.wire.chat.MessageState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A chat channel's messages as this client knows them, kept from the channel's log
 * (ADR 0013): every publication (live, replayed after a reconnect, or from a history
 * page) carries a message as it was after that log entry, and the copy from the
 * newest entry wins. Applying the log in any order of pages, with repeats, converges
 * to what a fresh history load shows. Thread-safe.
 *
 * <p>A reply's entry also says how its thread's root looks now ({@code parent_thread}):
 * that goes to the root's copy, so replies are kept without it.
 *
 * <p>Feed it from {@link ClientListener#onPublication} and history pages; read
 * {@link #messages()}, {@link #unreadCount} and {@link #mentionCount}.
 */
public final class ChatChannelState {
    private final String channel;
    private final long channelId;
    private final String me;
    /** By the message's own sequence: the newest copy of each message. */
    private final TreeMap<Long, ChatMessage> bySeq = new TreeMap<>();
    private final Map<Long, Long> seqOfId = new HashMap<>();
    private final Map<Long, Long> entryOfId = new HashMap<>();
    /** A root's thread summary comes from its replies' entries too: the sequence it was last set at. */
    private final Map<Long, Long> threadOfId = new HashMap<>();
    private long lastSeq;

    /** The state of {@code channel} ({@code <org>/chat/<id>}) as seen by user {@code me}. */
    public ChatChannelState(String channel, String me) {
        this.channel = channel;
        this.channelId = ChannelNames.chatId(channel);
        this.me = me;
    }

    /** Applies a publication of this channel (others are ignored); returns the message it carried, or null. */
    public synchronized ChatMessage apply(Publication p) {
        if (!p.channel().equals(channel)) {
            return null;
        }
        ChatMessage m = ChatMessage.fromPublication(dev.switchboard.wire.proto.Publication.newBuilder()
                .setPayload(com.google.protobuf.ByteString.copyFrom(p.payload())).build(), channelId);
        lastSeq = Math.max(lastSeq, p.seq());
        if (m.state().parentId() != 0 && m.state().parentThread() != null) {
            updateThread(m.state().parentId(), m.state().parentThread(), p.seq());
        }
        Long known = entryOfId.get(m.id());
        if (known != null && known >= p.seq()) {
            return m; // an older (or the same) entry: the copy we have is newer
        }
        entryOfId.put(m.id(), p.seq());
        seqOfId.put(m.id(), m.seq());
        // A reply's parent_thread is news about its root (applied above), not part of the reply.
        MessageState state = withThread(m.state(), m.state().thread(), null);
        Long threadSeq = threadOfId.get(m.id());
        ChatMessage previous = bySeq.get(m.seq());
        if (threadSeq != null && threadSeq > p.seq() && previous != null) {
            state = withThread(state, previous.state().thread(), null); // a newer reply said more about the thread
        }
        // Stored without the event: the state is the message's; the event only said why it changed.
        bySeq.put(m.seq(), new ChatMessage(m.id(), m.channelId(), m.seq(), m.sender(), m.text(), m.attachmentsJson(),
                null, m.createdAt(), state, null));
        return m;
    }

    private void updateThread(long rootId, dev.switchboard.wire.chat.ThreadSummary thread, long entrySeq) {
        Long rootSeq = seqOfId.get(rootId);
        if (rootSeq == null) {
            return; // a root this client has not loaded
        }
        long newest = Math.max(entryOfId.getOrDefault(rootId, 0L), threadOfId.getOrDefault(rootId, 0L));
        if (entrySeq <= newest) {
            return;
        }
        threadOfId.put(rootId, entrySeq);
        ChatMessage r = bySeq.get(rootSeq);
        bySeq.put(rootSeq, new ChatMessage(r.id(), r.channelId(), r.seq(), r.sender(), r.text(), r.attachmentsJson(),
                null, r.createdAt(), withThread(r.state(), thread, r.state().parentThread()), null));
    }

    private static MessageState withThread(MessageState s, dev.switchboard.wire.chat.ThreadSummary thread,
                                           dev.switchboard.wire.chat.ThreadSummary parentThread) {
        MessageState out = new MessageState(s.editedAt(), s.deletedAt(), s.reactions(), s.parentId(), s.alsoToChannel(),
                thread, parentThread, s.mentions());
        return out.equals(MessageState.NONE) ? MessageState.NONE : out;
    }

    /** Every message known, by sequence (thread replies included), each in its newest state. */
    public synchronized List<ChatMessage> messages() {
        return new ArrayList<>(bySeq.values());
    }

    /** The newest log sequence applied. */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    /**
     * New messages after {@code lastReadSeq} that count as unread, by the server's rule: not mine, not
     * deleted, not replies kept in their thread; edits and reactions never count.
     */
    public synchronized long unreadCount(long lastReadSeq) {
        return bySeq.tailMap(lastReadSeq, false).values().stream().filter(m -> !m.sender().equals(me))
                .filter(m -> !m.state().deleted()).filter(ChatChannelState::inChannel).count();
    }

    /** Messages after {@code lastReadSeq} that mention me (a deleted message mentions nobody). */
    public synchronized long mentionCount(long lastReadSeq) {
        return bySeq.tailMap(lastReadSeq, false).values().stream()
                .filter(m -> m.state().mentions().contains(me)).count();
    }

    private static boolean inChannel(ChatMessage m) {
        MessageState s = m.state();
        return s.parentId() == 0 || s.alsoToChannel();
    }
}
