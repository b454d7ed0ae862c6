package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.store.jdbc.JdbcStore;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.user.Principal;
import dev.switchboard.user.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OneTimeCodesTest {

    @TempDir
    Path dir;

    JdbcStore store;
    ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
    OneTimeCodes codes;

    @BeforeEach
    void open() {
        store = JdbcStore.open("jdbc:sqlite:" + dir.resolve("codes.db"));
        codes = new OneTimeCodes(store.users(), store.audit(), clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aWebSocketTicketNamesItsHolderOnceWithTheirScopes() {
        Principal reader = new Principal("usr_1", Role.USER, "token", Set.of(Principal.READ));
        OneTimeCodes.Ticket ticket = codes.wsTicket(reader);
        assertThat(ticket.ticket()).startsWith("sbw_");
        assertThat(ticket.expiresAt()).isEqualTo(clock.instant().plus(OneTimeCodes.TICKET_LIFETIME));

        Principal redeemed = codes.redeemWsTicket(ticket.ticket()).orElseThrow();
        assertThat(redeemed.userId()).isEqualTo("usr_1");
        assertThat(redeemed.role()).isEqualTo(Role.USER);
        assertThat(redeemed.scopes()).containsExactly(Principal.READ);
        assertThat(redeemed.via()).isEqualTo("ticket");
        assertThat(codes.redeemWsTicket(ticket.ticket())).isEmpty();
    }

    @Test
    void aTicketExpiresAfterThirtySecondsAndForgedOnesNameNobody() {
        OneTimeCodes.Ticket ticket = codes.wsTicket(Principal.OPERATOR);
        clock.advance(Duration.ofSeconds(31));
        assertThat(codes.redeemWsTicket(ticket.ticket())).isEmpty();
        assertThat(codes.redeemWsTicket("sbw_made-up")).isEmpty();
        assertThat(codes.redeemWsTicket(null)).isEmpty();
        assertThat(codes.redeemWsTicket(Principal.OPERATOR.userId())).isEmpty();
    }
}
