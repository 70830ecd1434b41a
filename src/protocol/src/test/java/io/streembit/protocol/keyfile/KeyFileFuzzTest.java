package io.streembit.protocol.keyfile;

import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Random and mutated key files: parsing and opening fail only with ProtocolException, and a
 * file whose meaning changed never opens.
 */
class KeyFileFuzzTest {
    private static final long SEED = 0x5eed_4b1fL;
    private static final char[] PASSCODE = "Blue-Kettle-2049".toCharArray();

    @Test
    void mutatedFilesNeverOpenAndOnlyFailWithProtocolException() throws Exception {
        Random rnd = new Random(SEED);
        Identity identity = Identity.generate(new SecureRandom());
        KeyFile original = KeyFile.create(identity, PASSCODE, new KdfParams(8, 1, 1), new SecureRandom());
        byte[] bytes = original.toBytes();
        String alphabet = "{}[]\":,0123456789-_abcdefABCDEF xyz\\\u00e9";
        int opened = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] mutated = mutate(bytes, rnd, alphabet);
            if (Arrays.equals(mutated, bytes)) {
                continue;
            }
            try {
                KeyFile parsed = KeyFile.parse(mutated);
                Identity result = parsed.open(PASSCODE);
                // Only a change without meaning (e.g. JSON whitespace) may still open, and then
                // to the very same file.
                assertThat(parsed.toBytes()).as("case %d, seed %d", i, SEED).isEqualTo(bytes);
                assertThat(result.privateKey()).isEqualTo(identity.privateKey());
                opened++;
            } catch (ProtocolException expected) {
                // refused, as it should be
            } catch (Throwable t) {
                fail(
                        "case " + i + " (seed " + SEED + ") threw " + t + " for "
                                + new String(mutated, StandardCharsets.UTF_8),
                        t);
            }
        }
        assertThat(opened).as("only meaning-preserving edits open").isLessThan(300);
    }

    @Test
    void randomBytesAreRefusedWithProtocolException() {
        Random rnd = new Random(SEED + 1);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[rnd.nextInt(600)];
            rnd.nextBytes(junk);
            try {
                KeyFile.parse(junk);
                fail("random bytes parsed as a key file, case " + i + " seed " + (SEED + 1));
            } catch (ProtocolException expected) {
                // refused
            } catch (Throwable t) {
                fail("case " + i + " (seed " + (SEED + 1) + ") threw " + t, t);
            }
        }
    }

    private static byte[] mutate(byte[] in, Random rnd, String alphabet) {
        byte[] out = in.clone();
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int pos = rnd.nextInt(out.length);
            switch (rnd.nextInt(4)) {
                case 0 -> out[pos] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> out[pos] = (byte) alphabet.charAt(rnd.nextInt(alphabet.length()));
                case 2 -> { // delete a byte
                    byte[] shorter = new byte[out.length - 1];
                    System.arraycopy(out, 0, shorter, 0, pos);
                    System.arraycopy(out, pos + 1, shorter, pos, out.length - pos - 1);
                    out = shorter.length == 0 ? out : shorter;
                }
                default -> { // insert a byte
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, pos);
                    longer[pos] = (byte) alphabet.charAt(rnd.nextInt(alphabet.length()));
                    System.arraycopy(out, pos, longer, pos + 1, out.length - pos);
                    out = longer;
                }
            }
        }
        return out;
    }
}
