package io.streembit.device;

import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.streembit.protocol.Json;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.FeedEntry;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.record.RecordLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.streembit.device.TestNetwork.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Batches close by count, by size and by time, and the largest batch still fits in a record. */
class BatcherTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void theLargestEntryABatchCanMakeSealsUnderTheRecordLimit() {
        Identity device = Identity.generate(TestNetwork.RANDOM);
        Identity gateway = Identity.generate(TestNetwork.RANDOM);
        // readings as large as allowed, until the next one would not fit
        List<Reading> readings = new ArrayList<>();
        int bytes = Batcher.ENTRY_OVERHEAD_BYTES;
        String filler = "x".repeat(400);
        while (true) {
            Reading r = new Reading("event-name-of-some-length", Long.MAX_VALUE / 2, TextNode.valueOf(filler));
            if (bytes + Batcher.size(r) > Batcher.MAX_ENTRY_BYTES) {
                break;
            }
            bytes += Batcher.size(r);
            readings.add(r);
        }
        // and fill the remaining bytes exactly
        int rest = Batcher.MAX_ENTRY_BYTES - bytes;
        Reading probe = new Reading("f", 0, TextNode.valueOf(""));
        if (rest >= Batcher.size(probe)) {
            readings.add(new Reading("f", 0, TextNode.valueOf("y".repeat(rest - Batcher.size(probe)))));
        }
        FeedEntry entry = new FeedEntry(Long.MAX_VALUE, "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU", readings);
        assertThat(Json.bytes(entry.toJson()).length).isLessThanOrEqualTo(Batcher.MAX_ENTRY_BYTES);
        assertThat(Json.bytes(entry.toJson()).length).isGreaterThan(Batcher.MAX_ENTRY_BYTES - 50);
        String token = FeedEntries.standard()
                .seal(device, gateway.publicKey(), entry, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4 + 86_400);
        assertThat(token.length()).isLessThanOrEqualTo(RecordLimits.DEFAULT_MAX_RECORD_BYTES);
    }

    @Test
    void aBatchClosesAtItsCountAndACallSpanningBatchesCompletesWithTheLastOne() throws Exception {
        List<Batcher.Batch> closed = new CopyOnWriteArrayList<>();
        long[] n = {0};
        Batcher batcher = new Batcher(vertx, 4, Duration.ofSeconds(60), batch -> {
            closed.add(batch);
            long entry = ++n[0];
            batch.promises().forEach(p -> p.complete(entry));
        });
        List<Reading> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ten.add(new Reading("t", i, DoubleNode.valueOf(i)));
        }
        int[] sizes = ten.stream().mapToInt(Batcher::size).toArray();
        Future<Long> done = onContext(() -> batcher.add(ten, sizes));
        await().atMost(Duration.ofSeconds(5)).until(() -> closed.size() == 2);
        assertThat(done.isComplete()).isFalse(); // two readings still wait in the open batch
        onContext(() -> {
            batcher.flush();
            return Future.succeededFuture();
        });
        assertThat(await(done)).isEqualTo(3L);
        assertThat(closed).extracting(b -> b.readings().size()).containsExactly(4, 4, 2);
    }

    @Test
    void aBatchClosesWhenTheNextReadingWouldNotFit() throws Exception {
        List<Batcher.Batch> closed = new CopyOnWriteArrayList<>();
        Batcher batcher = new Batcher(vertx, 1000, Duration.ofMillis(200), batch -> {
            closed.add(batch);
            batch.promises().forEach(p -> p.complete(1L));
        });
        Reading big = new Reading("t", 0, TextNode.valueOf("z".repeat(3000)));
        int[] size = {Batcher.size(big)};
        for (int i = 0; i < 3; i++) {
            onContext(() -> batcher.add(List.of(big), size));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> closed.size() == 2); // the second by its delay
        assertThat(closed).extracting(b -> b.readings().size()).containsExactly(2, 1);
    }

    private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> action) {
        io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
        vertx.runOnContext(v -> action.get().onComplete(promise));
        return promise.future();
    }
}
