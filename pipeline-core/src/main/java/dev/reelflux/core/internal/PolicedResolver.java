package dev.reelflux.core.internal;

import dev.reelflux.core.AddressPolicy;
import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * The HTTP client's resolver under an {@link AddressPolicy}: every connection's address passes through it, a literal
 * one included (Netty skips the resolver for addresses it considers resolved, so none is considered resolved here),
 * and only the addresses the policy permits come out. Lookups may block (the JDK's resolver does), so they run on
 * Reactor's bounded elastic scheduler rather than on the event loop.
 */
public final class PolicedResolver extends AbstractAddressResolver<InetSocketAddress> {

    private final AddressPolicy policy;
    private final Scheduler lookups = Schedulers.boundedElastic();

    private PolicedResolver(EventExecutor executor, AddressPolicy policy) {
        super(executor, InetSocketAddress.class);
        this.policy = policy;
    }

    /** The resolver group a Reactor Netty client takes ({@code HttpClient.resolver}). */
    public static AddressResolverGroup<InetSocketAddress> group(AddressPolicy policy) {
        return new AddressResolverGroup<>() {
            @Override
            protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
                return new PolicedResolver(executor, policy);
            }
        };
    }

    @Override
    protected boolean doIsResolved(InetSocketAddress address) {
        return false;
    }

    @Override
    protected void doResolve(InetSocketAddress address, Promise<InetSocketAddress> promise) {
        permitted(address, promise, all -> promise.trySuccess(all.get(0)));
    }

    @Override
    protected void doResolveAll(InetSocketAddress address, Promise<List<InetSocketAddress>> promise) {
        permitted(address, promise, promise::trySuccess);
    }

    private void permitted(InetSocketAddress address, Promise<?> promise, Consumer<List<InetSocketAddress>> done) {
        lookups.schedule(() -> {
            try {
                // A literal address is judged as it is; a name is looked up (again: the connection is what counts).
                List<InetAddress> permitted = address.isUnresolved() ? policy.permitted(address.getHostString())
                        : policy.permitted(address.getHostString(), List.of(address.getAddress()));
                done.accept(permitted.stream().map(ip -> new InetSocketAddress(ip, address.getPort())).toList());
            } catch (Exception e) {
                promise.tryFailure(e);
            }
        });
    }
}
