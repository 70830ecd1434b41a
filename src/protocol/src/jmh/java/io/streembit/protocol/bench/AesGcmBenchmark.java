package io.streembit.protocol.bench;

import io.streembit.protocol.crypto.AesGcm;
import io.streembit.protocol.crypto.Hashes;
import io.streembit.protocol.crypto.Secp256k1Backends;
import io.streembit.protocol.jose.Jwe;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * AES-256-GCM seal and open of a 1 KiB batch through the JDK provider, for reference: the
 * symmetric share of a JWE. No secp256k1 backend is involved, so no backend parameter.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AesGcmBenchmark {
    private final byte[] key = Hashes.sha256("content key".getBytes(StandardCharsets.US_ASCII));
    private final byte[] iv = Arrays.copyOf(Hashes.sha256("iv".getBytes(StandardCharsets.US_ASCII)), AesGcm.IV_BYTES);
    private byte[] aad;
    private byte[] batch;
    private AesGcm.Sealed sealed;

    @Setup
    public void setup() throws AesGcm.TagMismatchException {
        batch = Fixtures.batchPayload();
        // A real JWE protected header as the AAD, as Jwe passes it.
        String jweToken = new Jwe(Secp256k1Backends.bouncyCastle(), new SecureRandom())
                .encrypt(Fixtures.identity("gateway").publicKey(), batch, Fixtures.identity("device").account());
        aad = jweToken.substring(0, jweToken.indexOf('.')).getBytes(StandardCharsets.US_ASCII);
        sealed = seal1KiB();
        if (!Arrays.equals(batch, open1KiB())) {
            throw new IllegalStateException("AES-GCM does not round-trip");
        }
    }

    /** Reuses one IV: harmless here (nothing is kept), never acceptable outside a benchmark. */
    @Benchmark
    public AesGcm.Sealed seal1KiB() {
        return AesGcm.seal(key, iv, batch, aad);
    }

    @Benchmark
    public byte[] open1KiB() throws AesGcm.TagMismatchException {
        return AesGcm.open(key, iv, sealed.ciphertext(), sealed.tag(), aad);
    }
}
