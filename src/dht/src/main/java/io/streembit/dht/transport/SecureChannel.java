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
    private final AesGcm.Keyed send;
    private final AesGcm.Keyed receive;
    private long sendCounter;
    private long receiveCounter;

    SecureChannel(byte[] sendKey, byte[] receiveKey) {
        this.send = new AesGcm.Keyed(sendKey);
        this.receive = new AesGcm.Keyed(receiveKey);
    }

    /** Encrypts the next outgoing frame: ciphertext || 16-byte tag. */
    public byte[] seal(byte[] plaintext) {
        return send.seal(nonce(sendCounter++), plaintext);
    }

    /** Decrypts the next incoming frame, which must carry exactly the next counter. */
    public byte[] open(byte[] frame) throws ProtocolException {
        if (frame.length < AesGcm.TAG_BYTES) {
            throw new ProtocolException(ErrorCode.MALFORMED, "frame shorter than its tag");
        }
        try {
            byte[] plaintext = receive.open(nonce(receiveCounter), frame);
            receiveCounter++;
            return plaintext;
        } catch (AesGcm.TagMismatchException e) {
            throw new ProtocolException(
                    ErrorCode.DECRYPT_FAILED,
                    "frame " + receiveCounter + " failed authentication (replayed, reordered or forged)");
        }
    }

    private static byte[] nonce(long counter) {
        return ByteBuffer.allocate(AesGcm.IV_BYTES).putInt(0).putLong(counter).array();
    }
}
