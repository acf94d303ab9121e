package dev.reelflux.core.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A block of addresses, {@code 10.20.0.0/16} or {@code fd00::/8}; one address is a block of its full length. */
public record Cidr(byte[] network, int prefix) {

    /**
     * Parses {@code text}, which must be a literal address (no name is looked up), optionally with a prefix length.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text.trim() : text.substring(0, slash).trim();
        // A literal only: InetAddress would otherwise resolve a name.
        if (!address.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an address block: '" + text + "'");
        }
        byte[] network;
        try {
            network = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address block: '" + text + "'", e);
        }
        int prefix;
        try {
            prefix = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an address block: '" + text + "'", e);
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix out of range in '" + text + "'");
        }
        return new Cidr(network, prefix);
    }

    /** Whether {@code address} lies in this block (an address of the other family never does). */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
