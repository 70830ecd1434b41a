package io.streembit.protocol.bench;

import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.jose.Jws;
import io.streembit.protocol.jose.VerifiedJws;
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

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** ES256K JWS sign and verify of a 256-byte record payload: the whole compact token, not just ECDSA. */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JwsBenchmark {
    @Param({"bouncycastle", "native"})
    public String backend;

    private Jws jws;
    private Identity author;
    private byte[] payload;
    private String token;

    @Setup
    public void setup() throws ProtocolException {
        jws = new Jws(Fixtures.backend(backend));
        author = Fixtures.identity("author");
        payload = Fixtures.recordPayload(author);
        token = jws.sign(author, Fixtures.TYP, payload);
        if (!Arrays.equals(payload, verify().payload())) {
            throw new IllegalStateException("the signed token does not give back its payload");
        }
    }

    @Benchmark
    public String sign() {
        return jws.sign(author, Fixtures.TYP, payload);
    }

    @Benchmark
    public VerifiedJws verify() throws ProtocolException {
        return jws.verify(token, author.publicKey(), Fixtures.TYP);
    }
}
