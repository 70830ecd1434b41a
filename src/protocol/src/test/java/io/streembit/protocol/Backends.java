package io.streembit.protocol;

import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.crypto.Secp256k1Backends;

import java.util.ArrayList;
import java.util.List;

/** Every secp256k1 backend that loads here, so tests run each of them. */
public final class Backends {
    private Backends() {}

    public static List<Secp256k1> all() {
        List<Secp256k1> all = new ArrayList<>();
        all.add(Secp256k1Backends.bouncyCastle());
        Secp256k1 nativeBackend = Secp256k1Backends.nativeOrNull();
        if (nativeBackend != null) {
            all.add(nativeBackend);
        }
        return all;
    }
}
