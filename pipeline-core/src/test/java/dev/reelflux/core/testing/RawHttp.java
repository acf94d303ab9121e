package dev.reelflux.core.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare HTTP/1.1 client on a socket, for what {@code java.net.http} hides from a test: the exact bytes that came
 * before a reset, EOF versus RST, read timeouts, and a client that simply stops reading.
 */
final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /**
     * Connects to the host and port of {@code uri} with a read timeout.
     */
    static RawHttp connect(URI uri, Duration readTimeout) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        socket.setSoTimeout((int) readTimeout.toMillis());
        return new RawHttp(socket);
    }

    /**
     * Sends a request for the path of {@code uri} with extra header lines such as {@code "Range: bytes=0-9"}.
     */
    RawHttp send(String method, URI uri, String... headers) throws IOException {
        StringBuilder request = new StringBuilder(method).append(' ').append(uri.getRawPath()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(US_ASCII));
        socket.getOutputStream().flush();
        return this;
    }

    /**
     * Reads the status line and headers.
     */
    Head readHead() throws IOException {
        String statusLine = line();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Head(Integer.parseInt(statusLine.split(" ")[1]), headers);
    }

    /**
     * Reads exactly {@code n} body bytes.
     */
    byte[] readBytes(int n) throws IOException {
        return in.readNBytes(n);
    }

    /**
     * Reads until EOF, a reset or a read timeout, keeping what came.
     */
    Ending readToEnd() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                body.write(buffer, 0, n);
            }
            return new Ending(body.toByteArray(), null);
        } catch (IOException e) {
            return new Ending(body.toByteArray(), e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed in the response head");
            }
            line.write(b);
        }
        return line.toString(US_ASCII).strip();
    }

    /**
     * A response's status and headers (names in lower case).
     */
    record Head(int status, Map<String, String> headers) {
    }

    /**
     * The body bytes that came, and the error that ended the read, or {@code null} for a clean EOF.
     */
    record Ending(byte[] body, IOException error) {
    }
}
