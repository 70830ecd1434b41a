package io.streembit.protocol.crypto;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Picks the backend once per process: native libsecp256k1 when it loads (and
 * {@code streembit.crypto.backend} is not {@code bouncycastle}), Bouncy Castle otherwise.
 */
public final class Secp256k1Backends {
    private static final Logger LOG = Logger.getLogger(Secp256k1Backends.class.getName());
    private static final BouncyCastleSecp256k1 BOUNCY_CASTLE = new BouncyCastleSecp256k1();
    private static final Secp256k1 DEFAULT = choose();

    private Secp256k1Backends() {}

    /** The backend the process uses. */
    public static Secp256k1 get() {
        return DEFAULT;
    }

    public static Secp256k1 bouncyCastle() {
        return BOUNCY_CASTLE;
    }

    /** The native backend, or null when it cannot load here. */
    public static Secp256k1 nativeOrNull() {
        try {
            return NativeSecp256k1.load();
        } catch (Throwable e) {
            return null;
        }
    }

    private static Secp256k1 choose() {
        String wanted = System.getProperty(
                "streembit.crypto.backend", System.getenv().getOrDefault("STREEMBIT_CRYPTO_BACKEND", "auto"));
        if ("bouncycastle".equalsIgnoreCase(wanted)) {
            return BOUNCY_CASTLE;
        }
        try {
            return NativeSecp256k1.load();
        } catch (Throwable e) {
            LOG.log(Level.FINE, "native secp256k1 unavailable, using Bouncy Castle", e);
            return BOUNCY_CASTLE;
        }
    }
}
