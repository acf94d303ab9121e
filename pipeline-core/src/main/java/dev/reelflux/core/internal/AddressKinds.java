package dev.reelflux.core.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Which addresses are not public unicast ones, by the IANA special-purpose registries' main entries. */
public final class AddressKinds {

    private static final Cidr THIS_NETWORK = Cidr.parse("0.0.0.0/8");
    private static final Cidr CARRIER_NAT = Cidr.parse("100.64.0.0/10");
    private static final Cidr BROADCAST = Cidr.parse("255.255.255.255");
    private static final Cidr UNIQUE_LOCAL = Cidr.parse("fc00::/7");

    private AddressKinds() {
    }

    /** The kind of a non-public address ("loopback", "private", ...), or null for a public unicast one. */
    public static String nonPublicKind(InetAddress address) {
        InetAddress judged = unwrapIpv4(address);
        if (judged.isLoopbackAddress()) {
            return "loopback";
        }
        if (judged.isAnyLocalAddress() || THIS_NETWORK.contains(judged)) {
            return "wildcard";
        }
        if (judged.isLinkLocalAddress()) {
            return "link-local";
        }
        if (judged.isSiteLocalAddress()) {
            return "private";
        }
        if (UNIQUE_LOCAL.contains(judged)) {
            return "unique-local";
        }
        if (CARRIER_NAT.contains(judged)) {
            return "carrier-grade NAT";
        }
        if (judged.isMulticastAddress() || BROADCAST.contains(judged)) {
            return "multicast";
        }
        return null;
    }

    /** An IPv4 address written as IPv6 (::ffff:a.b.c.d, or the deprecated ::a.b.c.d) as the IPv4 address it is. */
    private static InetAddress unwrapIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] bytes = address.getAddress();
        boolean zeroes = Arrays.equals(bytes, 0, 10, new byte[10], 0, 10);
        boolean mapped = zeroes && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
        boolean compatible = zeroes && bytes[10] == 0 && bytes[11] == 0
                && !Arrays.equals(bytes, 12, 14, new byte[2], 0, 2);
        if (!mapped && !compatible) {
            return address;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
