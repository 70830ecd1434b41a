package io.streembit.device;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.Command;
import io.streembit.protocol.feed.CommandResult;
import io.streembit.protocol.feed.Commands;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.record.VerifiedRecord;
import io.streembit.protocol.td.ThingDescription;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Decides what to do with one command record and answers it. In order: open it
 * ({@link Commands#open}: own queue, signer a controller, decrypts for this device, author is the
 * signer, well-formed); not expired on the device's clock; id not seen before; action and input
 * valid by the Thing Description; then the id is remembered (durably) and the handler runs
 * with the timeout. Every command that passes the opening gets a {@code $command-result}
 * (ok, error or rejected with "{@code <error-code>: <reason>}"); one that fails the opening is
 * counted by error code and not answered, since its id cannot be trusted (its author may not
 * address this device, or it cannot be read at all), and answering would let anyone write
 * into the device's feed.
 */
final class CommandProcessor {
    private static final Logger LOG = Logger.getLogger(CommandProcessor.class.getName());
    /** Duplicate ids have no protocol error code of their own; this is the device's reason word. */
    static final String DUPLICATE = "duplicate";

    static final String TIMEOUT = "timeout";

    private final Vertx vertx;
    private final Context context;
    private final Identity device;
    private final Set<PublicKey> controllers;
    private final ThingDescription td;
    private final CommandLedger ledger;
    private final CommandHandler handler;
    private final long timeoutMillis;
    private final Clock clock;
    private final DeviceCounters counters;
    private final Function<CommandResult, Future<Long>> results;
    private final Commands commands = Commands.standard();

    CommandProcessor(
            Vertx vertx,
            Context context,
            DeviceOptions options,
            CommandLedger ledger,
            CommandHandler handler,
            Clock clock,
            DeviceCounters counters,
            Function<CommandResult, Future<Long>> results) {
        this.vertx = vertx;
        this.context = context;
        this.device = options.identity();
        this.controllers = options.allControllers();
        this.td = options.thingDescription();
        this.ledger = ledger;
        this.handler = handler;
        this.timeoutMillis = options.commandTimeout().toMillis();
        this.clock = clock;
        this.counters = counters;
        this.results = results;
    }

    /** Handles one command record; completes when its result (if any) is in the feed buffer. */
    Future<Void> process(VerifiedRecord record) {
        counters.commandsReceived.incrementAndGet();
        Command command;
        try {
            // Expiry is checked below, on the device's clock, so that an expired command is
            // answered with its id; Commands.open would refuse it without returning it.
            command = commands.open(record, device, controllers::contains, Instant.MIN);
        } catch (ProtocolException e) {
            counters.ignored(e.code().code());
            LOG.warning(() -> "command record " + record.seq() + " from "
                    + record.publisher().nodeId() + " ignored (" + e.code().code() + "): " + e.getMessage());
            return Future.succeededFuture();
        }
        PublicKey signer = record.publisher();
        long now = clock.instant().getEpochSecond();
        if (command.exp() <= now) {
            return reject(command, "expired: the command expired at " + command.exp() + ", device time is " + now);
        }
        if (ledger.seen(signer, command.id())) {
            return reject(command, DUPLICATE + ": this command id was already received");
        }
        try {
            td.validateActionInput(command.action(), command.input());
        } catch (ProtocolException e) {
            return reject(command, e.getMessage()); // "<code>: <reason>" already
        }
        return context.executeBlocking(
                        () -> {
                            ledger.markSeen(signer, command.id(), command.exp());
                            return null;
                        },
                        true)
                .compose(v -> execute(command))
                .compose(this::answer);
    }

    private Future<Void> reject(Command command, String reason) {
        counters.commandsRejected.incrementAndGet();
        return answer(CommandResult.rejected(command.id(), ResultText.of(reason)));
    }

    private Future<Void> answer(CommandResult result) {
        return results.apply(result).<Void>mapEmpty().recover(e -> {
            LOG.warning(() -> "result of command " + result.id() + " not published: " + e.getMessage());
            return Future.succeededFuture();
        });
    }

    /** Runs the handler on a worker; never fails: every outcome is a result. */
    private Future<CommandResult> execute(Command command) {
        Promise<JsonNode> outcome = Promise.promise();
        long timer = vertx.setTimer(timeoutMillis, t -> outcome.tryFail(new TimeoutException()));
        context.<CompletionStage<JsonNode>>executeBlocking(
                        () -> handler.execute(command.action(), command.input()), false)
                .compose(stage -> stage == null
                        ? Future.failedFuture(new IllegalStateException("the command handler returned no result"))
                        : Future.fromCompletionStage(stage, context))
                .onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    if (ar.succeeded()) {
                        outcome.tryComplete(ar.result());
                    } else {
                        outcome.tryFail(ar.cause());
                    }
                });
        return outcome.future()
                .transform(
                        ar -> Future.succeededFuture(result(command, ar.succeeded() ? ar.result() : null, ar.cause())));
    }

    private CommandResult result(Command command, JsonNode output, Throwable failure) {
        if (failure != null) {
            counters.commandsFailed.incrementAndGet();
            Throwable cause = unwrap(failure);
            String reason = cause instanceof TimeoutException
                    ? TIMEOUT + ": no result within " + timeoutMillis + " ms"
                    : cause.getMessage() != null && !cause.getMessage().isBlank()
                            ? cause.getMessage()
                            : cause.getClass().getSimpleName();
            return CommandResult.error(command.id(), ResultText.of(reason));
        }
        JsonNode out = output == null || output.isNull() || output.isMissingNode() ? null : output;
        try {
            td.validateActionOutput(command.action(), out);
        } catch (ProtocolException e) {
            counters.commandsFailed.incrementAndGet();
            return CommandResult.error(
                    command.id(),
                    ResultText.of(e.code().code() + ": the handler's output does not " + "match the Thing Description: "
                            + e.getMessage().substring(e.code().code().length() + 2)));
        }
        counters.commandsOk.incrementAndGet();
        return CommandResult.ok(command.id(), out);
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
