package io.streembit.gateway.node;

import io.streembit.protocol.identity.Identity;

/**
 * The key of this replica's DHT node: it signs the node's messages and its hash is the node id.
 * It signs no data: records (acks, commands) are signed with the gateway key every replica shares.
 *
 * @param identity the key pair
 * @param source   where it came from, for the start-up log
 */
public record NodeKey(Identity identity, String source) {}
