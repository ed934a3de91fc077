package dev.switchboard.app;

import dev.switchboard.message.ChatService;
import dev.switchboard.message.NewUser;
import dev.switchboard.message.UserRef;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The demo organisation of dev mode: alice and bob in #general. Idempotent across restarts. */
public final class DemoData {
    private DemoData() {
    }

    /** What was seeded: the realtime name of #general. */
    public record Seeded(String generalChannel) {
    }

    public static CompletableFuture<Seeded> seed(ChatService chat) {
        UserRef alice = new UserRef("demo", "alice");
        return ensureUser(chat, "alice", "Alice").thenCompose(v -> ensureUser(chat, "bob", "Bob"))
                .thenCompose(v -> chat.memberships(alice))
                .thenCompose(list -> list.stream().filter(s -> "general".equals(s.channel().name())).findFirst()
                        .map(s -> CompletableFuture.completedFuture(new Seeded(s.channel().realtimeName())))
                        .orElseGet(() -> chat.createGroup(alice, "general", List.of("alice", "bob"))
                                .thenApply(d -> new Seeded(d.channel().realtimeName()))));
    }

    private static CompletableFuture<Void> ensureUser(ChatService chat, String id, String name) {
        return chat.user("demo", id).thenCompose(u -> u.isPresent()
                ? CompletableFuture.completedFuture(null)
                : chat.createUser(new NewUser("demo", id, name, id + "@demo.example", id)).thenApply(x -> null));
    }
}
