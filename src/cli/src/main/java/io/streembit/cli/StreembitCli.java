package io.streembit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;

/**
 * {@code streembit}: the operator's command line. Each command group is one class whose
 * constructor takes the {@link Terminal}; adding a group is one class and
 * one line in {@link #COMMAND_GROUPS}.
 */
@Command(
        name = "streembit",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = StreembitCli.Version.class,
        description = {
            "Streembit keys, signatures, encryption, contact offers, DHT nodes and records, simulated devices.",
            "Passcodes come from STREEMBIT_PASSCODE or a prompt, never a flag."
        },
        footer = {"", "Exit status: 0 success, 1 failure (one line on stderr says why), 2 bad command line."})
public final class StreembitCli {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    /** The command groups, in the order the help lists them. */
    static final List<Function<Terminal, Object>> COMMAND_GROUPS = List.of(
            KeyCommands::new,
            JwsCommands::new,
            JweCommands::new,
            OfferCommands::new,
            NodeCommand::new,
            DhtCommands::new,
            SimulateCommand::new,
            DemoCommand::new);

    public static void main(String[] args) {
        System.exit(run(Terminal.system(), args));
    }

    /** Runs one command line against {@code terminal}; returns the exit status. */
    public static int run(Terminal terminal, String... args) {
        return run(terminal, COMMAND_GROUPS, args);
    }

    static int run(Terminal terminal, List<Function<Terminal, Object>> groups, String... args) {
        CommandLine cli = commandLine(terminal, groups);
        try {
            return cli.execute(args);
        } finally {
            terminal.out().flush();
            terminal.err().flush();
        }
    }

    static CommandLine commandLine(Terminal terminal) {
        return commandLine(terminal, COMMAND_GROUPS);
    }

    /** The command line with these groups (tests swap one for a variant they can stop). */
    static CommandLine commandLine(Terminal terminal, List<Function<Terminal, Object>> groups) {
        CommandLine cli = new CommandLine(new StreembitCli());
        for (Function<Terminal, Object> group : groups) {
            cli.addSubcommand(group.apply(terminal));
        }
        FailureReport report = new FailureReport(terminal.err());
        cli.setOut(new PrintWriter(terminal.out(), true));
        cli.setErr(new PrintWriter(terminal.err(), true));
        cli.setExecutionExceptionHandler(report);
        cli.setParameterExceptionHandler(report);
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = StreembitCli.class.getPackage().getImplementationVersion();
            return new String[] {"streembit " + (version == null ? "(development build)" : version)};
        }
    }
}
