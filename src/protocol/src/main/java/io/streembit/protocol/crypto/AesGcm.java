package io.streembit.protocol.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * AES-256-GCM through the JDK's own provider (AES-NI): Bouncy Castle's GCM is 10-50x slower,
 * so AES never goes through BC. Ciphertext and the 16-byte tag are kept separate, as JWE does.
 */
public final class AesGcm {
    public static final int KEY_BYTES = 32;
    public static final int IV_BYTES = 12;
    public static final int TAG_BYTES = 16;

    private AesGcm() {}

    /** A sealed message: ciphertext and tag. */
    public record Sealed(byte[] ciphertext, byte[] tag) {}

    /** Thrown when the tag does not verify: wrong key, or modified ciphertext/AAD/tag. */
    public static final class TagMismatchException extends Exception {
        public TagMismatchException() {
            super("AES-GCM authentication failed");
        }
    }

    public static Sealed seal(byte[] key, byte[] iv, byte[] plaintext, byte[] aad) {
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, iv, aad);
            byte[] out = cipher.doFinal(plaintext);
            byte[] ct = java.util.Arrays.copyOfRange(out, 0, out.length - TAG_BYTES);
            byte[] tag = java.util.Arrays.copyOfRange(out, out.length - TAG_BYTES, out.length);
            return new Sealed(ct, tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is required of every JDK", e);
        }
    }

    public static byte[] open(byte[] key, byte[] iv, byte[] ciphertext, byte[] tag, byte[] aad)
            throws TagMismatchException {
        if (key.length != KEY_BYTES || iv.length != IV_BYTES || tag.length != TAG_BYTES) {
            throw new TagMismatchException();
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, iv, aad);
            byte[] in = new byte[ciphertext.length + tag.length];
            System.arraycopy(ciphertext, 0, in, 0, ciphertext.length);
            System.arraycopy(tag, 0, in, ciphertext.length, tag.length);
            return cipher.doFinal(in);
        } catch (AEADBadTagException e) {
            throw new TagMismatchException();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is required of every JDK", e);
        }
    }

    /**
     * One key for many messages, each under its own IV, as a transport direction uses it: the
     * cipher and its key schedule are made once (per message they were a third of a DHT frame's
     * cost), and the tag travels appended to the ciphertext. Not thread-safe: one per direction.
     */
    public static final class Keyed {
        private final SecretKeySpec key;
        private final Cipher cipher;

        public Keyed(byte[] key) {
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("AES-256 needs a " + KEY_BYTES + "-byte key");
            }
            this.key = new SecretKeySpec(key, "AES");
            try {
                this.cipher = newCipher();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-256-GCM is required of every JDK", e);
            }
        }

        /** ciphertext || 16-byte tag; {@code iv} must never repeat under this key. */
        public byte[] seal(byte[] iv, byte[] plaintext) {
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, iv));
                return cipher.doFinal(plaintext);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-256-GCM is required of every JDK", e);
            }
        }

        /** The plaintext of ciphertext || tag. */
        public byte[] open(byte[] iv, byte[] sealed) throws TagMismatchException {
            if (iv.length != IV_BYTES || sealed.length < TAG_BYTES) {
                throw new TagMismatchException();
            }
            try {
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, iv));
                return cipher.doFinal(sealed);
            } catch (AEADBadTagException e) {
                throw new TagMismatchException();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-256-GCM is required of every JDK", e);
            }
        }
    }

    private static Cipher newCipher() throws GeneralSecurityException {
        try {
            // Named so that a Bouncy Castle JCA provider registered by someone else never wins.
            return Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        } catch (java.security.NoSuchProviderException e) {
            return Cipher.getInstance("AES/GCM/NoPadding");
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] iv, byte[] aad) throws GeneralSecurityException {
        Cipher cipher = newCipher();
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, iv));
        if (aad != null && aad.length > 0) {
            cipher.updateAAD(aad);
        }
        return cipher;
    }
}
