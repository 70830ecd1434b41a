package io.streembit.gateway.store;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The readings writer's sense of time: what time it is, and waiting on its queue until a
 * deadline. The linger decisions use nothing else, so a test can drive them with a clock it
 * moves itself instead of sleeping.
 */
public interface WriterClock {
    WriterClock SYSTEM = new WriterClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public <T> T poll(BlockingQueue<T> queue, long timeoutNanos) throws InterruptedException {
            return queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        }
    };

    long nanoTime();

    /** The queue's next element, or null once {@code timeoutNanos} of this clock's time passed without one. */
    <T> T poll(BlockingQueue<T> queue, long timeoutNanos) throws InterruptedException;
}
