package dev.switchboard.face.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void theLastForwardedEntryIsTheOneTheProxyAdded() {
        assertThat(ClientAddress.forwarded("6.6.6.6, 203.0.113.9", "10.0.0.1")).isEqualTo("203.0.113.9");
        assertThat(ClientAddress.forwarded("2001:db8::1", "10.0.0.1")).isEqualTo("2001:db8::1");
        assertThat(ClientAddress.forwarded("[2001:db8::2]", "10.0.0.1")).isEqualTo("2001:db8::2");
    }

    @Test
    void anythingButAnAddressFallsBackToThePeer() {
        assertThat(ClientAddress.forwarded(null, "10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(ClientAddress.forwarded(" ", "10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(ClientAddress.forwarded("1.2.3.4, unknown", "10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(ClientAddress.forwarded("1.2.3.4\r\nX-Evil: 1", "10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(ClientAddress.forwarded("evil.example", "10.0.0.1")).isEqualTo("10.0.0.1");
    }
}
