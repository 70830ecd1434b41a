package io.streembit.protocol.bench;

import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.jose.DecryptedJwe;
import io.streembit.protocol.jose.Jwe;
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
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * JWE ECDH-ES + A256GCM of a 1 KiB feed batch. Encrypt pays for an ephemeral key pair and one
 * ECDH; decrypt for the epk point check and one ECDH. AES-GCM of 1 KiB is small beside them
 * (see {@link AesGcmBenchmark}).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JweBenchmark {
    @Param({"bouncycastle", "native"})
    public String backend;

    private Jwe jwe;
    private Identity gateway;
    private String author;
    private byte[] batch;
    private String token;

    @Setup
    public void setup() throws ProtocolException {
        jwe = new Jwe(Fixtures.backend(backend), new SecureRandom());
        gateway = Fixtures.identity("gateway");
        author = Fixtures.identity("device").account();
        batch = Fixtures.batchPayload();
        token = encrypt1KiB();
        if (!Arrays.equals(batch, decrypt1KiB().plaintext())) {
            throw new IllegalStateException("the JWE does not decrypt to the batch");
        }
    }

    @Benchmark
    public String encrypt1KiB() {
        return jwe.encrypt(gateway.publicKey(), batch, author);
    }

    @Benchmark
    public DecryptedJwe decrypt1KiB() throws ProtocolException {
        return jwe.decrypt(token, gateway);
    }
}
