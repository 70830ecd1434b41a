package io.streembit.device.sim;

import io.streembit.device.DeviceAgent;
import io.streembit.device.DeviceOptions;
import io.streembit.device.Things;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.keyfile.KeyFile;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Runs a fleet of simulated devices, each a full {@link DeviceAgent} with its own key and node:
 * keys are created in (or reused from) the keys directory, each device's contact offer is
 * written for registering it at the gateway, values evolve plausibly, commands are answered.
 * {@link #progressLine()} and {@link #summary()} are what {@code streembit simulate} prints.
 */
public final class Simulator {
    private final Vertx vertx;
    private final boolean ownsVertx;
    private final SimulatorOptions options;
    private final List<SimulatedDevice> devices;
    private final long startedNanos = System.nanoTime();
    private volatile long stoppedNanos = -1;

    private Simulator(Vertx vertx, boolean ownsVertx, SimulatorOptions options, List<SimulatedDevice> devices) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.options = options;
        this.devices = Collections.unmodifiableList(devices);
    }

    /** Starts the fleet on its own Vert.x instance (closed by {@link #stop()}). */
    public static Future<Simulator> start(SimulatorOptions options) {
        return start(Vertx.vertx(), true, options);
    }

    /** Starts the fleet on {@code vertx} (left running by {@link #stop()}). */
    public static Future<Simulator> start(Vertx vertx, SimulatorOptions options) {
        return start(vertx, false, options);
    }

    private static Future<Simulator> start(Vertx vertx, boolean ownsVertx, SimulatorOptions options) {
        List<SimulatedDevice> started = Collections.synchronizedList(new ArrayList<>());
        Future<Void> chain = vertx.executeBlocking(() -> {
            Files.createDirectories(options.keysDir());
            Files.createDirectories(options.buffersDir());
            if (options.offersDir() != null) {
                Files.createDirectories(options.offersDir());
            }
            return null;
        });
        for (int from = 0; from < options.devices(); from += options.startWave()) {
            int first = from;
            int last = Math.min(options.devices(), from + options.startWave());
            chain = chain.compose(v -> {
                List<Future<SimulatedDevice>> wave = new ArrayList<>();
                for (int i = first; i < last; i++) {
                    wave.add(startDevice(vertx, options, i).onSuccess(started::add));
                }
                return Future.all(wave).mapEmpty();
            });
        }
        Promise<Simulator> result = Promise.promise();
        chain.onComplete(ar -> {
            List<SimulatedDevice> fleet = new ArrayList<>(started);
            fleet.sort((a, b) -> Integer.compare(a.index(), b.index()));
            if (ar.failed()) {
                Future.join(fleet.stream().map(d -> d.agent().stop()).toList()).onComplete(x -> {
                    if (ownsVertx) {
                        vertx.close();
                    }
                    result.fail(ar.cause());
                });
                return;
            }
            Random random = new Random(options.randomSeed());
            for (SimulatedDevice d : fleet) {
                d.startTicking(vertx, options.rate(), random);
            }
            result.complete(new Simulator(vertx, ownsVertx, options, fleet));
        });
        return result.future();
    }

    private static Future<SimulatedDevice> startDevice(Vertx vertx, SimulatorOptions options, int index) {
        String name = String.format(Locale.ROOT, "device-%04d", index);
        String kind = options.kindOf(index);
        DeviceModel model = DeviceModel.of(kind, options.randomSeed() + index);
        return vertx.executeBlocking(() -> loadOrCreateKey(options.keysDir().resolve(name + ".key"), options), false)
                .compose(identity -> {
                    DeviceOptions deviceOptions = DeviceOptions.builder(
                                    identity,
                                    Things.forDevice(kind, identity.account()),
                                    options.gateway(),
                                    options.buffersDir().resolve(name))
                            .seedAddresses(options.seeds())
                            .batch(options.batch(), options.batchDelay())
                            .dht(options.dht())
                            .build();
                    return DeviceAgent.start(vertx, deviceOptions, model);
                })
                .compose(agent -> {
                    Path offer = options.offersDir() == null
                            ? null
                            : options.offersDir().resolve(name + ".offer");
                    if (offer == null) {
                        return Future.succeededFuture(new SimulatedDevice(index, agent, model, null));
                    }
                    return vertx.executeBlocking(
                            () -> {
                                Files.writeString(offer, agent.contactOffer(), StandardCharsets.US_ASCII);
                                return new SimulatedDevice(index, agent, model, offer);
                            },
                            false);
                });
    }

    /** Opens {@code file} with the passcode, or creates it with a new key when it does not exist. */
    static Identity loadOrCreateKey(Path file, SimulatorOptions options) throws Exception {
        if (Files.exists(file)) {
            try {
                return KeyFile.read(file).open(options.passcode());
            } catch (io.streembit.protocol.ProtocolException e) {
                throw new IOException("cannot open device key " + file + ": " + e.getMessage(), e);
            }
        }
        SecureRandom random = new SecureRandom();
        Identity identity = Identity.generate(random);
        KeyFile.create(identity, options.passcode(), options.kdf(), random).write(file);
        return identity;
    }

    public List<SimulatedDevice> devices() {
        return devices;
    }

    public SimulatorOptions options() {
        return options;
    }

    public FleetStats stats() {
        return FleetStats.of(devices);
    }

    /** One line for a live display (the CLI rewrites it in place with a carriage return). */
    public String progressLine() {
        FleetStats s = stats();
        return String.format(
                Locale.ROOT,
                "%d devices | %,d readings | batches %,d published, %,d acknowledged, %,d buffered"
                        + " | commands %,d executed (%,d failed), %,d rejected",
                s.devices(),
                s.readings(),
                s.batches(),
                s.acknowledged(),
                s.buffered(),
                s.commandsExecuted(),
                s.commandsFailed(),
                s.commandsRejected());
    }

    /** What the run did, for printing on exit. */
    public String summary() {
        FleetStats s = stats();
        long end = stoppedNanos >= 0 ? stoppedNanos : System.nanoTime();
        double seconds = Math.max(0.001, (end - startedNanos) / 1e9);
        Map<String, Integer> kinds = new TreeMap<>();
        devices.forEach(d -> kinds.merge(d.kind(), 1, Integer::sum));
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "simulated %d devices for %.1f s (%s)%n", s.devices(), seconds, kinds));
        out.append(String.format(Locale.ROOT, "readings      %,d (%.1f/s)%n", s.readings(), s.readings() / seconds));
        out.append(String.format(
                Locale.ROOT,
                "batches       %,d published (%.1f/s), %,d sent on first try, "
                        + "%,d acknowledged, %,d still buffered%n",
                s.batches(),
                s.batches() / seconds,
                s.sent(),
                s.acknowledged(),
                s.buffered()));
        out.append(String.format(
                Locale.ROOT,
                "commands      %,d executed (%,d ok, %,d failed), %,d rejected, " + "%,d ignored%n",
                s.commandsExecuted(),
                s.commandsOk(),
                s.commandsFailed(),
                s.commandsRejected(),
                s.commandsIgnored()));
        out.append(String.format(
                Locale.ROOT,
                "problems      %,d sendings reached no node (retried), %,d readings "
                        + "refused, %,d entries dropped or expired%n",
                s.sendFailures(),
                s.publishFailures(),
                s.dropped()));
        return out.toString();
    }

    /**
     * Stops taking readings, closes every device's open batch, and completes once nothing is
     * buffered any more (every entry acknowledged by the gateway) or {@code timeout} passed;
     * the agents keep running (re-sending what is not acknowledged) until {@link #stop()}.
     * True when everything was acknowledged.
     */
    public Future<Boolean> drain(java.time.Duration timeout) {
        devices.forEach(d -> d.stopTicking(vertx));
        return Future.join(devices.stream().map(d -> d.agent().flush()).toList())
                .transform(ar -> {
                    io.vertx.core.Promise<Boolean> drained = io.vertx.core.Promise.promise();
                    long deadline = System.nanoTime() + timeout.toNanos();
                    vertx.setPeriodic(200, id -> {
                        boolean empty = stats().buffered() == 0;
                        if (empty || System.nanoTime() > deadline) {
                            vertx.cancelTimer(id);
                            drained.tryComplete(empty);
                        }
                    });
                    return drained.future();
                });
    }

    /**
     * Stops publishing, then stops every agent (each seals its open batch; unacknowledged entries
     * stay in its buffer for the next run) and the Vert.x instance if the simulator created it.
     */
    public Future<Void> stop() {
        devices.forEach(d -> d.stopTicking(vertx));
        return Future.join(devices.stream().map(d -> d.agent().stop()).toList())
                .<Void>mapEmpty()
                .eventually(() -> {
                    stoppedNanos = System.nanoTime();
                    return ownsVertx ? vertx.close() : Future.succeededFuture();
                });
    }
}
