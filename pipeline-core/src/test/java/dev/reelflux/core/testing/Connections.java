package dev.reelflux.core.testing;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;
import reactor.core.publisher.Mono;

/**
 * TCP-level operations on the connections of a server: identity, and ending them below HTTP and TLS.
 */
final class Connections {

    private static final AttributeKey<Long> ID = AttributeKey.valueOf(Connections.class, "id");

    private Connections() {
    }

    /**
     * The TCP connection under {@code channel}: itself, or the parent of an HTTP/2 stream.
     */
    static Channel tcp(Channel channel) {
        return channel instanceof Http2StreamChannel stream ? stream.parent() : channel;
    }

    static void identify(Channel tcp, long id) {
        tcp.attr(ID).set(id);
    }

    /**
     * The id given to the TCP connection under {@code channel} when it was accepted.
     */
    static long id(Channel channel) {
        return tcp(channel).attr(ID).get();
    }

    /**
     * Closes the TCP connection under {@code channel} at the socket, with a RST when {@code reset}, else a FIN.
     *
     * <p>The close starts at the head of the pipeline, skipping the handlers above the socket: HTTP/2 would otherwise
     * wait up to 30 s for open streams to finish, and TLS would send {@code close_notify}, which a real broken
     * connection does not.
     *
     * @return completes when the connection is closed
     */
    static Mono<Void> abort(Channel channel, boolean reset) {
        Channel tcp = tcp(channel);
        if (reset) {
            tcp.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        ChannelHandlerContext first = tcp.pipeline().firstContext();
        ChannelFuture closed = first == null ? tcp.close() : first.close();
        return Mono.create(sink -> closed.addListener(done -> sink.success()));
    }
}
