package io.streembit.protocol.bench;

import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.FeedEntry;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.jose.Jwe;
import io.streembit.protocol.jose.Jws;
import io.streembit.protocol.record.RecordLimits;
import io.streembit.protocol.record.RecordValidator;
import io.streembit.protocol.record.VerifiedRecord;
import com.fasterxml.jackson.databind.node.DoubleNode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A device feed entry of ten readings as the network sees it: what a storing node does before it
 * stores (full record validation) and what the gateway does per batch (validate, then decrypt
 * and parse the entry).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordValidationBenchmark {
    @Param({"bouncycastle", "native"})
    public String backend;

    private RecordValidator validator;
    private FeedEntries entries;
    private Identity gateway;
    private VerifiedRecord verified;
    private String token;
    private io.streembit.protocol.identity.NodeId key;
    private Instant now;

    @Setup
    public void setup() throws ProtocolException {
        Jws jws = new Jws(Fixtures.backend(backend));
        validator = new RecordValidator(RecordLimits.DEFAULTS, pub -> true, jws);
        entries = new FeedEntries(jws, new Jwe(Fixtures.backend(backend), new SecureRandom()));
        Identity device = Fixtures.identity("device");
        gateway = Fixtures.identity("gateway");
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            readings.add(new Reading("temperature", 1_764_000_000_000L + i * 1000L, new DoubleNode(20.5 + i)));
        }
        FeedEntry entry = FeedChain.genesis().nextEntry(readings);
        long iat = Instant.now().getEpochSecond();
        token = entries.seal(device, gateway.publicKey(), entry, iat, iat + 3600);
        now = Instant.ofEpochSecond(iat + 1);
        key = FeedEntries.key(device.publicKey());
        verified = validate();
        if (open().readings().size() != 10) {
            throw new IllegalStateException("the entry does not give back its readings");
        }
    }

    /** The storing node's full check before it stores a feed entry. */
    @Benchmark
    public VerifiedRecord validate() throws ProtocolException {
        return validator.validate(key, token, now);
    }

    /** The gateway's per-batch work: validate the record, decrypt and parse the entry. */
    @Benchmark
    public FeedEntry validateAndOpen() throws ProtocolException {
        return entries.open(validate(), gateway);
    }

    private FeedEntry open() throws ProtocolException {
        return entries.open(verified, gateway);
    }
}
