package io.streembit.gateway.store;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A writer clock that moves only when the test says so: a linger ends when the test advanced
 * the time past its deadline, or when a batch arrives, never because the machine was slow.
 */
final class ManualWriterClock implements WriterClock {
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public <T> T poll(BlockingQueue<T> queue, long timeoutNanos) throws InterruptedException {
        long deadline = now.get() + timeoutNanos;
        waiting.incrementAndGet();
        try {
            while (true) {
                // a short real wait only to notice the test's advance; the deadline is this clock's
                T next = queue.poll(1, TimeUnit.MILLISECONDS);
                if (next != null) {
                    return next;
                }
                if (now.get() >= deadline) {
                    return null;
                }
            }
        } finally {
            waiting.decrementAndGet();
        }
    }

    void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    /** True while the writer lingers: it holds a group and waits for more. */
    boolean lingering() {
        return waiting.get() > 0;
    }
}
