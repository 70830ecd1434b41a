package io.streembit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.keyfile.KdfParams;
import io.streembit.protocol.keyfile.KeyFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;

/** The key-file steps the command groups share: read, open with a passcode, choose KDF cost. */
final class KeyFiles {
    /**
     * STREEMBIT_KDF=insecure-test makes new key files with trivially cheap Argon2id parameters,
     * so that tests creating many files stay fast. Never for real keys: such a file falls to a
     * passcode guessing attack far sooner. Unset (the only production setting) gives
     * {@link KdfParams#DEFAULT}.
     */
    static final String KDF_ENV = "STREEMBIT_KDF";

    static final String INSECURE_TEST_KDF = "insecure-test";
    static final KdfParams INSECURE_TEST_PARAMS = new KdfParams(1024, 1, 1);

    private final Terminal terminal;
    private final Passcodes passcodes;

    KeyFiles(Terminal terminal) {
        this.terminal = terminal;
        this.passcodes = new Passcodes(terminal);
    }

    Passcodes passcodes() {
        return passcodes;
    }

    KeyFile read(Path path) throws IOException, ProtocolException {
        return KeyFile.read(path);
    }

    /** Reads and opens a key file, asking for its passcode. */
    Identity open(Path path, boolean stdinCarriesInput) throws IOException, ProtocolException, CliException {
        KeyFile file = read(path);
        char[] passcode = passcodes.existing(path.toString(), stdinCarriesInput);
        try {
            return file.open(passcode);
        } finally {
            Arrays.fill(passcode, '\0');
        }
    }

    /** The cost parameters for a new key file. */
    KdfParams newFileParams() throws CliException {
        String choice = terminal.env(KDF_ENV);
        if (choice == null) {
            return KdfParams.DEFAULT;
        }
        if (INSECURE_TEST_KDF.equals(choice)) {
            terminal.err()
                    .println("streembit: warning: " + KDF_ENV + "=" + INSECURE_TEST_KDF
                            + ": weak key-file protection, for tests only");
            return INSECURE_TEST_PARAMS;
        }
        throw new CliException(KDF_ENV + " must be unset (or '" + INSECURE_TEST_KDF + "', for tests only)");
    }

    /** Refuses to overwrite an existing file: a key file lost to a typo cannot be recovered. */
    static void refuseExisting(Path out) throws CliException {
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new CliException(out + " already exists; refusing to overwrite it");
        }
    }

    /** {"account", "public_key"}: what `key new` and `key import` print. */
    static String summary(KeyFile file) {
        ObjectNode node = Json.object();
        node.put("account", file.account());
        node.put("public_key", file.publicKey().hex());
        return Json.text(node);
    }
}
