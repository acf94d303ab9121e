package dev.reelflux.examples;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Whether the service may fetch a URL: with {@code refusePrivate}, hosts that resolve to a loopback, private
 * (RFC 1918, IPv6 unique-local), link-local, wildcard or multicast address are refused, so that a client cannot make
 * the service reach into the network it runs in. Every address the name resolves to is checked.
 *
 * <p>This checks the name before the download; it does not stop a DNS answer that changes between the check and the
 * connection. A service facing untrusted clients should also run where such addresses are not routable.
 */
record AddressPolicy(boolean refusePrivate) {

    /** The reason {@code uri} is refused, or null when it may be fetched. Blocks for DNS when refusing private. */
    String refusal(URI uri) {
        if (!refusePrivate) {
            return null;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (isPrivate(address)) {
                    return "video_url resolves to a private address (" + address.getHostAddress() + ")";
                }
            }
            return null;
        } catch (UnknownHostException e) {
            // Refusing is the safe answer, and the download would fail on it anyway.
            return "video_url host does not resolve: " + uri.getHost();
        }
    }

    static boolean isPrivate(InetAddress address) {
        byte[] bytes = address.getAddress();
        boolean uniqueLocalV6 = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
        return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocalV6;
    }
}
