package io.streembit.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streembit.protocol.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The portal's side of results: an HTTP server on 127.0.0.1 (the JDK's) that the gateway's
 * command-callback route POSTs each result message to ({@code callbackUrl} of every command). The
 * arrival time is stamped on the command ({@link CommandTimes.Stamps#callback}), then 204.
 * A second POST for a command (the outbox sends at least once) counts as a repeat only.
 */
final class CallbackReceiver implements AutoCloseable {
    private static final String PATH = "/results";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "bench-callbacks");
        t.setDaemon(true);
        return t;
    });
    private final CommandTimes times;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();

    CallbackReceiver(CommandTimes times) throws IOException {
        this.times = times;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext(PATH, this::handle);
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long at = WallClock.micros();
        try (InputStream in = exchange.getRequestBody()) {
            JsonNode message = Json.MAPPER.readTree(in.readAllBytes());
            String id = message.path("commandId").asText(null);
            if (id == null) {
                unreadable.incrementAndGet();
            } else {
                CommandTimes.Stamps stamps = times.of(id);
                synchronized (stamps) {
                    if (stamps.callback == 0) {
                        stamps.callback = at;
                        stamps.callbackStatus = message.path("status").asText("?");
                        received.incrementAndGet();
                    } else {
                        repeats.incrementAndGet();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            unreadable.incrementAndGet();
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    /** Distinct commands whose result arrived. */
    long received() {
        return received.get();
    }

    long repeats() {
        return repeats.get();
    }

    long unreadable() {
        return unreadable.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
