package dev.reelflux.examples;

/**
 * A command line (or a configuration) that parses but cannot run, found by the command itself: the command prints
 * the message with its usage and exits with 2, as picocli does for a value it cannot parse.
 */
final class UsageException extends IllegalArgumentException {

    UsageException(String message) {
        super(message);
    }
}
