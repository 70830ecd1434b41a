package io.streembit.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a long-running command ({@code node}, {@code simulate}) learns that it should stop: the
 * {@link NodeCommand.StopSignal} (SIGTERM and SIGINT in a real process), or a shutdown hook for
 * any other way out (SIGHUP, System.exit). The hook holds the JVM until the command has cleaned
 * up and {@link #close() closed} this, at most {@code cleanupTimeout} plus two seconds.
 */
final class StopRequest implements AutoCloseable {
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    StopRequest(NodeCommand.StopSignal signal, String hookName, Duration cleanupTimeout) {
        signal.onStop(requested::countDown);
        hook = new Thread(
                () -> {
                    requested.countDown();
                    try {
                        done.await(cleanupTimeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                hookName);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Waits until a stop is requested. */
    void await() throws InterruptedException {
        requested.await();
    }

    /** Waits at most {@code millis} for a stop request; true when one came. */
    boolean await(long millis) throws InterruptedException {
        return requested.await(millis, TimeUnit.MILLISECONDS);
    }

    boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** The command has cleaned up: a running shutdown hook may let the JVM go. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook is running, and has just been released.
        }
    }
}
