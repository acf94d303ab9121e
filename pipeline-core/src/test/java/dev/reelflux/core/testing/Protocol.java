package dev.reelflux.core.testing;

/**
 * What a {@link TestHttpServer} speaks on its one port.
 */
public enum Protocol {

    /**
     * Plain HTTP/1.1 on {@code http://127.0.0.1:port}. No HTTP/2 at all, so a JDK {@code HttpClient} (which offers an
     * h2c upgrade by default) stays on HTTP/1.1 and connection reuse is observable.
     */
    HTTP11,

    /**
     * Cleartext HTTP/2 on {@code http://127.0.0.1:port}: prior knowledge (the client starts with the HTTP/2 preface),
     * an HTTP/1.1 {@code Upgrade: h2c} request, or plain HTTP/1.1 for a client that asks for neither.
     * {@link RequestLog#protocol()} tells which one a request used.
     */
    H2C,

    /**
     * HTTPS on {@code https://localhost:port} with ALPN offering {@code h2} and {@code http/1.1}, and a self-signed
     * certificate for {@code localhost} and {@code 127.0.0.1}; clients trust it through
     * {@link TestHttpServer#clientSslContext()} (Netty, Reactor Netty) or {@link TestHttpServer#jdkClientSslContext()}
     * ({@code java.net.http.HttpClient}). Needs {@code io.netty:netty-pkitesting} on the test class path.
     */
    H2_TLS
}
