package io.streembit.dht.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VirtualSchedulerTest {
    @Test
    void promisesCompletedByEventsRunTheirListenersAtTheEventsVirtualTimeInOrder() {
        VirtualScheduler scheduler = new VirtualScheduler();
        List<String> seen = new ArrayList<>();
        Promise<String> late = Promise.promise();
        Promise<String> early = Promise.promise();
        late.future().onSuccess(v -> seen.add(v + "@" + scheduler.nowMicros()));
        early.future().onSuccess(v -> seen.add(v + "@" + scheduler.nowMicros()));
        scheduler.after(30_000, () -> late.complete("late"));
        scheduler.after(10_000, () -> early.complete("early"));
        scheduler.after(10_000, () -> seen.add("tie@" + scheduler.nowMicros()));

        Future<String> both = Future.all(early.future(), late.future()).map(cf -> cf.<String>resultAt(1));
        assertThat(scheduler.runUntil(both)).isEqualTo("late");
        // no Vert.x context: listeners run synchronously inside the completing event
        assertThat(seen).containsExactly("early@10000", "tie@10000", "late@30000");
    }

    @Test
    void awaitingAFutureNothingWillCompleteFailsInsteadOfHanging() {
        VirtualScheduler scheduler = new VirtualScheduler();
        scheduler.after(5, () -> {});
        assertThatThrownBy(() -> scheduler.runUntil(Promise.promise().future()))
                .isInstanceOf(IllegalStateException.class);
    }
}
