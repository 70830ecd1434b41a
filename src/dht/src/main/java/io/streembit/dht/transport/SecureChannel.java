package io.streembit.dht.transport;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.AesGcm;

import java.nio.ByteBuffer;

/**
 * The AEAD state of one session: one AES-256-GCM key per direction, and a 64-bit frame
 * counter per direction used as the nonce ({@code 00000000 || counter}, big-endian). The
 * receiver expects exactly the next counter value, so a replayed, reordered or dropped frame
 * fails authentication and closes the session.
 */
public final class SecureChannel {
    private final byte[] sendKey;
    private final byte[] receiveKey;
    private long sendCounter;
    private long receiveCounter;

    SecureChannel(byte[] sendKey, byte[] receiveKey) {
        this.sendKey = sendKey;
        this.receiveKey = receiveKey;
    }

    /** Encrypts the next outgoing frame: ciphertext || 16-byte tag. */
    public byte[] seal(byte[] plaintext) {
        AesGcm.Sealed sealed = AesGcm.seal(sendKey, nonce(sendCounter++), plaintext, null);
        byte[] out = new byte[sealed.ciphertext().length + AesGcm.TAG_BYTES];
        System.arraycopy(sealed.ciphertext(), 0, out, 0, sealed.ciphertext().length);
        System.arraycopy(sealed.tag(), 0, out, sealed.ciphertext().length, AesGcm.TAG_BYTES);
        return out;
    }

    /** Decrypts the next incoming frame, which must carry exactly the next counter. */
    public byte[] open(byte[] frame) throws ProtocolException {
        if (frame.length < AesGcm.TAG_BYTES) {
            throw new ProtocolException(ErrorCode.MALFORMED, "frame shorter than its tag");
        }
        byte[] ct = java.util.Arrays.copyOfRange(frame, 0, frame.length - AesGcm.TAG_BYTES);
        byte[] tag = java.util.Arrays.copyOfRange(frame, frame.length - AesGcm.TAG_BYTES, frame.length);
        try {
            byte[] plaintext = AesGcm.open(receiveKey, nonce(receiveCounter), ct, tag, null);
            receiveCounter++;
            return plaintext;
        } catch (AesGcm.TagMismatchException e) {
            throw new ProtocolException(ErrorCode.DECRYPT_FAILED,
                    "frame " + receiveCounter + " failed authentication (replayed, reordered or forged)");
        }
    }

    private static byte[] nonce(long counter) {
        return ByteBuffer.allocate(AesGcm.IV_BYTES).putInt(0).putLong(counter).array();
    }
}
