package io.streembit.protocol.bench;

import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.jose.DecryptedJwe;
import io.streembit.protocol.jose.Jwe;
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

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's per-batch hot path: verify the device's JWS, whose payload is a JWE for the
 * gateway, then decrypt it and check that the author bound inside is the signer
 * (encrypt-then-sign, PROTOCOL.md). Chain and Thing Description checks come on top.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EnvelopeBenchmark {
    @Param({"bouncycastle", "native"})
    public String backend;

    private Jws jws;
    private Jwe jwe;
    private Identity device;
    private Identity gateway;
    private String envelope;

    @Setup
    public void setup() throws ProtocolException {
        Secp256k1 secp = Fixtures.backend(backend);
        jws = new Jws(secp);
        jwe = new Jwe(secp, new SecureRandom());
        device = Fixtures.identity("device");
        gateway = Fixtures.identity("gateway");
        byte[] batch = Fixtures.batchPayload();
        String sealed = jwe.encrypt(gateway.publicKey(), batch, device.account());
        envelope = jws.sign(device, Fixtures.TYP, sealed.getBytes(StandardCharsets.US_ASCII));
        if (!Arrays.equals(batch, verifyAndDecrypt1KiB().plaintext())) {
            throw new IllegalStateException("the envelope does not open to the batch");
        }
    }

    @Benchmark
    public DecryptedJwe verifyAndDecrypt1KiB() throws ProtocolException {
        VerifiedJws verified = jws.verify(envelope, device.publicKey(), Fixtures.TYP);
        String sealed = new String(verified.payload(), StandardCharsets.US_ASCII);
        return jwe.decryptFrom(sealed, gateway, verified.signer());
    }
}
