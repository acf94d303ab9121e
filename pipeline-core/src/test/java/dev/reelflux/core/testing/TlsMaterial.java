package dev.reelflux.core.testing;

import io.netty.handler.ssl.SslContext;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import reactor.netty.http.Http2SslContextSpec;

/**
 * The self-signed certificate of {@link Protocol#H2_TLS} servers and the client contexts that trust it.
 *
 * <p>Made once per JVM and shared by all servers: key generation and the first use of Bouncy Castle take a noticeable
 * part of a second. Only this class touches {@code netty-pkitesting}, so HTTP-only users need not have it.
 */
final class TlsMaterial {

    private static TlsMaterial shared;

    final X509Certificate certificate;
    final PrivateKey privateKey;
    final SslContext nettyClient;
    final SSLContext jdkClient;

    private TlsMaterial(X509Bundle bundle) throws GeneralSecurityException, SSLException {
        this.certificate = bundle.getCertificate();
        this.privateKey = bundle.getKeyPair().getPrivate();
        this.nettyClient = Http2SslContextSpec.forClient()
                .configure(builder -> builder.trustManager(certificate))
                .sslContext();
        this.jdkClient = SSLContext.getInstance("TLS");
        jdkClient.init(null, bundle.toTrustManagerFactory().getTrustManagers(), null);
    }

    static synchronized TlsMaterial shared() {
        if (shared == null) {
            try {
                Instant now = Instant.now();
                shared = new TlsMaterial(new CertificateBuilder()
                        .subject("CN=localhost")
                        .addSanDnsName("localhost")
                        .addSanIpAddress("127.0.0.1")
                        // buildSelfSigned insists on a CA; the certificate is then its own trust anchor.
                        .setIsCertificateAuthority(true)
                        .setKeyUsage(true, CertificateBuilder.KeyUsage.digitalSignature,
                                CertificateBuilder.KeyUsage.keyCertSign)
                        .addExtendedKeyUsageServerAuth()
                        .notBefore(now.minus(Duration.ofDays(1)))
                        .notAfter(now.plus(Duration.ofDays(7)))
                        .ecp256()
                        .buildSelfSigned());
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the test server certificate", e);
            }
        }
        return shared;
    }

    /**
     * A server context for this certificate offering {@code h2} and {@code http/1.1} by ALPN.
     */
    Http2SslContextSpec serverSpec() {
        return Http2SslContextSpec.forServer(privateKey, certificate);
    }
}
