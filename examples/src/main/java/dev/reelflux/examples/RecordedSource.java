package dev.reelflux.examples;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.Chunk;
import dev.reelflux.core.SourceInfo;
import dev.reelflux.core.TransferListener;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;

/**
 * A source whose reads a {@link TransferListener} sees as an HTTP source's are seen: each read a request, each chunk
 * bytes received. It puts a local file's bytes and seeks into the same report and timeline as a download's.
 */
record RecordedSource(ByteSource source, TransferListener listener) implements ByteSource {

    @Override
    public Flux<Chunk> read(long offset, long length) {
        return Flux.defer(() -> {
            listener.requestStarted(source.uri(), offset, length, 0);
            return source.read(offset, length).doOnNext(chunk -> listener.bytesReceived(chunk.data().remaining()));
        });
    }

    @Override
    public Mono<SourceInfo> info() {
        return source.info();
    }

    @Override
    public URI uri() {
        return source.uri();
    }
}
