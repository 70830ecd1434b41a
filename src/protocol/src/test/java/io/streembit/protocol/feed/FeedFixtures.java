package io.streembit.protocol.feed;

import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.RecordFixtures;
import io.streembit.protocol.record.RecordLimits;
import io.streembit.protocol.record.RecordValidator;
import io.streembit.protocol.record.VerifiedRecord;

import java.time.Instant;
import java.util.List;

/** The cast of the feed and command tests: a device, its gateway, and a stranger. */
final class FeedFixtures {
    static final Identity DEVICE = RecordFixtures.ALICE;
    static final Identity GATEWAY = RecordFixtures.BOB;
    static final Identity STRANGER = RecordFixtures.CAROL;
    static final long NOW = RecordFixtures.NOW;
    static final Instant NOW_INSTANT = RecordFixtures.NOW_INSTANT;
    static final RecordValidator VALIDATOR = new RecordValidator(RecordLimits.DEFAULTS);

    private FeedFixtures() {}

    static VerifiedRecord verify(NodeId key, String token) throws ProtocolException {
        return VALIDATOR.validate(key, token, NOW_INSTANT);
    }

    static List<Reading> readings(double celsius) {
        return List.of(
                new Reading("temperature", NOW * 1000, RecordFixtures.json(Double.toString(celsius))),
                new Reading("status", NOW * 1000 + 5, RecordFixtures.json("{\"door\":\"open\",\"battery\":81}")));
    }
}
