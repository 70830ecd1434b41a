package io.streembit.gateway.testing;

import com.fasterxml.jackson.databind.node.DoubleNode;
import io.streembit.device.DeviceAgent;
import io.streembit.protocol.feed.Reading;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.streembit.gateway.testing.DhtTestNetwork.await;

/**
 * Thermostats publishing one temperature each every {@code interval} on a thread of their own,
 * until stopped: the steady stream the fault tests break sinks under. Counts what the devices
 * accepted, which is what must arrive.
 */
public final class ContinuousPublisher implements AutoCloseable {
    private final List<DeviceAgent> devices;
    private final Duration interval;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong published = new AtomicLong();
    private final Thread thread;
    private volatile Exception failure;

    public ContinuousPublisher(List<DeviceAgent> devices, Duration interval) {
        this.devices = devices;
        this.interval = interval;
        this.thread = new Thread(this::run, "continuous-publisher");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        long i = 0;
        long ts = 1_765_000_000_000L;
        while (running.get() && i < 100_000) {
            for (DeviceAgent device : devices) {
                // not awaited: a publish completes when its batch closes, which would pace the loop
                device.publish(new Reading("temperature", ts + i, DoubleNode.valueOf(15 + (i % 100) / 10.0)))
                        .onSuccess(n -> published.incrementAndGet())
                        .onFailure(e -> failure = e instanceof Exception ex ? ex : new RuntimeException(e));
            }
            i++;
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    public long published() {
        return published.get();
    }

    /** Stops publishing and flushes every device's open batch; returns the readings published. */
    public long stop() throws Exception {
        running.set(false);
        thread.join(10_000);
        if (failure != null) {
            throw failure;
        }
        for (DeviceAgent device : devices) {
            await(device.flush());
        }
        return published.get();
    }

    /** The first publish that failed, or null. */
    public Exception failure() {
        return failure;
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        thread.join(10_000);
    }
}
