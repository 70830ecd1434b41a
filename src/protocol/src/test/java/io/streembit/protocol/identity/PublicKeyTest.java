package io.streembit.protocol.identity;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Hex;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.CurveParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Public keys on the wire: only valid compressed points parse, each failure says why; ids are SHA-1. */
class PublicKeyTest {
    private static final String VECTOR_PUB = "02605136fb2ec39f4a032cf0e759c8f6a0fa88f463ae68126c9d6d62f5fd0737c8";

    private static String badKey(Executable parse) {
        ProtocolException e = assertThrows(ProtocolException.class, parse);
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_KEY);
        return e.getMessage();
    }

    @Test
    void theWireFormParsesAndPrintsBackIdentically() throws Exception {
        PublicKey key = PublicKey.fromHex(VECTOR_PUB);
        assertThat(key.hex()).isEqualTo(VECTOR_PUB);
        assertThat(key.toString()).isEqualTo(VECTOR_PUB);
        assertThat(Hex.encode(key.compressed())).isEqualTo(VECTOR_PUB);
        assertThat(PublicKey.fromSec1(key.uncompressed())).isEqualTo(key);
        assertThat(key.uncompressed()).hasSize(65).startsWith((byte) 0x04);
    }

    /**
     * A key read uncompressed (a JWK) is the same key and prints the same; read either way, it hands
     * its uncompressed form to the math (no square root per signature check).
     */
    @Test
    void aKeyReadEitherWayIsTheSameKeyAndHandsItsUncompressedFormToTheMath() throws Exception {
        PublicKey key = PublicKey.fromHex(VECTOR_PUB);
        byte[] full = key.uncompressed();
        PublicKey read = PublicKey.fromAffine(
                java.util.Arrays.copyOfRange(full, 1, 33), java.util.Arrays.copyOfRange(full, 33, 65));
        assertThat(read).isEqualTo(key).hasSameHashCodeAs(key);
        assertThat(read.hex()).isEqualTo(VECTOR_PUB);
        assertThat(read.nodeId()).isEqualTo(key.nodeId());
        assertThat(read.sec1()).isEqualTo(full);
        assertThat(read.uncompressed()).isEqualTo(full);
        assertThat(key.sec1()).isEqualTo(full);
        read.sec1()[1] ^= 1; // a copy: the key itself is immutable
        assertThat(read.sec1()).isEqualTo(full);

        byte[] hybrid = full.clone(); // SEC1's hybrid form: 06/07 || x || y
        hybrid[0] = (byte) ((full[64] & 1) == 0 ? 0x06 : 0x07);
        PublicKey fromHybrid = PublicKey.fromSec1(hybrid);
        assertThat(fromHybrid).isEqualTo(key);
        assertThat(fromHybrid.uncompressed()).isEqualTo(full);
    }

    @Test
    void aKeyParsedAgainComesFromTheCacheAndOnlyValidKeysAreCached() throws Exception {
        PublicKey first = PublicKey.fromHex(VECTOR_PUB);
        assertThat(PublicKey.fromHex(VECTOR_PUB)).isSameAs(first);
        // a key that is not a point stays refused however often it comes, and never shadows a valid one
        String offCurve = "02" + "0".repeat(63) + "5";
        for (int i = 0; i < 3; i++) {
            assertThat(badKey(() -> PublicKey.fromHex(offCurve))).contains("not a point");
        }
        assertThat(badKey(() -> PublicKey.fromHex(VECTOR_PUB.toUpperCase()))).contains("lowercase");
    }

    @Test
    void aKeyOfTheWrongLengthIsRefusedWithItsLength() {
        assertThat(badKey(() -> PublicKey.fromHex(VECTOR_PUB.substring(2)))).contains("66 hex characters", "got 64");
        assertThat(badKey(() -> PublicKey.fromHex(VECTOR_PUB + "00"))).contains("got 68");
        assertThat(badKey(() -> PublicKey.fromHex(""))).contains("got 0");
        assertThat(badKey(() -> PublicKey.fromHex(null))).contains("missing");
        assertThat(badKey(() -> PublicKey.fromCompressed(new byte[32]))).contains("33 bytes", "got 32");
        assertThat(badKey(() -> PublicKey.fromCompressed(new byte[65]))).contains("33 bytes", "got 65");
    }

    @Test
    void anUncompressedOrHybridPrefixIsRefusedOnTheWire() throws Exception {
        byte[] bytes = Hex.decode(VECTOR_PUB, 33, "k");
        for (int prefix : new int[] {0x00, 0x01, 0x04, 0x05, 0x06, 0x07, 0xff}) {
            bytes[0] = (byte) prefix;
            byte[] copy = bytes.clone();
            assertThat(badKey(() -> PublicKey.fromCompressed(copy))).contains("02 or 03");
            assertThat(badKey(() -> PublicKey.fromHex(Hex.encode(copy)))).contains("02 or 03");
        }
    }

    @Test
    void anXWithoutAPointIsRefusedAsNotOnTheCurve() {
        // x = 5: 5^3 + 7 = 132 is not a quadratic residue mod p, so neither 02 nor 03 names a point.
        String five = "00".repeat(31) + "05";
        assertThat(badKey(() -> PublicKey.fromHex("02" + five))).contains("not a point");
        assertThat(badKey(() -> PublicKey.fromHex("03" + five))).contains("not a point");
        // x >= p is not a field element at all.
        assertThat(badKey(() -> PublicKey.fromHex("02" + "ff".repeat(32)))).contains("not a point");
        byte[] y = new byte[32];
        y[31] = 1;
        byte[] x = new byte[32];
        x[31] = 1;
        assertThat(badKey(() -> PublicKey.fromAffine(x, y))).contains("not a point");
        assertThat(badKey(() -> PublicKey.fromSec1(new byte[] {0x00}))).contains("not a point");
    }

    @Test
    void upperCaseOrNonHexIsRefused() {
        assertThat(badKey(() -> PublicKey.fromHex(VECTOR_PUB.toUpperCase()))).contains("lowercase hex");
        assertThat(badKey(() -> PublicKey.fromHex(VECTOR_PUB.substring(0, 64) + "C8")))
                .contains("lowercase hex");
        assertThat(badKey(() -> PublicKey.fromHex(VECTOR_PUB.substring(0, 64) + "g8")))
                .contains("lowercase hex");
        assertThat(badKey(() -> PublicKey.fromHex(" " + VECTOR_PUB.substring(1))))
                .contains("lowercase hex");
    }

    @Test
    void theNodeIdIsSha1OfTheCompressedKey() throws Exception {
        // Computed independently (Python hashlib.sha1 over the 33 key bytes).
        assertThat(PublicKey.fromHex(VECTOR_PUB).nodeId().hex()).isEqualTo("0cb5f7c0b4abef0c76c571999a6ec28227264fdc");
        assertThat(PublicKey.fromHex("02f9502d540ca7d5ab09ea89e83889fa4bcd0b27f7eec5752f4fa07b1b19160f3b")
                        .nodeId()
                        .hex())
                .isEqualTo("48330e922ac27414c4bcfeb1359eccde78151d7a");
        Random random = new Random(20251125L);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        for (int i = 0; i < 200; i++) {
            Identity id = Identity.generate(seeded(random));
            byte[] expected = sha1.digest(id.publicKey().compressed());
            assertThat(id.nodeId().bytes()).as("seed 20251125, case %d", i).isEqualTo(expected);
            assertThat(id.account()).isEqualTo(Hex.encode(expected)).hasSize(40);
            // Not the uncompressed form, not the hex text: exactly the 33 bytes.
            assertThat(id.nodeId().bytes())
                    .isNotEqualTo(sha1.digest(id.publicKey().uncompressed()));
        }
    }

    @Test
    void bothParitiesAreDistinctKeysWithDistinctIds() throws Exception {
        PublicKey even = PublicKey.fromHex(VECTOR_PUB);
        PublicKey odd = PublicKey.fromHex("03" + VECTOR_PUB.substring(2));
        assertThat(odd).isNotEqualTo(even);
        assertThat(odd.nodeId()).isNotEqualTo(even.nodeId());
        BigInteger yEven = new BigInteger(1, java.util.Arrays.copyOfRange(even.uncompressed(), 33, 65));
        BigInteger yOdd = new BigInteger(1, java.util.Arrays.copyOfRange(odd.uncompressed(), 33, 65));
        assertThat(yEven.testBit(0)).isFalse();
        assertThat(yEven.add(yOdd))
                .isEqualTo(CurveParams.X9.getCurve().getField().getCharacteristic());
    }

    /** A SecureRandom fed from a seeded Random, so generated keys are reproducible. */
    static SecureRandom seeded(Random random) {
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                random.nextBytes(bytes);
            }
        };
    }
}
