package dev.reelflux.examples;


import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The bearer tokens callers of {@code serve} must present ({@code --token-file}: one token per line, blank lines and
 * lines starting with {@code #} ignored, several for rotation). A presented token is compared with each one in time
 * that does not depend on where they differ: both are hashed with SHA-256 and the digests compared with the JDK's
 * constant-time {@link MessageDigest#isEqual}, every token checked, so neither the content nor the length of a token
 * leaks through the response time.
 */
final class CallerTokens {

    private static final String BEARER = "Bearer ";

    /** Admits every caller: no token file given. */
    static final CallerTokens OPEN = new CallerTokens(List.of());

    private final List<byte[]> digests;

    private CallerTokens(List<byte[]> digests) {
        this.digests = digests;
    }

    /**
     * The tokens of {@code file}.
     *
     * @throws UsageException when it cannot be read or holds no token
     */
    static CallerTokens read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("--token-file: cannot read " + file + ": " + e.getMessage());
        }
        List<byte[]> digests = lines.stream().map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(CallerTokens::digest).toList();
        if (digests.isEmpty()) {
            throw new UsageException("--token-file: no token in " + file);
        }
        return new CallerTokens(digests);
    }

    /** Whether callers must present a token. */
    boolean required() {
        return !digests.isEmpty();
    }

    /** Whether an {@code Authorization} header (null: none) carries one of the tokens. */
    boolean admits(String authorization) {
        if (!required()) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] presented = digest(authorization.substring(BEARER.length()).trim());
        boolean admitted = false;
        for (byte[] token : digests) {
            admitted |= MessageDigest.isEqual(token, presented);
        }
        return admitted;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
