/**
 * Reading bytes for the pipeline: HTTP, HLS, files, parallel reads, budgets and accounting. Its internal package is
 * open to reelflux's own modules only.
 */
module dev.reelflux.core {
    requires transitive reactor.core;
    requires transitive org.reactivestreams;
    requires transitive reactor.netty.core;
    requires transitive reactor.netty.http;
    requires transitive io.netty.handler;
    requires transitive micrometer.core;
    requires io.netty.buffer;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.resolver;
    requires io.netty.transport;

    exports dev.reelflux.core;
    exports dev.reelflux.core.internal to dev.reelflux.decoders, dev.reelflux.inference;
}
