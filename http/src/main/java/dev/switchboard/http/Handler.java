package dev.switchboard.http;

/**
 * Answers one request of a route. It runs on the event loop and must not block:
 * it answers at once or hands the work elsewhere and answers later, from any
 * thread, through the exchange. An exception it throws is answered like
 * {@link HttpExchange#fail}.
 */
@FunctionalInterface
public interface Handler {
    void handle(HttpExchange exchange) throws Exception;
}
