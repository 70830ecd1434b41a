package io.streembit.cli;

import io.streembit.protocol.ProtocolException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns every failure into one line on stderr, {@code streembit: <reason>}, and an exit code:
 * {@value StreembitCli#EXIT_FAILED} for a failed command (a protocol error code such as
 * {@code bad-signature} leads the reason), {@value StreembitCli#EXIT_USAGE} for a command line
 * picocli cannot parse. No stack traces: messages in this code base carry no key material, a
 * trace adds nothing an operator can act on.
 */
final class FailureReport implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final PrintStream err;

    FailureReport(PrintStream err) {
        this.err = err;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        err.println("streembit: " + oneLine(describe(e)));
        err.flush();
        return StreembitCli.EXIT_FAILED;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        String help = e.getCommandLine().getCommandSpec().qualifiedName() + " --help";
        String message = e instanceof UnmatchedArgumentException unmatched ? unmatched(unmatched) : e.getMessage();
        err.println("streembit: " + oneLine(message) + " (see '" + help + "')");
        err.flush();
        return StreembitCli.EXIT_USAGE;
    }

    /**
     * Names unknown options but never repeats unexpected values: someone who tries
     * {@code --passcode SECRET} must not find the secret echoed into a CI log.
     */
    private static String unmatched(UnmatchedArgumentException e) {
        List<String> args = e.getUnmatched();
        if (!e.getCommandLine().getSubcommands().isEmpty()
                && !args.isEmpty()
                && !args.get(0).startsWith("-")) {
            return "unknown command '" + args.get(0) + "'";
        }
        List<String> options = new ArrayList<>();
        int values = 0;
        for (String arg : args) {
            if (arg.startsWith("-")) {
                options.add("'" + arg.split("=", 2)[0] + "'");
            } else {
                values++;
            }
        }
        StringBuilder message = new StringBuilder();
        if (!options.isEmpty()) {
            message.append(options.size() == 1 ? "unknown option " : "unknown options ")
                    .append(String.join(", ", options));
        }
        if (values > 0) {
            message.append(message.length() > 0 ? " and " : "")
                    .append(values)
                    .append(values == 1 ? " unexpected argument" : " unexpected arguments");
        }
        if (options.stream().anyMatch(o -> o.toLowerCase(Locale.ROOT).contains("pass"))) {
            message.append("; a passcode is never a flag: set STREEMBIT_PASSCODE or answer the prompt");
        }
        return message.toString();
    }

    static String describe(Exception e) {
        if (e instanceof ProtocolException || e instanceof CliException) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file";
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + ": already exists";
        }
        if (e instanceof NotDirectoryException f) {
            return f.getFile() + ": not a directory";
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() == null ? "cannot access" : f.getReason());
        }
        if (e instanceof IOException) {
            return "I/O error: " + e.getMessage();
        }
        return "internal error: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String oneLine(String text) {
        return text == null
                ? "failed"
                : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
