package dev.switchboard.tool.builtin;

import java.net.Inet4Address;
import java.net.Inet6Address;
import dev.switchboard.failure.InvalidInputException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which hosts and addresses {@code http_request} may reach. By default only public addresses: loopback, private,
 * shared (CGNAT), link-local, unspecified, multicast, broadcast, reserved and cloud metadata addresses are refused,
 * also when written inside an IPv6 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4). {@code allowPrivate}
 * opens some of them again; a non-empty {@code allowedHosts} limits requests to the hosts it names.
 */
public final class AddressPolicy {

    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata.goog",
            "metadata", "instance-data", "instance-data.ec2.internal", "metadata.tencentyun.com");
    private static final List<InetAddress> METADATA_ADDRESSES = List.of(
            v4(169, 254, 169, 254), // AWS, GCP, Azure, DigitalOcean, OpenStack, ...
            v4(169, 254, 170, 2), // AWS ECS task metadata
            v4(169, 254, 170, 23), // AWS EKS pod identity
            v4(169, 254, 0, 23), // Tencent Cloud
            v4(100, 100, 100, 200), // Alibaba Cloud
            v4(192, 0, 0, 192), // Oracle Cloud
            literal("fd00:ec2::254"), // AWS over IPv6
            literal("fd00:ec2::23")); // AWS EKS pod identity over IPv6
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?i)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final List<String> allowedHosts;
    private final Set<String> privateHosts;
    private final List<Cidr> privateRanges;

    /**
     * @param allowedHosts when not empty, the only hosts that may be reached: exact names or addresses, or
     *     {@code *.example.com} for any subdomain of {@code example.com}
     * @param allowPrivate host names, addresses or CIDR ranges that may be reached although not public
     * @throws IllegalArgumentException naming the list of an entry that is none of those
     */
    public AddressPolicy(List<String> allowedHosts, List<String> allowPrivate) {
        List<String> hosts = new ArrayList<>();
        for (String entry : allowedHosts == null ? List.<String>of() : allowedHosts) {
            String host = entry == null ? "" : normalizeHost(entry);
            String name = host.startsWith("*.") ? host.substring(2) : host;
            if (!isLiteral(name) && !HOST_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("allowedHosts entry '" + entry + "' is not a host name, an IP "
                        + "address or *.domain");
            }
            hosts.add(isLiteral(name) ? literal(name).getHostAddress() : host);
        }
        List<String> names = new ArrayList<>();
        List<Cidr> ranges = new ArrayList<>();
        for (String entry : allowPrivate == null ? List.<String>of() : allowPrivate) {
            String value = entry == null ? "" : normalizeHost(entry);
            if (value.contains("/") || isLiteral(value)) {
                ranges.add(Cidr.parse(value));
            } else if (HOST_NAME.matcher(value).matches()) {
                names.add(value);
            } else {
                throw new IllegalArgumentException("allowPrivate entry '" + entry + "' is not a host name, an IP "
                        + "address or a CIDR range");
            }
        }
        this.allowedHosts = List.copyOf(hosts);
        this.privateHosts = Set.copyOf(names);
        this.privateRanges = List.copyOf(ranges);
    }

    /** Only public addresses, any host. */
    public static AddressPolicy publicOnly() {
        return new AddressPolicy(List.of(), List.of());
    }

    /** Why {@code host} may not be asked for at all (not allowed, a metadata service's name), or empty. */
    public Optional<String> refuseHost(String host) {
        String normalized = normalizedOf(host);
        if (!allowedHosts.isEmpty() && allowedHosts.stream().noneMatch(pattern -> matches(pattern, normalized))) {
            return Optional.of("host '" + host + "' is not in the server's allowed hosts (tools.httpRequest"
                    + ".allowedHosts)");
        }
        if (METADATA_HOSTS.contains(normalized) && !privateHosts.contains(normalized)) {
            return Optional.of("host '" + host + "' is a cloud metadata service");
        }
        return Optional.empty();
    }

    /** Why {@code host}, resolved to {@code address}, may not be reached, or empty. */
    public Optional<String> refuseAddress(String host, InetAddress address) {
        Optional<String> restriction = restriction(address);
        if (restriction.isEmpty() || privateHosts.contains(normalizeHost(host))) {
            return Optional.empty();
        }
        if (privateRanges.stream().anyMatch(range -> range.contains(address))) {
            return Optional.empty();
        }
        String name = normalizeHost(host);
        String shown = isLiteral(name) && literal(name).equals(address) ? "'" + host + "' is "
                : "'" + host + "' resolves to " + address.getHostAddress() + ", ";
        return Optional.of(shown + restriction.get() + ", which is refused unless the server's "
                + "tools.httpRequest.allowPrivate allows it");
    }

    /**
     * The URL parsed and checked for an outgoing request to a user-given address (a webhook, an imported skill):
     * absolute {@code http(s)}, no credentials in it, and a host this policy lets through, every address it resolves
     * to included.
     *
     * @throws InvalidInputException naming {@code field} when any of that fails
     */
    public URI checkedUrl(String field, String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            throw new InvalidInputException(field, "is not a valid URL");
        }
        shape(field, uri);
        check(field, uri);
        return uri;
    }

    /** Refuses (naming {@code field}) a URL that is not absolute {@code http(s)} or carries credentials. */
    public static void shape(String field, URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new InvalidInputException(field, "must be an absolute http:// or https:// URL");
        }
        if (uri.getUserInfo() != null) {
            throw new InvalidInputException(field, "must not carry credentials");
        }
    }

    /** Refuses (naming {@code field}) a URL whose host, or any address it resolves to, this policy refuses. */
    public void check(String field, URI uri) {
        String host = normalizeHost(uri.getHost());
        refuseHost(host).ifPresent(reason -> {
            throw new InvalidInputException(field, "refused " + uri.getHost() + ": " + reason);
        });
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new InvalidInputException(field, "host '" + host + "' was not found");
        }
        for (InetAddress address : addresses) {
            refuseAddress(host, address).ifPresent(reason -> {
                throw new InvalidInputException(field, "refused " + uri.getHost() + ": " + reason);
            });
        }
    }

    /** What kind of non-public address this is ("a loopback address"), or empty for a public one. */
    public static Optional<String> restriction(InetAddress address) {
        if (METADATA_ADDRESSES.contains(address)) {
            return Optional.of("a cloud metadata address");
        }
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return restrictionV4(b);
        }
        if (allZero(b, 0, 16)) {
            return Optional.of("the unspecified address");
        }
        if (allZero(b, 0, 15) && b[15] == 1) {
            return Optional.of("a loopback address");
        }
        Inet4Address embedded = embeddedIpv4(b);
        if (embedded != null) {
            return restriction(embedded).map(kind -> kind + " (as IPv4 inside IPv6)");
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return Optional.of("a link-local address");
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return Optional.of("a private (site-local) address");
        }
        if ((first & 0xfe) == 0xfc) {
            return Optional.of("a private (unique local) address");
        }
        if (first == 0xff) {
            return Optional.of("a multicast address");
        }
        return Optional.empty();
    }

    private static Optional<String> restrictionV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 0) {
            return Optional.of("an unspecified address");
        }
        if (a0 == 127) {
            return Optional.of("a loopback address");
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return Optional.of("a private address");
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return Optional.of("a private (shared, carrier-grade NAT) address");
        }
        if (a0 == 169 && a1 == 254) {
            return Optional.of("a link-local address");
        }
        if (a0 >= 224 && a0 <= 239) {
            return Optional.of("a multicast address");
        }
        if (a0 == 255 && a1 == 255 && a2 == 255 && (b[3] & 0xff) == 255) {
            return Optional.of("the broadcast address");
        }
        if (a0 >= 240 || (a0 == 192 && a1 == 0 && a2 == 0) || (a0 == 198 && (a1 & 0xfe) == 18)) {
            return Optional.of("a reserved address");
        }
        return Optional.empty();
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address, or null. */
    static Inet4Address embeddedIpv4(byte[] b) {
        if (b.length != 16) {
            return null;
        }
        boolean mapped = allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = allZero(b, 0, 12);
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12);
        if (mapped || compatible || nat64) {
            return v4(b[12] & 0xff, b[13] & 0xff, b[14] & 0xff, b[15] & 0xff);
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return v4(b[2] & 0xff, b[3] & 0xff, b[4] & 0xff, b[5] & 0xff);
        }
        return null;
    }

    private static boolean matches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            return host.endsWith(pattern.substring(1)) && host.length() > pattern.length() - 1;
        }
        return pattern.equals(host);
    }

    private static String normalizedOf(String host) {
        String normalized = normalizeHost(host);
        return isLiteral(normalized) ? literal(normalized).getHostAddress() : normalized;
    }

    /** Lower case, without the brackets of an IPv6 literal or a trailing dot. */
    public static String normalizeHost(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** Whether {@code text} is an IP address written out (never a name that would need a DNS lookup). */
    static boolean isLiteral(String text) {
        if (text.contains(":")) {
            return !text.contains("%") && parseV6(text) != null;
        }
        return IPV4.matcher(text).matches() && Arrays.stream(text.split("\\.")).allMatch(o -> Integer.parseInt(o) < 256);
    }

    /** Parses an address written out; {@link #isLiteral} must have said it is one. */
    static InetAddress literal(String text) {
        if (text.contains(":")) {
            InetAddress address = parseV6(text);
            if (address == null) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address");
            }
            return address;
        }
        String[] octets = text.split("\\.");
        return v4(Integer.parseInt(octets[0]), Integer.parseInt(octets[1]), Integer.parseInt(octets[2]),
                Integer.parseInt(octets[3]));
    }

    private static InetAddress parseV6(String text) {
        if (!text.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            // a string with ':' is parsed as an IPv6 literal and never looked up
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Inet4Address v4(int a, int b, int c, int d) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** An address range such as {@code 10.0.0.0/8} or {@code fd00::/8}; a single address is a full-length range. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            if (!isLiteral(address)) {
                throw new IllegalArgumentException("allowPrivate entry '" + text + "' is not an IP address or a "
                        + "CIDR range");
            }
            byte[] network = literal(address).getAddress();
            int bits = network.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String length = text.substring(slash + 1);
                if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
                    throw new IllegalArgumentException("allowPrivate entry '" + text + "' has a prefix length "
                            + "that is not between 0 and " + bits);
                }
                prefix = Integer.parseInt(length);
            }
            return new Cidr(network, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                Inet4Address embedded = embeddedIpv4(candidate);
                return embedded != null && contains(embedded);
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
