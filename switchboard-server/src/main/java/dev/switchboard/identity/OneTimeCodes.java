package dev.switchboard.identity;

import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.user.ChannelLink;
import dev.switchboard.user.OneTimeCode;
import dev.switchboard.user.Principal;
import dev.switchboard.user.Role;
import dev.switchboard.user.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Secrets that work once: WebSocket tickets (a browser cannot set headers on a WebSocket, so it fetches a ticket
 * with its token and puts the ticket in the URL) and channel link codes (a chat bridge shows a code to a person on
 * its channel; the person redeems it while signed in, linking the two identities).
 */
public final class OneTimeCodes {

    public static final Duration TICKET_LIFETIME = Duration.ofSeconds(30);
    static final Duration LINK_LIFETIME = Duration.ofMinutes(10);
    private static final String TICKET_PREFIX = "sbw_";
    private static final Pattern CHANNEL = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    /** A ticket and how long it works. */
    public record Ticket(String ticket, Instant expiresAt) {
    }

    /** A link code as shown to the person on the channel. */
    public record LinkCode(String code, String channel, String externalId, Instant expiresAt) {
    }

    private final UserStore users;
    private final AuditLog audit;
    private final Clock clock;

    public OneTimeCodes(UserStore users, AuditLog audit, Clock clock) {
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    public Ticket wsTicket(Principal principal) {
        Instant now = clock.instant();
        String ticket = Secrets.token(TICKET_PREFIX);
        String scopes = String.join(" ", new java.util.TreeSet<>(principal.scopes()));
        users.saveCode(new OneTimeCode(OneTimeCode.WS_TICKET, Secrets.sha256(ticket), principal.userId(),
                principal.role().wireName() + " " + scopes, now, now.plus(TICKET_LIFETIME)));
        return new Ticket(ticket, now.plus(TICKET_LIFETIME));
    }

    /** The principal a ticket was issued to, once; empty when it is unknown, used or expired. */
    public Optional<Principal> redeemWsTicket(String ticket) {
        if (ticket == null || !ticket.startsWith(TICKET_PREFIX)) {
            return Optional.empty();
        }
        return users.redeemCode(OneTimeCode.WS_TICKET, Secrets.sha256(ticket), clock.instant()).map(code -> {
            String[] parts = code.payload().split(" ");
            return new Principal(code.userId(), Role.parse(parts[0], "role"), "ticket",
                    java.util.Set.of(java.util.Arrays.copyOfRange(parts, 1, parts.length)));
        });
    }

    /** A code for the person {@code externalId} on {@code channel}; asked for by the channel's bridge. */
    public LinkCode linkCode(String channel, String externalId, Principal by) {
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw new InvalidInputException("channel", "channel must be 1 to 32 lower-case letters, digits, '_' or '-'");
        }
        if (externalId == null || externalId.isBlank() || externalId.length() > 200) {
            throw new InvalidInputException("externalId", "externalId must have 1 to 200 characters");
        }
        Instant now = clock.instant();
        String code = Secrets.humanCode(3);
        users.saveCode(new OneTimeCode(OneTimeCode.LINK, Secrets.sha256(code), null,
                channel + "\n" + externalId, now, now.plus(LINK_LIFETIME)));
        audit.record(AuditEvent.of("admin.link-code.create", by.userId(), "channel", channel, "success",
                Map.of("externalId", externalId)));
        return new LinkCode(code, channel, externalId, now.plus(LINK_LIFETIME));
    }

    /** Links the channel identity behind {@code code} to the caller. */
    public ChannelLink redeemLink(Principal principal, String code, String ip) {
        if (code == null || code.isBlank()) {
            throw new InvalidInputException("code", "code is required");
        }
        Instant now = clock.instant();
        OneTimeCode redeemed = users.redeemCode(OneTimeCode.LINK,
                        Secrets.sha256(code.strip().toLowerCase(java.util.Locale.ROOT)), now)
                .orElseThrow(() -> {
                    audit.record(AuditEvent.of("auth.link", principal.userId(), "channel", null, "failure",
                            Map.of()).withIp(ip));
                    return new NotFoundException("The link code is unknown, used or expired",
                            Map.of("field", "code"));
                });
        String[] payload = redeemed.payload().split("\n", 2);
        ChannelLink link = new ChannelLink(principal.userId(), payload[0], payload[1], now);
        users.link(link);
        audit.record(AuditEvent.of("auth.link", principal.userId(), "channel", payload[0], "success",
                Map.of("externalId", payload[1])).withIp(ip));
        return link;
    }

    public List<ChannelLink> links(String userId) {
        return users.links(userId);
    }
}
