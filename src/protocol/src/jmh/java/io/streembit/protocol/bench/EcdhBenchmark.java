package io.streembit.protocol.bench;

import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.identity.Identity;
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

/** Raw secp256k1 ECDH (the x coordinate), the scalar multiplication inside every JWE. */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EcdhBenchmark {
    @Param({"bouncycastle", "native"})
    public String backend;

    private Secp256k1 secp;
    private byte[] privateKey;
    private byte[] peerPublicKey;

    @Setup
    public void setup() {
        secp = Fixtures.backend(backend);
        Identity self = Fixtures.identity("gateway");
        Identity peer = Fixtures.identity("device");
        privateKey = self.privateKey().exportSecret();
        peerPublicKey = peer.publicKey().compressed();
        byte[] theirs = secp.sharedSecret(peer.privateKey().exportSecret(), self.publicKey().compressed());
        if (!Arrays.equals(sharedSecret(), theirs)) {
            throw new IllegalStateException("both sides must derive the same secret");
        }
    }

    @Benchmark
    public byte[] sharedSecret() {
        return secp.sharedSecret(privateKey, peerPublicKey);
    }
}
