package io.streembit.protocol.offer;

import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.TestVectors;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.td.ThingDescription;

/** The fixed inputs of the byte-exact contact offer vector (docs/protocol.md section 7). */
final class OfferVector {
    static final String PRIVATE_HEX = "1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d2f4a";
    static final String TD =
            "{\"@context\":\"https://www.w3.org/2022/wot/td/v1.1\",\"id\":\"urn:example:streembit:lamp-01\","
                    + "\"title\":\"Lamp\",\"properties\":{\"on\":{\"type\":\"boolean\",\"readOnly\":true}},\"actions\":{\"toggle\":{}}}";
    static final String HOST = "192.0.2.10";
    static final int PORT = 32320;
    static final String TRANSPORT = "tcp";

    private OfferVector() {}

    static Identity identity() {
        return TestVectors.identity(PRIVATE_HEX);
    }

    static ThingDescription td() {
        try {
            return ThingDescription.parse(TD);
        } catch (ProtocolException e) {
            throw new IllegalStateException(e);
        }
    }
}
