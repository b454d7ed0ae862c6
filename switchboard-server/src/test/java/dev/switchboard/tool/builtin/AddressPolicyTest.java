package dev.switchboard.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1            | a loopback address
            127.255.0.9          | a loopback address
            10.1.2.3             | a private address
            172.16.0.1           | a private address
            172.31.255.255       | a private address
            192.168.1.10         | a private address
            100.64.0.1           | a private (shared, carrier-grade NAT) address
            100.127.255.254      | a private (shared, carrier-grade NAT) address
            169.254.10.20        | a link-local address
            169.254.169.254      | a cloud metadata address
            100.100.100.200      | a cloud metadata address
            192.0.0.192          | a cloud metadata address
            0.0.0.0              | an unspecified address
            224.0.0.251          | a multicast address
            255.255.255.255      | the broadcast address
            240.0.0.1            | a reserved address
            ::                   | the unspecified address
            ::1                  | a loopback address
            fe80::1              | a link-local address
            fc00::1              | a private (unique local) address
            fd12:3456::1         | a private (unique local) address
            fd00:ec2::254        | a cloud metadata address
            ff02::1              | a multicast address
            ::ffff:127.0.0.1     | a loopback address
            ::ffff:169.254.169.254 | a cloud metadata address
            ::ffff:10.0.0.1      | a private address
            64:ff9b::7f00:1      | a loopback address (as IPv4 inside IPv6)
            64:ff9b::a9fe:a9fe   | a cloud metadata address (as IPv4 inside IPv6)
            2002:c0a8:0101::1    | a private address (as IPv4 inside IPv6)
            ::7f00:1             | a loopback address (as IPv4 inside IPv6)
            """)
    void nonPublicAddressesAreClassified(String address, String kind) throws Exception {
        assertThat(AddressPolicy.restriction(InetAddress.getByName(address))).hasValue(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1",
            "2606:4700::1111", "2a00:1450:4007::200e", "::ffff:8.8.8.8", "64:ff9b::808:808"})
    void publicAddressesAreNot(String address) throws Exception {
        assertThat(AddressPolicy.restriction(InetAddress.getByName(address))).isEmpty();
    }

    @Test
    void aRefusalNamesTheHostTheAddressAndWhatOpensIt() throws Exception {
        AddressPolicy policy = AddressPolicy.publicOnly();
        assertThat(policy.refuseAddress("intranet.example", InetAddress.getByName("10.0.0.5"))).hasValue(
                "'intranet.example' resolves to 10.0.0.5, a private address, which is refused unless the server's "
                        + "tools.httpRequest.allowPrivate allows it");
        assertThat(policy.refuseAddress("[::1]", InetAddress.getByName("::1")).orElseThrow())
                .startsWith("'[::1]' is a loopback address");
        assertThat(policy.refuseAddress("127.0.0.1", InetAddress.getByName("127.0.0.1")).orElseThrow())
                .startsWith("'127.0.0.1' is a loopback address");
    }

    @Test
    void metadataHostNamesAreRefusedBeforeAnyLookup() {
        AddressPolicy policy = AddressPolicy.publicOnly();
        assertThat(policy.refuseHost("metadata.google.internal")).hasValue(
                "host 'metadata.google.internal' is a cloud metadata service");
        assertThat(policy.refuseHost("METADATA.google.internal.")).isPresent();
        assertThat(policy.refuseHost("example.com")).isEmpty();
        assertThat(new AddressPolicy(List.of(), List.of("metadata.google.internal"))
                .refuseHost("metadata.google.internal")).isEmpty();
    }

    @Test
    void allowPrivateOpensAddressesRangesAndHosts() throws Exception {
        AddressPolicy policy = new AddressPolicy(List.of(), List.of("127.0.0.1", "10.0.0.0/8", "fd00::/8",
                "build.internal"));
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertThat(policy.refuseAddress("127.0.0.1", loopback)).isEmpty();
        assertThat(policy.refuseAddress("127.0.0.2", InetAddress.getByName("127.0.0.2"))).isPresent();
        assertThat(policy.refuseAddress("[::1]", InetAddress.getByName("::1"))).isPresent();
        assertThat(policy.refuseAddress("x", InetAddress.getByName("10.200.3.4"))).isEmpty();
        assertThat(policy.refuseAddress("x", InetAddress.getByName("64:ff9b::a00:1"))).isEmpty();
        assertThat(policy.refuseAddress("x", InetAddress.getByName("11.0.0.1"))).isEmpty();
        assertThat(policy.refuseAddress("x", InetAddress.getByName("192.168.0.1"))).isPresent();
        assertThat(policy.refuseAddress("x", InetAddress.getByName("fd12::1"))).isEmpty();
        assertThat(policy.refuseAddress("x", InetAddress.getByName("fe80::1"))).isPresent();
        assertThat(policy.refuseAddress("build.internal", InetAddress.getByName("172.20.0.3"))).isEmpty();
        assertThat(policy.refuseAddress("other.internal", InetAddress.getByName("172.20.0.3"))).isPresent();
        assertThat(policy.refuseAddress("x", InetAddress.getByName("169.254.169.254"))).isPresent();
    }

    @Test
    void allowedHostsLimitRequestsToTheHostsNamed() {
        AddressPolicy policy = new AddressPolicy(List.of("api.example.com", "*.github.com", "203.0.113.7"),
                List.of());
        assertThat(policy.refuseHost("api.example.com")).isEmpty();
        assertThat(policy.refuseHost("API.Example.com")).isEmpty();
        assertThat(policy.refuseHost("raw.github.com")).isEmpty();
        assertThat(policy.refuseHost("a.b.github.com")).isEmpty();
        assertThat(policy.refuseHost("203.0.113.7")).isEmpty();
        assertThat(policy.refuseHost("github.com")).hasValue(
                "host 'github.com' is not in the server's allowed hosts (tools.httpRequest.allowedHosts)");
        assertThat(policy.refuseHost("evilgithub.com")).isPresent();
        assertThat(policy.refuseHost("example.com")).isPresent();
        assertThat(policy.refuseHost("api.example.com.evil.net")).isPresent();
    }

    @Test
    void badEntriesAreRejectedNamingTheirList() {
        assertThatThrownBy(() -> new AddressPolicy(List.of(), List.of("10.0.0.0/33")))
                .hasMessageStartingWith("allowPrivate entry '10.0.0.0/33' has a prefix length");
        assertThatThrownBy(() -> new AddressPolicy(List.of(), List.of("not a host")))
                .hasMessageStartingWith("allowPrivate entry 'not a host' is not");
        assertThatThrownBy(() -> new AddressPolicy(List.of(), List.of("example.com/8")))
                .hasMessageStartingWith("allowPrivate entry 'example.com/8' is not");
        assertThatThrownBy(() -> new AddressPolicy(List.of("http://example.com"), List.of()))
                .hasMessageStartingWith("allowedHosts entry 'http://example.com' is not");
        assertThatThrownBy(() -> new AddressPolicy(List.of("*.*.com"), List.of()))
                .hasMessageStartingWith("allowedHosts entry '*.*.com' is not");
    }
}
