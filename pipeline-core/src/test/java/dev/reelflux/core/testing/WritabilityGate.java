package dev.reelflux.core.testing;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Lets a response body wait until its channel (the TCP connection, or the HTTP/2 stream with its flow-control window)
 * has drained below Netty's low water mark.
 *
 * <p>Why: Reactor Netty's {@code send} requests 128 items ahead and writes each as it arrives, so a body produced on
 * demand alone could pile 8 MB of 64 KB chunks into Netty's outbound buffer for a client that stopped reading. Producing
 * only while the channel is writable keeps what the server has sent within a chunk or two of the socket buffers, which
 * is what a test of a slow reader must observe.
 */
final class WritabilityGate extends ChannelInboundHandlerAdapter {

    private final Channel channel;
    // Touched only on the channel's event loop, like every Netty handler state.
    private MonoSink<Void> waiter;

    WritabilityGate(Channel channel) {
        this.channel = channel;
    }

    /**
     * Completes as soon as the channel is writable: at once, or at its next writability change.
     */
    Mono<Void> whenWritable() {
        return Mono.create(sink -> {
            if (channel.isWritable()) {
                sink.success();
                return;
            }
            EventLoop loop = channel.eventLoop();
            sink.onCancel(() -> loop.execute(() -> {
                if (waiter == sink) {
                    waiter = null;
                }
            }));
            if (loop.inEventLoop()) {
                park(sink);
            } else {
                loop.execute(() -> park(sink));
            }
        });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        MonoSink<Void> parked = waiter;
        if (parked != null && ctx.channel().isWritable()) {
            waiter = null;
            parked.success();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Checks again on the event loop, where writability changes are signalled, so a change between the first check
     * and parking is not missed.
     */
    private void park(MonoSink<Void> sink) {
        if (channel.isWritable()) {
            sink.success();
        } else {
            waiter = sink;
        }
    }
}
