package io.streembit.gateway.node;

import io.streembit.gateway.config.GatewayConfig;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.keyfile.KdfParams;
import io.streembit.protocol.keyfile.KeyFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The gateway's two keys, opened once at start. The gateway key is the identity devices know
 * from the gateway's offer (feeds are encrypted to it, acks and commands are signed with it) and
 * every replica shares it. The node key is the id of this replica's DHT node ({@link NodeKey}).
 */
@ApplicationScoped
public class GatewayKey {
    private static final Logger LOG = Logger.getLogger(GatewayKey.class);
    static final String NODE_KEY_FILE = "node.key";

    @Produces
    @Singleton
    Identity gatewayIdentity(GatewayConfig config) {
        return openOrCreate(
                config.key().file(), config.key().passcode(), config.key().generate(), "gateway key");
    }

    @Produces
    @Singleton
    NodeKey nodeKey(GatewayConfig config, Identity gateway) {
        NodeKey key = nodeKey(
                config.dht().nodeKeyFile(),
                config.dht().dataDir(),
                config.cluster().enabled(),
                config.key().passcode(),
                gateway);
        LOG.infof("DHT node key: %s (node id %s)", key.source(), key.identity().nodeId());
        return key;
    }

    /**
     * Which key the DHT node runs with: the configured file; else, alone, the gateway key (the
     * node id of a single replica never changed); else, in a cluster, one of this replica's own,
     * kept in its data directory when it has one. A cluster member whose node key is the shared
     * gateway key is refused: every replica would claim the same node id.
     */
    static NodeKey nodeKey(
            Optional<Path> file, Optional<Path> dataDir, boolean cluster, String passcode, Identity gateway) {
        NodeKey key;
        if (file.isPresent()) {
            key = new NodeKey(
                    openOrCreate(file.get(), passcode, true, "node key"),
                    file.get().toString());
        } else if (!cluster) {
            key = new NodeKey(gateway, "the gateway key (a single replica)");
        } else if (dataDir.isPresent()) {
            Path inDataDir = dataDir.get().resolve(NODE_KEY_FILE);
            key = new NodeKey(openOrCreate(inDataDir, passcode, true, "node key"), inDataDir.toString());
        } else {
            key = new NodeKey(
                    Identity.generate(new SecureRandom()), "a fresh key for this run (no streembit.dht.data-dir)");
        }
        if (cluster && key.identity().nodeId().equals(gateway.nodeId())) {
            throw new IllegalStateException("streembit.dht.node-key-file: in a cluster each replica needs a node key"
                    + " of its own, not the gateway key every replica shares (two DHT nodes would have one node id)");
        }
        return key;
    }

    private static Identity openOrCreate(Path file, String passcode, boolean create, String what) {
        char[] chars = passcode.toCharArray();
        try {
            if (!Files.exists(file) && create) {
                Identity created = Identity.generate(new SecureRandom());
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                KeyFile.create(created, chars, KdfParams.DEFAULT, new SecureRandom())
                        .write(file);
                LOG.infof("created %s file %s (account %s)", what, file, created.account());
                return created;
            }
            return KeyFile.read(file).open(chars);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + what + " file " + file, e);
        } catch (ProtocolException e) {
            throw new IllegalStateException(what + " file " + file + ": " + e.getMessage(), e);
        }
    }
}
