package io.streembit.cli;

/** A failure the user can act on, reported as one line on stderr (never with key material). */
public final class CliException extends Exception {
    public CliException(String message) {
        super(message);
    }
}
