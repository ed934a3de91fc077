package dev.switchboard.edge.pipeline;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import javax.net.ssl.SSLException;

/**
 * TLS for the public port: a PEM certificate chain and PKCS#8 key, served with
 * OpenSSL (BoringSSL, from netty-tcnative) where it loads, else the JDK's TLS.
 */
public final class Tls {
    private Tls() {
    }

    public static SslContext server(File certChainPem, File privateKeyPem) throws SSLException {
        return SslContextBuilder.forServer(certChainPem, privateKeyPem).sslProvider(provider()).build();
    }

    public static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }
}
