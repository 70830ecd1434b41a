package io.streembit.gateway.ingest;

import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.td.ThingDescription;

/**
 * What a follower needs of one registered device: its key, its Thing Description, and where its
 * feed cursor stands ({@code cursorSeq} 0 and no hash for a device not heard from yet).
 */
public record ServedDevice(String id, PublicKey publicKey, ThingDescription td, long cursorSeq, String cursorHash) {
    public ServedDevice {
        if (cursorSeq < 0 || (cursorSeq > 0) != (cursorHash != null)) {
            throw new IllegalArgumentException("a cursor past 0 has a hash, and only then");
        }
    }

    /** The chain as the cursor left it: the next entry must link to it. */
    public FeedChain chain() {
        return cursorSeq == 0 ? FeedChain.genesis() : FeedChain.resume(cursorSeq, cursorHash);
    }
}
