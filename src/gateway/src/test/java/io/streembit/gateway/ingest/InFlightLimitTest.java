package io.streembit.gateway.ingest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bound on batches in flight across all followers: never more, handed over in arrival order. */
class InFlightLimitTest {
    @Test
    void permitsAreGivenAtOnceUpToTheBoundThenFollowersWait() {
        InFlightLimit limit = new InFlightLimit(2);
        Future<Void> first = limit.acquire();
        Future<Void> second = limit.acquire();
        Future<Void> third = limit.acquire();

        assertThat(first.succeeded()).isTrue();
        assertThat(second.succeeded()).isTrue();
        assertThat(third.isComplete())
                .as("a third batch while two are in flight")
                .isFalse();
        assertThat(limit.inUse()).isEqualTo(2);
        assertThat(limit.waiting()).isEqualTo(1);
    }

    @Test
    void aReleasedPermitGoesToTheLongestWaitingFollowerAndStaysInUse() {
        InFlightLimit limit = new InFlightLimit(1);
        limit.acquire();
        Future<Void> a = limit.acquire();
        Future<Void> b = limit.acquire();
        Future<Void> c = limit.acquire();

        limit.release();
        assertThat(a.succeeded()).isTrue();
        assertThat(b.isComplete()).isFalse();
        assertThat(c.isComplete()).isFalse();
        // handed over, not given back and taken again: nobody can slip in between
        assertThat(limit.inUse()).isEqualTo(1);
        assertThat(limit.acquire().isComplete())
                .as("a newcomer while b and c wait")
                .isFalse();

        limit.release();
        assertThat(b.succeeded()).isTrue();
        assertThat(c.isComplete()).isFalse();
        limit.release();
        assertThat(c.succeeded()).isTrue();
        assertThat(limit.waiting()).isEqualTo(1);
    }

    @Test
    void releasingWithNobodyWaitingFreesThePermit() {
        InFlightLimit limit = new InFlightLimit(1);
        limit.acquire();
        limit.release();

        assertThat(limit.inUse()).isZero();
        assertThat(limit.acquire().succeeded()).isTrue();
    }

    @Test
    void theGaugesShowBatchesInFlightAndFollowersWaiting() {
        InFlightLimit limit = new InFlightLimit(2);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        limit.bindTo(registry);
        for (int i = 0; i < 5; i++) {
            limit.acquire();
        }
        assertThat(registry.get("streembit.ingest.in.flight").gauge().value()).isEqualTo(2);
        assertThat(registry.get("streembit.ingest.waiting").gauge().value()).isEqualTo(3);

        for (int i = 0; i < 4; i++) {
            limit.release();
        }
        assertThat(registry.get("streembit.ingest.in.flight").gauge().value()).isEqualTo(1);
        assertThat(registry.get("streembit.ingest.waiting").gauge().value()).isZero();
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThatThrownBy(() -> new InFlightLimit(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
