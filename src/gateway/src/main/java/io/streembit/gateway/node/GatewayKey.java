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

/**
 * The gateway key: the identity devices know from the gateway's offer (feeds are encrypted to
 * it, acks and commands are signed with it). Opened once at start from the key file.
 */
@ApplicationScoped
public class GatewayKey {
    private static final Logger LOG = Logger.getLogger(GatewayKey.class);

    @Produces
    @Singleton
    Identity gatewayIdentity(GatewayConfig config) {
        Path file = config.key().file();
        char[] passcode = config.key().passcode().toCharArray();
        try {
            if (!Files.exists(file) && config.key().generate()) {
                Identity created = Identity.generate(new SecureRandom());
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                KeyFile.create(created, passcode, KdfParams.DEFAULT, new SecureRandom())
                        .write(file);
                LOG.infof("created gateway key file %s (account %s)", file, created.account());
                return created;
            }
            return KeyFile.read(file).open(passcode);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the gateway key file " + file, e);
        } catch (ProtocolException e) {
            throw new IllegalStateException("gateway key file " + file + ": " + e.getMessage(), e);
        }
    }
}
