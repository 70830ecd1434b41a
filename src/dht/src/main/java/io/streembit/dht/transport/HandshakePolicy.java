package io.streembit.dht.transport;

import io.streembit.dht.DhtOptions;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;

import java.time.Clock;
import java.util.Arrays;

/**
 * Decides whether a verified hello may open a session: protocol version, network id,
 * timestamp window, nonce echo, private-network allow-list, and not talking to ourselves.
 */
public final class HandshakePolicy {
    private final DhtOptions options;
    private final Clock clock;
    private final PublicKey self;

    public HandshakePolicy(DhtOptions options, Clock clock, PublicKey self) {
        this.options = options;
        this.clock = clock;
        this.self = self;
    }

    /**
     * @param hello         the peer's verified hello
     * @param ourNonce      for an initiator, the nonce the responder must echo; null for a responder
     * @param expectedPeer  the node id an initiator dialled, or null when unknown (bootstrap by address)
     */
    public void check(Hello hello, byte[] ourNonce, NodeId expectedPeer) throws ProtocolException {
        if (hello.version() != DhtOptions.PROTOCOL_VERSION) {
            throw new ProtocolException(ErrorCode.MALFORMED, "unsupported protocol version " + hello.version());
        }
        if (!options.networkId().equals(hello.network())) {
            throw new ProtocolException(ErrorCode.NOT_ALLOWED, "peer belongs to another network");
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - hello.timestamp());
        if (skew > options.clockSkew().getSeconds()) {
            throw new ProtocolException(ErrorCode.EXPIRED, "hello timestamp is " + skew + " s off");
        }
        if (ourNonce == null ? hello.peerNonce() != null : !Arrays.equals(ourNonce, hello.peerNonce())) {
            throw new ProtocolException(ErrorCode.MALFORMED, "hello does not answer this handshake");
        }
        if (hello.staticKey().equals(self)) {
            throw new ProtocolException(ErrorCode.BAD_KEY, "peer uses our own key");
        }
        if (expectedPeer != null && !expectedPeer.equals(hello.staticKey().nodeId())) {
            throw new ProtocolException(ErrorCode.BAD_KEY, "peer is not the node we dialled");
        }
        if (options.privateNetwork() && !options.allowList().contains(hello.staticKey())) {
            throw new ProtocolException(ErrorCode.NOT_ALLOWED, "key is not on this private network's allow-list");
        }
    }
}
