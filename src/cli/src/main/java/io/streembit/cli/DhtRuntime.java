package io.streembit.cli;

import io.streembit.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What `node` and `dht` share: a quiet Vert.x of their own, seed addresses, waiting on a future. */
final class DhtRuntime {
    /** HOST:PORT, or [IPv6]:PORT. */
    private static final Pattern SEED = Pattern.compile("(?:\\[([0-9A-Fa-f:.%]+)]|([A-Za-z0-9._-]+)):(\\d{1,5})");
    /**
     * Vert.x and Netty log through java.util.logging when nothing else is on the class path;
     * their INFO lines mean nothing to an operator. Held strongly: JUL keeps loggers weakly,
     * and a collected logger forgets its level.
     */
    private static final List<Logger> QUIETED = new ArrayList<>();

    private DhtRuntime() {
    }

    /**
     * A Vert.x instance for one node. One event loop is enough: a node keeps all its state on
     * one context. No file cache (Vert.x would otherwise create a directory under /tmp), and a
     * long blocked-thread interval, since the first secp256k1 operations on a cold JVM (C1
     * only, a busy machine) can take a while without anything being wrong.
     */
    static Vertx vertx() {
        return vertx(1, 2);
    }

    /**
     * The same, sized for many nodes in one process (a simulated fleet): {@code eventLoops}
     * loops to spread them over, {@code workers} threads for their blocking work.
     */
    static Vertx vertx(int eventLoops, int workers) {
        quietLogging();
        return Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(eventLoops)
                .setWorkerPoolSize(workers)
                .setInternalBlockingPoolSize(Math.min(workers, 2))
                .setBlockedThreadCheckInterval(60_000)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
    }

    static synchronized void quietLogging() {
        if (QUIETED.isEmpty()) {
            for (String name : List.of("io.vertx", "io.netty")) {
                Logger logger = Logger.getLogger(name);
                logger.setLevel(Level.WARNING);
                QUIETED.add(logger);
            }
        }
    }

    /** Closes {@code vertx}, waiting at most {@code timeout}; never fails (used on the way out). */
    static void close(Vertx vertx, Duration timeout) {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Leaving anyway: the process is about to exit and the OS closes what is left.
        }
    }

    /**
     * Waits for {@code future}; a protocol error keeps its code, anything else becomes one line
     * saying what failed ({@code what}).
     */
    static <T> T await(Future<T> future, Duration timeout, String what) throws ProtocolException, CliException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(what + ": interrupted");
        } catch (TimeoutException e) {
            throw new CliException(what + ": no answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ProtocolException pe) {
                throw pe;
            }
            String message = cause.getMessage();
            throw new CliException(what + ": " + (message == null ? cause.getClass().getSimpleName() : message));
        }
    }

    /** Checks HOST:PORT arguments and returns them as DhtNode.bootstrap takes them ("host:port"). */
    static List<String> seeds(List<String> arguments) throws CliException {
        List<String> seeds = new ArrayList<>();
        for (String argument : arguments) {
            Matcher m = SEED.matcher(argument);
            int port = m.matches() ? Integer.parseInt(m.group(3)) : 0;
            if (port < 1 || port > 65535) {
                throw new CliException("--seed must be HOST:PORT (or [IPv6]:PORT) with a port from 1 to 65535, not '"
                        + printable(argument) + "'");
            }
            seeds.add((m.group(1) != null ? m.group(1) : m.group(2)) + ":" + port);
        }
        return seeds;
    }

    private static String printable(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
