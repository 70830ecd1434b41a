package io.streembit.cli;

import io.streembit.protocol.Json;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.keyfile.KeyFile;
import io.streembit.protocol.offer.ContactOffer;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.UserType;
import io.streembit.protocol.offer.VerifiedContactOffer;
import io.streembit.protocol.td.ThingDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code streembit offer ...}: make and read contact offers (docs/protocol.md section 7). */
@Command(name = "offer", description = "Create and inspect contact offers (signed, armored introductions).")
public final class OfferCommands {
    private final Terminal terminal;
    private final KeyFiles keyFiles;

    public OfferCommands(Terminal terminal) {
        this.terminal = terminal;
        this.keyFiles = new KeyFiles(terminal);
    }

    @Command(
            name = "create",
            description = {
                "Sign a contact offer for the key in FILE and print it armored.",
                "--td adds a device's Thing Description (checked before the passcode is asked).",
                "Passcode: STREEMBIT_PASSCODE, else the terminal prompt, else one line of standard input."
            })
    int create(
            @Option(
                            names = "--key",
                            required = true,
                            paramLabel = "FILE",
                            description = "key file of the party the offer introduces")
                    Path key,
            @Option(names = "--type", required = true, paramLabel = "TYPE", description = "device, human or gateway")
                    String type,
            @Option(
                            names = "--host",
                            required = true,
                            paramLabel = "H",
                            description = "host name or IP address where the party listens")
                    String host,
            @Option(
                            names = "--port",
                            required = true,
                            paramLabel = "P",
                            description = "TCP port where the party listens (1-65535)")
                    int port,
            @Option(
                            names = "--transport",
                            defaultValue = "tcp",
                            paramLabel = "T",
                            description = "transport (default: ${DEFAULT-VALUE})")
                    String transport,
            @Option(names = "--td", paramLabel = "FILE", description = "Thing Description JSON to include") Path tdFile)
            throws Exception {
        UserType userType = UserType.fromWire(type);
        if (userType == null) {
            throw new CliException("--type must be device, human or gateway");
        }
        ThingDescription td = tdFile == null ? null : ThingDescription.parse(readLimited(tdFile));
        KeyFile keyFile = keyFiles.read(key);
        try {
            // The offer's own rules on host, port and transport, checked before the passcode is asked.
            new ContactOffer(keyFile.account(), keyFile.publicKey(), userType, host, port, transport, null);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        Identity identity = keyFiles.open(key, false);
        try {
            terminal.out().print(ContactOffers.create(identity, userType, host, port, transport, td));
            return 0;
        } finally {
            identity.privateKey().destroy();
        }
    }

    @Command(
            name = "inspect",
            description = {
                "Verify a contact offer (from FILE, or standard input) and print its content as JSON.",
                "Accepts the armored block with any text around it, or a bare token. A valid offer proves only that"
                        + " its maker holds the key it introduces; whether to trust that key is your decision."
            })
    int inspect(
            @Parameters(
                            arity = "0..1",
                            paramLabel = "FILE",
                            description = "file holding the offer (default: standard input)")
                    Path file)
            throws Exception {
        byte[] bytes = file == null ? readLimited(terminal.in(), "standard input") : readLimited(file);
        VerifiedContactOffer offer = ContactOffers.parse(new String(bytes, StandardCharsets.UTF_8));
        terminal.out().println(Json.text(offer.json()));
        return 0;
    }

    static byte[] readLimited(Path file) throws IOException, CliException {
        try (InputStream in = Files.newInputStream(file)) {
            return readLimited(in, file.toString());
        }
    }

    /** Offers and TDs are small; stop early on anything larger (ContactOffers refuses it anyway). */
    private static byte[] readLimited(InputStream in, String what) throws IOException, CliException {
        byte[] bytes = in.readNBytes(ContactOffers.MAX_TEXT_CHARS + 1);
        if (bytes.length > ContactOffers.MAX_TEXT_CHARS) {
            throw new CliException(what + " is larger than " + ContactOffers.MAX_TEXT_CHARS + " bytes");
        }
        return bytes;
    }
}
