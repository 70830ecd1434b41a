package io.streembit.gateway.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streembit.gateway.ingest.IngestEvents;
import io.streembit.gateway.ingest.IngestRejection;
import io.streembit.gateway.ingest.ServedDevice;
import io.streembit.gateway.ingest.VerifiedBatch;
import io.streembit.gateway.store.ProblemStore;
import io.streembit.protocol.feed.FeedChain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's {@link IngestEvents}: problems into {@code ingest_problems} (and the device's
 * error columns), figures into Micrometer, live state into {@link DeviceRuntime}. Logs at INFO
 * only what an operator must act on (a quarantined entry, a gap), and a failing sink once per
 * outage per device.
 */
public final class IngestRecorder implements IngestEvents {
    private static final Logger LOG = Logger.getLogger(IngestRecorder.class);

    private final Vertx vertx;
    private final ProblemStore problems;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, DeviceRuntime> devices = new ConcurrentHashMap<>();
    private final Counter batchesIn;
    private final Counter readingsIn;
    private final Counter duplicates;

    public IngestRecorder(Vertx vertx, ProblemStore problems, MeterRegistry registry, Clock clock) {
        this.vertx = vertx;
        this.problems = problems;
        this.registry = registry;
        this.clock = clock;
        this.batchesIn = registry.counter("streembit.ingest.batches");
        this.readingsIn = registry.counter("streembit.ingest.readings");
        this.duplicates = registry.counter("streembit.ingest.duplicates");
    }

    /** The live state of {@code device}, created the first time. */
    public DeviceRuntime runtime(ServedDevice device) {
        return devices.computeIfAbsent(device.id(), id -> new DeviceRuntime());
    }

    public DeviceRuntime runtime(String deviceId) {
        return devices.get(deviceId);
    }

    /** Registers the lag gauge of a followed device: head minus cursor, in entries. */
    public void follow(ServedDevice device, java.util.function.LongSupplier cursor) {
        DeviceRuntime runtime = runtime(device);
        Gauge.builder("streembit.ingest.lag", () -> Math.max(0, runtime.head() - cursor.getAsLong()))
                .tag("device", device.id())
                .description("feed entries stored in the DHT but not yet committed")
                .register(registry);
    }

    public void unfollow(String deviceId) {
        registry.find("streembit.ingest.lag").tag("device", deviceId).meters().forEach(registry::remove);
        devices.remove(deviceId);
    }

    @Override
    public Future<Void> quarantine(
            ServedDevice device, long seq, IngestRejection rejection, String token, FeedChain next) {
        return vertx.executeBlocking(
                        () -> {
                            problems.quarantine(
                                    device.id(),
                                    seq,
                                    rejection.reason(),
                                    rejection.getMessage(),
                                    token,
                                    next.lastHash(),
                                    clock.instant());
                            return null;
                        },
                        false)
                .<Void>mapEmpty()
                .onSuccess(v -> {
                    rejected(rejection.reason());
                    LOG.infof(
                            "device %s entry %d quarantined: %s: %s",
                            device.id(), seq, rejection.reason(), rejection.getMessage());
                });
    }

    /** Counts a refusal by reason ({@code streembit_ingest_rejected_total}). */
    public void rejected(String reason) {
        registry.counter("streembit.ingest.rejected", "reason", reason).increment();
    }

    @Override
    public void committed(VerifiedBatch batch) {
        batchesIn.increment();
        readingsIn.increment(batch.readings().size());
        DeviceRuntime runtime = devices.get(batch.deviceId());
        if (runtime != null) {
            if (runtime.retrying() != null) {
                LOG.infof("device %s: deliveries go through again", batch.deviceId());
            }
            runtime.recovered();
            runtime.head(batch.seq());
        }
    }

    @Override
    public void duplicate(ServedDevice device, long seq) {
        duplicates.increment();
    }

    @Override
    public void deliveryFailed(ServedDevice device, long seq, Throwable cause, Duration retryIn) {
        registry.counter("streembit.ingest.delivery.failures").increment();
        DeviceRuntime runtime = runtime(device);
        if (runtime.retrying() == null) {
            LOG.warnf(
                    "device %s entry %d: delivery failed (%s); retrying with back-off",
                    device.id(), seq, describe(cause));
        }
        runtime.failing(describe(cause), clock.instant());
    }

    @Override
    public void gap(ServedDevice device, long from, long to) {
        registry.counter("streembit.ingest.gaps").increment();
        String detail = "entries " + from + ".." + to + " are missing while later ones are stored; waiting for the"
                + " device to re-send them";
        LOG.warnf("device %s: %s", device.id(), detail);
        vertx.executeBlocking(
                        () -> {
                            problems.record(device.id(), from, "gap", detail, "waiting", clock.instant());
                            return null;
                        },
                        false)
                .onFailure(e ->
                        LOG.warnf("gap of device %s not recorded in ingest_problems: %s", device.id(), e.getMessage()));
    }

    @Override
    public void head(ServedDevice device, long head) {
        runtime(device).head(head);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
