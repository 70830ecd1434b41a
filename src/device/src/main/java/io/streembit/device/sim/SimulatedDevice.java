package io.streembit.device.sim;

import io.streembit.device.DeviceAgent;
import io.streembit.device.DeviceStats;
import io.streembit.protocol.feed.Reading;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/** One device of the fleet: its agent, its behaviour, and the timer that makes it publish. */
public final class SimulatedDevice {
    private static final long STOPPED = -2;

    private final int index;
    private final DeviceAgent agent;
    private final DeviceModel model;
    private final Path offerFile;
    private final long ackedAtStart;
    private final AtomicLong publishFailures = new AtomicLong();
    private volatile long timer = -1;
    private double credit;

    SimulatedDevice(int index, DeviceAgent agent, DeviceModel model, Path offerFile) {
        this.index = index;
        this.agent = agent;
        this.model = model;
        this.offerFile = offerFile;
        this.ackedAtStart = agent.stats().ackedN();
    }

    public int index() {
        return index;
    }

    public String kind() {
        return model.kind();
    }

    public String account() {
        return agent.account();
    }

    public DeviceAgent agent() {
        return agent;
    }

    /** Where this device's contact offer was written, or null. */
    public Path offerFile() {
        return offerFile;
    }

    public DeviceStats stats() {
        return agent.stats();
    }

    /** Entries the gateway acknowledged during this run (the ack watermark's progress). */
    public long acknowledgedThisRun() {
        return Math.max(0, agent.stats().ackedN() - ackedAtStart);
    }

    /** Readings {@code publish} refused (buffer full, or the agent stopping). */
    public long publishFailures() {
        return publishFailures.get();
    }

    /**
     * Publishes {@code rate} readings per second: a timer every {@code 1/rate} s (at least 20 ms,
     * with several readings per tick above 50/s), started at a random offset so that a fleet does
     * not publish in lockstep.
     */
    void startTicking(Vertx vertx, double rate, Random random) {
        long period = Math.max(20, Math.min(60_000, Math.round(1000 / rate)));
        double perTick = rate * period / 1000.0;
        vertx.setTimer(1 + random.nextInt((int) period), first -> {
            if (timer == STOPPED) {
                return;
            }
            tick(perTick);
            timer = vertx.setPeriodic(period, t -> tick(perTick));
        });
    }

    private void tick(double perTick) {
        credit += perTick;
        int count = (int) credit;
        credit -= count;
        for (int i = 0; i < count; i++) {
            List<Reading> readings = model.next(System.currentTimeMillis());
            agent.publish(readings).onFailure(e -> publishFailures.addAndGet(readings.size()));
        }
    }

    void stopTicking(Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        timer = STOPPED;
    }
}
