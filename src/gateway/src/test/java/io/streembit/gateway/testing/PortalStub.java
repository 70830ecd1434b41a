package io.streembit.gateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 (random port) standing in for a legacy REST portal: it records
 * every request and answers 200, unless told to fail or to be slow.
 *
 * <p>Why a real server and not a mock: the gateway's REST sink must be tested through its actual
 * HTTP client, timeouts, retries and connection handling.
 *
 * <p>Fault modes can be changed at any time, from any thread, while the gateway is sending:
 * <ul>
 *   <li>{@link #failNext(int, int)}: the next n requests get that status (then back to normal);</li>
 *   <li>{@link #failAll(int)}: every request gets that status until {@link #healthy()};</li>
 *   <li>{@link #delay(Duration)}: sleep that long before answering, to make clients time out.</li>
 * </ul>
 * {@code failNext} wins over {@code failAll}. The status of a request is decided when it arrives
 * (so {@code failNext(2, ...)} hits exactly the next two arrivals even when answers are delayed);
 * the delay then applies to every answer, failures included.
 *
 * <p>{@link #received()} lists every request as it arrives; {@link #accepted()} lists the bodies of
 * requests the stub answers 2xx, added when the answer is due (after any delay). A request the client gave up on (timeout)
 * but which the stub then answered 2xx still counts as accepted: that is what a real portal would
 * have stored, and exactly how duplicates arise after a client-side timeout and retry.
 *
 * <p>Requests are handled on a cached thread pool, so a delayed answer does not hold up others.
 */
public final class PortalStub implements AutoCloseable {

    /** One request as the stub saw it. {@code headers} keys are case-insensitive. */
    public record Request(
            String method,
            String path,
            String query,
            Map<String, List<String>> headers,
            String body,
            Instant time,
            int status) {

        /** First value of a header (case-insensitive name), or null. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final Object faultLock = new Object();
    private int failNextCount;
    private int failNextStatus;
    private int failAllStatus; // 0 = healthy
    private volatile Duration delay = Duration.ZERO;

    /** Starts a stub on a free 127.0.0.1 port. */
    public PortalStub() {
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "portal-stub-" + threads.incrementAndGet());
            t.setDaemon(true); // never keep the test JVM alive
            return t;
        };
        executor = Executors.newCachedThreadPool(factory);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int status = nextStatus();
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
            received.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(),
                    Collections.unmodifiableMap(headers),
                    body,
                    Instant.now(),
                    status));

            Duration d = delay;
            if (!d.isZero() && !d.isNegative()) {
                try {
                    Thread.sleep(d.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return; // stub is closing: drop the exchange
                }
            }
            // Recorded before writing the answer, as a real portal stores before it replies: a
            // client that already hung up (timeout) must not make this depend on a socket race.
            if (status >= 200 && status < 300) {
                accepted.add(body);
            }
            exchange.sendResponseHeaders(status, -1); // -1: no body
        }
    }

    private int nextStatus() {
        synchronized (faultLock) {
            if (failNextCount > 0) {
                failNextCount--;
                return failNextStatus;
            }
            return failAllStatus != 0 ? failAllStatus : 200;
        }
    }

    /** Answer {@code status} to the next {@code n} requests, then behave as before. */
    public void failNext(int n, int status) {
        synchronized (faultLock) {
            failNextCount = n;
            failNextStatus = status;
        }
    }

    /** Answer {@code status} to every request until {@link #healthy()}. */
    public void failAll(int status) {
        synchronized (faultLock) {
            failAllStatus = status;
        }
    }

    /** Back to normal: no pending failures, no failAll, no delay. */
    public void healthy() {
        synchronized (faultLock) {
            failNextCount = 0;
            failAllStatus = 0;
        }
        delay = Duration.ZERO;
    }

    /** Sleep this long before every answer ({@link Duration#ZERO} to stop). */
    public void delay(Duration delay) {
        this.delay = delay == null ? Duration.ZERO : delay;
    }

    /** Every request received so far, in arrival order (snapshot). */
    public List<Request> received() {
        return List.copyOf(received);
    }

    /** Bodies of the requests answered 2xx so far, in answer order (snapshot). */
    public List<String> accepted() {
        return List.copyOf(accepted);
    }

    /** Forgets the recorded requests (fault modes are kept). */
    public void clear() {
        received.clear();
        accepted.clear();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT} + path (a leading '/' is added if missing). */
    public String url(String path) {
        String p = path == null || path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
        return "http://127.0.0.1:" + port() + p;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow(); // interrupts delayed answers
    }
}
