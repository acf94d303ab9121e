package dev.reelflux.core;

import dev.reelflux.core.internal.AddressKinds;
import dev.reelflux.core.internal.Cidr;
import dev.reelflux.core.internal.Values;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Which addresses {@link HttpSource}s may connect to, enforced by the HTTP client's resolver where each connection is
 * made ({@link HttpSettings#optAddressPolicy}): the address checked is the address connected to, for the first
 * request, every redirect hop, every ranged segment and every resume, so a DNS answer that changes between two looks
 * (rebinding) or a redirect to an internal name gains nothing. Immutable: every {@code opt*} returns a configured copy.
 *
 * <p>{@link #publicOnly()} refuses loopback, private (RFC 1918), carrier-grade NAT (RFC 6598), link-local, unique-local
 * (fc00::/7), wildcard and multicast addresses, and IPv4 addresses wrapped in IPv6 are judged as the IPv4 address.
 * A host whose addresses are all refused fails with {@link AddressRefusedException}; where some are refused and some
 * are not, only the permitted ones are connected to.
 */
public final class AddressPolicy {

    /** How host names become addresses (the JDK's resolver by default); blocking calls are fine. */
    @FunctionalInterface
    public interface Lookup {
        /** Every address of {@code host}, in the order to try them. */
        List<InetAddress> lookup(String host) throws UnknownHostException;
    }

    private static final Lookup JDK = host -> Arrays.asList(InetAddress.getAllByName(host));
    private static final AddressPolicy ANY = new AddressPolicy(new Settings());

    private final Settings settings;

    private AddressPolicy(Settings settings) {
        this.settings = settings;
    }

    /** Every address may be connected to (the default of {@link HttpSettings}). */
    public static AddressPolicy any() {
        return ANY;
    }

    /** Only public unicast addresses may be connected to: what a service fetching its callers' URLs needs. */
    public static AddressPolicy publicOnly() {
        return ANY.with(s -> s.publicOnly = true);
    }

    /**
     * Permits the addresses of {@code cidr} ({@code "10.20.0.0/16"}, {@code "fd00::/8"}, or one address) even where
     * the policy refuses their kind: an internal CDN the service is meant to reach.
     *
     * @throws IllegalArgumentException for a malformed block
     */
    public AddressPolicy optAllow(String cidr) {
        List<Cidr> more = new ArrayList<>(settings.allowed);
        more.add(Cidr.parse(cidr));
        List<Cidr> all = List.copyOf(more);
        return with(s -> s.allowed = all);
    }

    /** How host names are looked up (default: the JDK's resolver, as the rest of the process sees names). */
    public AddressPolicy optLookup(Lookup lookup) {
        Objects.requireNonNull(lookup, "lookup");
        return with(s -> s.lookup = lookup);
    }

    /** Whether this policy checks anything: {@link #any()} without a lookup of its own does not. */
    public boolean restricts() {
        return settings.publicOnly || settings.lookup != JDK;
    }

    /** Why {@code address} is refused ("loopback", "private", ...), or null when it may be connected to. */
    public String refusal(InetAddress address) {
        if (!settings.publicOnly || settings.allowed.stream().anyMatch(block -> block.contains(address))) {
            return null;
        }
        return AddressKinds.nonPublicKind(address);
    }

    /**
     * The addresses of {@code host} this policy permits, in the lookup's order.
     *
     * @throws UnknownHostException when the name does not resolve
     * @throws AddressRefusedException when it resolves only to refused addresses
     */
    public List<InetAddress> permitted(String host) throws UnknownHostException {
        return permitted(host, settings.lookup.lookup(host));
    }

    /**
     * Of {@code all}, the addresses of {@code host}, those this policy permits, in order.
     *
     * @throws UnknownHostException when {@code all} is empty
     * @throws AddressRefusedException when every one is refused
     */
    public List<InetAddress> permitted(String host, List<InetAddress> all) throws UnknownHostException {
        List<InetAddress> permitted = new ArrayList<>();
        String refused = null;
        for (InetAddress address : all) {
            String reason = refusal(address);
            if (reason == null) {
                permitted.add(address);
            } else if (refused == null) {
                refused = address.getHostAddress() + " (" + reason + ")";
            }
        }
        if (permitted.isEmpty()) {
            if (refused == null) {
                throw new UnknownHostException(host + ": no addresses");
            }
            throw new AddressRefusedException(HttpSource.STAGE, null, "refused to connect to " + host + ": it resolves"
                    + " to " + refused + ", which the address policy does not permit", null);
        }
        return permitted;
    }

    @Override
    public String toString() {
        return "AddressPolicy[" + (settings.publicOnly ? "public only" : "any")
                + (settings.allowed.isEmpty() ? "" : ", allow " + settings.allowed) + "]";
    }

    private AddressPolicy with(Consumer<Settings> change) {
        return new AddressPolicy(settings.with(change));
    }

    private static final class Settings extends Values<Settings> {
        private boolean publicOnly;
        private List<Cidr> allowed = List.of();
        private Lookup lookup = JDK;
    }
}
