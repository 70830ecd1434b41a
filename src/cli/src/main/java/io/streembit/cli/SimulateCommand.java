package io.streembit.cli;

import io.streembit.device.Things;
import io.streembit.device.sim.Simulator;
import io.streembit.device.sim.SimulatorOptions;
import io.streembit.dht.DhtOptions;
import io.streembit.dht.HostPort;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.keyfile.KeyFile;
import io.streembit.protocol.keyfile.PasscodePolicy;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.UserType;
import io.streembit.protocol.offer.VerifiedContactOffer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code streembit simulate}: runs a fleet of simulated devices ({@link Simulator}) against a
 * gateway until stopped (SIGTERM, Ctrl-C, or {@code --duration}), with a live progress line on
 * stderr and the run's summary on stdout.
 */
@Command(
        name = "simulate",
        description = {
            "Run a fleet of simulated devices against a gateway until stopped (SIGTERM, Ctrl-C or --duration).",
            "Thermostats, door locks and energy meters publish encrypted feeds for the gateway and answer its commands;"
                    + " on exit (status 0) a summary goes to standard output.",
            "Device keys are created in --keys (device-0000.key, ...) or reused from there, so a second run is the same"
                    + " fleet. Passcode of the device keys: STREEMBIT_PASSCODE, the prompt, or one line of standard input.",
            "A progress line goes to standard error: rewritten every second on a terminal, one line every 10 s otherwise."
        })
public final class SimulateCommand implements Callable<Integer> {
    static final String MIXED = SimulatorOptions.MIXED;
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** Rates as SimulatorOptions accepts them, per device. */
    static final double MAX_RATE = 10_000;

    private final Terminal terminal;
    private final KeyFiles keyFiles;
    private final NodeCommand.StopSignal stopSignal;
    private final Predicate<PrintStream> stderrIsTerminal;

    @Option(
            names = "--gateway-offer",
            required = true,
            paramLabel = "FILE",
            description = "the gateway's contact offer (user type gateway): the devices' feeds are encrypted for it,"
                    + " and only it may send them commands")
    Path gatewayOffer;

    @Option(
            names = "--seed",
            paramLabel = "HOST:PORT",
            description = "a DHT node to join through (repeatable; default: the host and port in the gateway offer)")
    List<String> seeds = new ArrayList<>();

    @Option(names = "--devices", required = true, paramLabel = "N", description = "how many devices (at least 1)")
    int devices;

    @Option(
            names = "--rate",
            defaultValue = "1",
            paramLabel = "R",
            description = "readings per second per device, e.g. 2 or 0.1 or 5/s (default: ${DEFAULT-VALUE})")
    String rate;

    @Option(
            names = "--batch",
            paramLabel = "B",
            description = "readings per feed entry at most (default: 50); an entry is sealed at the latest after 1 s")
    Integer batch;

    @Option(
            names = "--kind",
            defaultValue = MIXED,
            paramLabel = "KIND",
            description =
                    "thermostat, door-lock, energy-meter, or mixed: the three in turn (default: ${DEFAULT-VALUE})")
    String kind;

    @Option(
            names = "--keys",
            defaultValue = "sim-keys",
            paramLabel = "DIR",
            description = "device key files, created or reused (default: ${DEFAULT-VALUE}, in the current directory)")
    Path keys;

    @Option(
            names = "--offers-out",
            paramLabel = "DIR",
            description = "write each device's contact offer here (device-0000.offer, ...) to register it at the"
                    + " gateway (default: none written)")
    Path offersOut;

    @Option(
            names = "--buffers",
            paramLabel = "DIR",
            description = "the devices' durable feed buffers (default: the buffers directory inside --keys)")
    Path buffers;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            paramLabel = "H",
            description = "address the devices' DHT nodes listen on and advertise (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--duration", paramLabel = "SEC", description = "stop by itself after SEC seconds of running")
    Long duration;

    @Option(
            names = "--drain",
            paramLabel = "SEC",
            description = "when told to stop, first stop taking readings and wait up to SEC seconds until the gateway"
                    + " has acknowledged every entry (default: stop at once; what is unacknowledged stays buffered"
                    + " for the next run)")
    Long drain;

    public SimulateCommand(Terminal terminal) {
        this(terminal, NodeCommand::onProcessSignals, ProgressReport::isTerminal);
    }

    SimulateCommand(Terminal terminal, NodeCommand.StopSignal stopSignal, Predicate<PrintStream> stderrIsTerminal) {
        this.terminal = terminal;
        this.keyFiles = new KeyFiles(terminal);
        this.stopSignal = stopSignal;
        this.stderrIsTerminal = stderrIsTerminal;
    }

    @Override
    public Integer call() throws Exception {
        double perSecond = rate();
        List<HostPort> seedAddresses = checkArguments();
        VerifiedContactOffer gateway = gatewayOffer();
        List<Path> keyFilesOfFleet = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            keyFilesOfFleet.add(keys.resolve(String.format(Locale.ROOT, "device-%04d.key", i)));
        }
        List<Path> existing = keyFilesOfFleet.stream().filter(Files::exists).toList();
        int missing = devices - existing.size();
        char[] passcode = missing > 0
                ? keyFiles.passcodes().fresh(Passcodes.PASSCODE_ENV, false)
                : keyFiles.passcodes().existing(keys.toString(), false);
        try {
            SimulatorOptions options = options(gateway, seedAddresses, perSecond, passcode);
            if (missing > 0) {
                PasscodePolicy.check(passcode);
                options = options.withKdf(keyFiles.newFileParams());
            }
            if (!existing.isEmpty()) {
                // A wrong passcode is one line now, not a half-started fleet.
                KeyFile.read(existing.get(0)).open(passcode).privateKey().destroy();
            }
            if (missing > 0) {
                note("creating " + missing + " device key" + (missing == 1 ? "" : "s") + " in " + keys
                        + (existing.isEmpty() ? "" : " (reusing " + existing.size() + ")"));
            }
            try (StopRequest stop = new StopRequest(stopSignal, "streembit-simulate-shutdown", STOP_TIMEOUT)) {
                return run(options, stop);
            }
        } finally {
            Arrays.fill(passcode, '\0');
        }
    }

    private int run(SimulatorOptions options, StopRequest stop) throws Exception {
        // The CLI's own Vert.x rather than Simulator.start(options)'s default one: quiet logging and
        // no file-cache directory under /tmp, as for `node`; loops and workers sized for a fleet.
        int cores = Runtime.getRuntime().availableProcessors();
        Vertx vertx = DhtRuntime.vertx(Math.max(1, Math.min(2 * cores, options.devices())), 20);
        try {
            Simulator simulator = started(Simulator.start(vertx, options), stop);
            ProgressReport progress = new ProgressReport(terminal.err(), stderrIsTerminal.test(terminal.err()));
            runUntilStopped(simulator, progress, stop);
            if (drain != null && drain > 0) {
                note("draining: no new readings; waiting up to " + drain + " s until every entry is acknowledged");
                try {
                    boolean drained = DhtRuntime.await(
                            simulator.drain(Duration.ofSeconds(drain)),
                            Duration.ofSeconds(drain + 30),
                            "draining the fleet");
                    if (!drained) {
                        warn("not everything was acknowledged within " + drain + " s; the rest stays buffered");
                    }
                } catch (CliException | ProtocolException e) {
                    warn(e.getMessage());
                }
            }
            try {
                DhtRuntime.await(simulator.stop(), STOP_TIMEOUT, "stopping the fleet");
            } catch (CliException | ProtocolException e) {
                warn(e.getMessage());
            }
            progress.finish(simulator.progressLine());
            terminal.out().print(simulator.summary());
            terminal.out().flush();
            return StreembitCli.EXIT_OK;
        } finally {
            DhtRuntime.close(vertx, STOP_TIMEOUT);
        }
    }

    /** Shows the progress at the start and every interval, until a stop request or the end of --duration. */
    private void runUntilStopped(Simulator simulator, ProgressReport progress, StopRequest stop)
            throws InterruptedException {
        long interval = progress.interval().toNanos();
        long start = System.nanoTime();
        long end = duration == null ? -1 : TimeUnit.SECONDS.toNanos(duration);
        long nextShow = interval;
        progress.show(simulator.progressLine());
        while (true) {
            long elapsed = System.nanoTime() - start;
            if (end >= 0 && elapsed >= end) {
                return;
            }
            long until = end >= 0 ? Math.min(nextShow, end) : nextShow;
            // Rounded up: waking a little late is harmless, waking early would show a line too soon.
            if (stop.await((until - elapsed + 999_999) / 1_000_000)) {
                return;
            }
            elapsed = System.nanoTime() - start;
            if (elapsed >= nextShow && (end < 0 || elapsed < end)) {
                progress.show(simulator.progressLine());
                while (nextShow <= elapsed) {
                    nextShow += interval; // after a stall, the next line one interval on, not a burst
                }
            }
        }
    }

    /**
     * Waits for the fleet to start. Starting can take long (one Argon2id per key file), so a stop
     * request does not interrupt it: the fleet is allowed {@link #STOP_TIMEOUT} to finish starting,
     * so that it can then stop cleanly, every device sealing its buffer.
     */
    private static Simulator started(Future<Simulator> start, StopRequest stop) throws Exception {
        while (!start.isComplete() && !stop.await(100)) {
            // waiting for the fleet, or for a stop request
        }
        return DhtRuntime.await(start, stop.isRequested() ? STOP_TIMEOUT : Duration.ofDays(365), "starting the fleet");
    }

    private SimulatorOptions options(
            VerifiedContactOffer gateway, List<HostPort> seedAddresses, double perSecond, char[] passcode)
            throws CliException {
        try {
            SimulatorOptions options = SimulatorOptions.of(gateway, devices, keys, passcode)
                    .withRate(perSecond)
                    .withKind(kind)
                    .withDht(DhtOptions.defaults().withHost(host));
            if (!seedAddresses.isEmpty()) {
                options = options.withSeeds(seedAddresses);
            }
            if (batch != null) {
                options = options.withBatch(batch, options.batchDelay());
            }
            if (offersOut != null) {
                options = options.withOffersDir(offersOut);
            }
            if (buffers != null) {
                options = options.withBuffersDir(buffers);
            }
            return options;
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** Everything that needs no file and no passcode, checked first; the seeds (DeploymentArgsTest checks k8s/ with it). */
    List<HostPort> checkArguments() throws CliException {
        if (devices < 1) {
            throw new CliException("--devices must be at least 1");
        }
        if (batch != null && batch < 1) {
            throw new CliException("--batch must be at least 1");
        }
        if (!kind.equals(MIXED) && !Things.KINDS.contains(kind)) {
            throw new CliException("--kind must be one of " + String.join(", ", Things.KINDS) + " or " + MIXED);
        }
        if (duration != null && duration < 1) {
            throw new CliException("--duration must be at least 1 second");
        }
        if (host.isEmpty() || "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host)) {
            throw new CliException("--host must be the one address the devices listen on and other nodes reach them"
                    + " at, not '" + host + "'");
        }
        for (Path directory : new Path[] {keys, offersOut, buffers}) {
            if (directory != null && Files.exists(directory) && !Files.isDirectory(directory)) {
                throw new CliException(directory + ": not a directory");
            }
        }
        return DhtRuntime.seeds(seeds);
    }

    /** {@code --rate}: a number of readings per second per device, optionally written {@code R/s}. */
    double rate() throws CliException {
        String text = rate.strip();
        text = text.endsWith("/s") ? text.substring(0, text.length() - 2) : text;
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value > 0) || value > MAX_RATE) {
            throw new CliException("--rate must be a number of readings per second per device, more than 0 and at"
                    + " most " + (long) MAX_RATE + " (e.g. 2 or 0.5/s)");
        }
        return value;
    }

    private VerifiedContactOffer gatewayOffer() throws Exception {
        VerifiedContactOffer offer =
                ContactOffers.parse(new String(OfferCommands.readLimited(gatewayOffer), StandardCharsets.UTF_8));
        if (offer.userType() != UserType.GATEWAY) {
            throw new CliException(
                    gatewayOffer + " introduces a " + offer.userType().wire() + ", not a gateway;"
                            + " --gateway-offer needs the offer the gateway made (offer create --type gateway)");
        }
        return offer;
    }

    private void note(String message) {
        terminal.err().println("streembit: " + message);
        terminal.err().flush();
    }

    private void warn(String message) {
        note("warning: " + message);
    }
}
