package io.streembit.dht;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Where records are checked: pages on workers when asked, a single record always inline. */
class VerificationTest {
    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void onWorkersAPageGoesToAWorkerAndASingleRecordStaysOnTheEventLoop() throws Exception {
        List<String> threads = threads(new Verification(vertx, true));
        String loop = threads.get(0);
        assertThat(loop).startsWith("vert.x-eventloop-thread");
        assertThat(threads.get(1)).as("one record").isEqualTo(loop);
        assertThat(threads.get(2)).as("a page of 26").startsWith("vert.x-worker-thread");
        assertThat(threads.get(3))
                .as("the page's result, back on the caller's context")
                .isEqualTo(loop);
    }

    @Test
    void inlineEverythingStaysOnTheEventLoop() throws Exception {
        List<String> threads = threads(new Verification(vertx, false));
        assertThat(threads).containsOnly(threads.get(0));
    }

    @Test
    void aRefusedRecordFailsTheFutureOnEitherPath() throws Exception {
        Verification verification = new Verification(vertx, true);
        for (int records : new int[] {1, 26}) {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            vertx.runOnContext(v -> verification
                    .run(records, () -> {
                        throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "signature does not verify");
                    })
                    .onComplete(ar -> failure.complete(ar.cause())));
            assertThat(failure.get(10, TimeUnit.SECONDS))
                    .as(records + " records")
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("does not verify");
        }
    }

    /** The caller's thread, then where a 1-record and a 26-record check ran, then where the latter completed. */
    private List<String> threads(Verification verification) throws Exception {
        CompletableFuture<List<String>> seen = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            String caller = Thread.currentThread().getName();
            Future<String> single =
                    verification.run(1, () -> Thread.currentThread().getName());
            single.compose(one -> verification
                            .run(26, () -> Thread.currentThread().getName())
                            .map(page -> List.of(
                                    caller, one, page, Thread.currentThread().getName())))
                    .onComplete(ar -> {
                        if (ar.succeeded()) {
                            seen.complete(ar.result());
                        } else {
                            seen.completeExceptionally(ar.cause());
                        }
                    });
        });
        return seen.get(10, TimeUnit.SECONDS);
    }
}
