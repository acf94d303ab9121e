package dev.reelflux.core.testing;

import java.util.Objects;

/**
 * A misbehaviour of a {@link TestHttpServer} on one path, installed with {@link TestHttpServer#fault(String, Fault)}.
 *
 * <p>Immutable. A fault applies to every request it matches, or only to the first {@code k} after {@link #times(int)};
 * after that the path serves normally. A request the fault does not match (for example a ranged request starting past
 * a {@link #resetAt(long) reset offset}) is served normally and does not use up one of the {@code k}.
 *
 * <p>Offsets are absolute positions in the served {@link Content}, whatever the request's range: a fault at offset
 * {@code o} matches a GET whose body covers {@code [start, end)} when {@code start <= o < end}, and sends the bytes
 * {@code [start, o)} before misbehaving. The connection-level faults act on the TCP connection, so under HTTP/2 they end
 * every stream on it.
 */
public final class Fault {

    /**
     * What a fault does; the server switches on it.
     */
    enum Kind {
        NONE, RESET_AT, TRUNCATE_AT, STALL_AT, STALL_BEFORE_HEADERS, STATUS, IGNORE_RANGE, WRONG_CONTENT_LENGTH,
        WRONG_CONTENT_RANGE
    }

    /**
     * The {@link #times()} of a fault that applies to every matching request.
     */
    static final int EVERY_REQUEST = -1;

    private static final Fault NONE = new Fault(Kind.NONE, 0, EVERY_REQUEST);

    private final Kind kind;
    private final long argument;
    private final int times;

    private Fault(Kind kind, long argument, int times) {
        this.kind = kind;
        this.argument = argument;
        this.times = times;
    }

    /**
     * No fault: installing it clears the path's fault.
     *
     * @return the empty fault
     */
    public static Fault none() {
        return NONE;
    }

    /**
     * After the body bytes before {@code offset}, abort the TCP connection with a RST (SO_LINGER 0, then close). As with
     * a real reset, bytes still in the server's socket buffer are lost; a client that reads promptly gets them all.
     *
     * @param offset absolute content offset, {@code >= 0}
     * @return the fault
     */
    public static Fault resetAt(long offset) {
        return new Fault(Kind.RESET_AT, nonNegative(offset, "offset"), EVERY_REQUEST);
    }

    /**
     * After the body bytes before {@code offset}, close the TCP connection cleanly (FIN) although {@code Content-Length}
     * promised more. Under TLS no {@code close_notify} is sent, so the client sees a truncated TLS stream.
     *
     * @param offset absolute content offset, {@code >= 0}
     * @return the fault
     */
    public static Fault truncateAt(long offset) {
        return new Fault(Kind.TRUNCATE_AT, nonNegative(offset, "offset"), EVERY_REQUEST);
    }

    /**
     * After the body bytes before {@code offset}, send nothing more but keep the connection open, until the client gives
     * up or the server is closed.
     *
     * @param offset absolute content offset, {@code >= 0}
     * @return the fault
     */
    public static Fault stallAt(long offset) {
        return new Fault(Kind.STALL_AT, nonNegative(offset, "offset"), EVERY_REQUEST);
    }

    /**
     * Accept the request and never answer it (not even the status line). Matches every request, whatever its method.
     *
     * @return the fault
     */
    public static Fault stallBeforeHeaders() {
        return new Fault(Kind.STALL_BEFORE_HEADERS, 0, EVERY_REQUEST);
    }

    /**
     * Answer {@code code} with a short {@code text/plain} body (none for 204 and 304), instead of the content or
     * redirect. Matches every request, even on a path that serves nothing.
     *
     * @param code an HTTP status code in {@code [200, 599]}
     * @return the fault
     */
    public static Fault status(int code) {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("status must be in [200, 599]: " + code);
        }
        return new Fault(Kind.STATUS, code, EVERY_REQUEST);
    }

    /**
     * Answer a request that has a {@code Range} header with 200 and the whole body, and no {@code Accept-Ranges}
     * header, like a server without range support. Matches only requests with a {@code Range} header.
     *
     * @return the fault
     */
    public static Fault ignoreRange() {
        return new Fault(Kind.IGNORE_RANGE, 0, EVERY_REQUEST);
    }

    /**
     * Declare {@code Content-Length: declared} but send the real bytes; under HTTP/1.1 the connection is closed after
     * the response, so too few bytes end at EOF and surplus bytes cannot be read as the next response.
     *
     * @param declared the length to declare, {@code >= 0}
     * @return the fault
     */
    public static Fault wrongContentLength(long declared) {
        return new Fault(Kind.WRONG_CONTENT_LENGTH, nonNegative(declared, "declared"), EVERY_REQUEST);
    }

    /**
     * Answer a satisfiable single range {@code a-b} with 206, the right bytes and {@code Content-Length}, but a
     * {@code Content-Range} whose start is one off: {@code (a-1)-(b-1)}, or {@code 1-(b+1)} when {@code a} is 0.
     * Matches only requests that would get a 206.
     *
     * @return the fault
     */
    public static Fault wrongContentRange() {
        return new Fault(Kind.WRONG_CONTENT_RANGE, 0, EVERY_REQUEST);
    }

    /**
     * This fault for the first {@code k} matching requests only; the path then serves normally.
     *
     * @param k how many matching requests get the fault, {@code >= 1}
     * @return a copy limited to {@code k} requests
     */
    public Fault times(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("times must be >= 1: " + k);
        }
        return kind == Kind.NONE ? this : new Fault(kind, argument, k);
    }

    Kind kind() {
        return kind;
    }

    /**
     * The offset, status code or declared length, depending on {@link #kind()}.
     */
    long argument() {
        return argument;
    }

    /**
     * How many matching requests get the fault, or {@link #EVERY_REQUEST}.
     */
    int times() {
        return times;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Fault that && kind == that.kind && argument == that.argument && times == that.times;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, argument, times);
    }

    @Override
    public String toString() {
        String name = switch (kind) {
            case NONE -> "none()";
            case RESET_AT -> "resetAt(" + argument + ")";
            case TRUNCATE_AT -> "truncateAt(" + argument + ")";
            case STALL_AT -> "stallAt(" + argument + ")";
            case STALL_BEFORE_HEADERS -> "stallBeforeHeaders()";
            case STATUS -> "status(" + argument + ")";
            case IGNORE_RANGE -> "ignoreRange()";
            case WRONG_CONTENT_LENGTH -> "wrongContentLength(" + argument + ")";
            case WRONG_CONTENT_RANGE -> "wrongContentRange()";
        };
        return times == EVERY_REQUEST ? name : name + ".times(" + times + ")";
    }

    private static long nonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0: " + value);
        }
        return value;
    }
}
