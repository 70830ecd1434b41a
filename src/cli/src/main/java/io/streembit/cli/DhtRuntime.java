package io.streembit.cli;

import io.streembit.dht.HostPort;
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
import java.util.stream.Collectors;

/** What `node` and `dht` share: a quiet Vert.x of their own, seed addresses, waiting on a future. */
final class DhtRuntime {
    /**
     * Vert.x and Netty log through java.util.logging when nothing else is on the class path;
     * their INFO lines mean nothing to an operator. Held strongly: JUL keeps loggers weakly,
     * and a collected logger forgets its level.
     */
    private static final List<Logger> QUIETED = new ArrayList<>();

    private DhtRuntime() {}

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
                .setFileSystemOptions(
                        new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
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
            throw new CliException(
                    what + ": " + (message == null ? cause.getClass().getSimpleName() : message));
        }
    }

    /** Reads --seed arguments, HOST:PORT or [IPv6]:PORT, as DhtNode.bootstrap takes them. */
    static List<HostPort> seeds(List<String> arguments) throws CliException {
        List<HostPort> seeds = new ArrayList<>();
        for (String argument : arguments) {
            try {
                seeds.add(HostPort.parse(argument));
            } catch (IllegalArgumentException e) {
                throw new CliException("--seed " + e.getMessage());
            }
        }
        return seeds;
    }

    /** Seeds for a message: {@code host:port, [IPv6]:port}. */
    static String joined(List<HostPort> seeds) {
        return seeds.stream().map(HostPort::toString).collect(Collectors.joining(", "));
    }
}
