package dev.switchboard.message;

import dev.switchboard.bridge.Broker;
import dev.switchboard.message.store.Database;
import dev.switchboard.message.store.DatabaseOptions;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The stateful part of the message-service: the database pool and the chat
 * service's workers. Standalone, {@link MessageServer} owns one; in dev mode the
 * edge opens one and puts a {@code ChatHttpHandler} over {@link #chat()} in its
 * own pipeline. The broker and the registry stay the caller's.
 */
public final class MessageServiceResources implements AutoCloseable {
    private final Database database;
    private final ChatService chat;

    private MessageServiceResources(Database database, ChatService chat) {
        this.database = database;
        this.chat = chat;
    }

    /** Connects and migrates the database (failing fast if it is down), then starts the workers. */
    public static MessageServiceResources open(DatabaseOptions db, ChatServiceOptions chat, Broker broker,
                                               MeterRegistry registry) {
        Database database = Database.open(db, registry);
        try {
            return new MessageServiceResources(database, new ChatService(database, broker, chat, registry));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public ChatService chat() {
        return chat;
    }

    public Database database() {
        return database;
    }

    /** Stops the workers (letting accepted calls finish), then closes the pool. */
    @Override
    public void close() {
        try {
            chat.close();
        } finally {
            database.close();
        }
    }
}
