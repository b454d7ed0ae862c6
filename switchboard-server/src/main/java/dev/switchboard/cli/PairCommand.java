package dev.switchboard.cli;

import dev.switchboard.audit.AuditEvent;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.Home;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.ServerConfigFile;
import dev.switchboard.failure.SwitchboardException;
import dev.switchboard.identity.PersonalTokens;
import dev.switchboard.operator.Pairing;
import dev.switchboard.server.Switchboard;
import dev.switchboard.store.jdbc.JdbcStore;
import dev.switchboard.user.Principal;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard pair}: prints what a mobile client needs to connect, as a QR code and as seed 000's deep link.
 *
 * <p>The server keeps only the API key's hash, so this command cannot print the key. By default it mints a
 * personal access token of the operator in the home's database (read and write scopes) and pairs with it: the
 * running server accepts it at once, the API key stays as it was, and the token can be revoked on its own
 * ({@code DELETE /api/api-tokens/{id}}). {@code --env-key} pairs with {@code SWITCHBOARD_API_KEY} instead.
 */
@Command(name = "pair", description = {
        "Prints a QR code and a dotagents:// link that connect a mobile client to this server.",
        "Mints a personal access token of the operator for it (the API key itself is stored only as a hash), "
                + "or with --env-key uses SWITCHBOARD_API_KEY."})
final class PairCommand implements Callable<Integer> {

    @Option(names = "--home", description = "Home folder (default $SWITCHBOARD_HOME, else ~/.switchboard).")
    Path home;

    @Option(names = "--url", description = "The server's URL as the phone reaches it (default: from switchboard.yml;"
            + " a LAN address when the server binds every interface).")
    String url;

    @Option(names = "--name", description = "Name of the minted token (default: mobile pairing).")
    String name = "mobile pairing";

    @Option(names = "--expires-in-days", description = "Let the minted token expire after this many days.")
    Integer expiresInDays;

    @Option(names = "--admin", description = "Give the minted token the admin scope too (for operator dashboards).")
    boolean admin;

    @Option(names = "--env-key", description = "Pair with SWITCHBOARD_API_KEY instead of minting a token.")
    boolean envKey;

    @Option(names = "--light", description = "Draw the QR code for a terminal with a light background.")
    boolean light;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    PairCommand() {
        this(System.getenv(), System.out, System.err);
    }

    PairCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        Home resolved = Home.resolve(home, env);
        try {
            ServerConfig config = ServerConfigFile.load(resolved.configFile(), env);
            String base = url != null ? url : defaultUrl(config);
            if (envKey) {
                String key = env.get("SWITCHBOARD_API_KEY");
                if (key == null || key.isBlank()) {
                    err.println("switchboard: --env-key needs SWITCHBOARD_API_KEY to be set to the server's key");
                    return 2;
                }
                Pairing pairing = Pairing.of(base, key.strip());
                print(pairing, "API key:  " + key.strip() + "  (SWITCHBOARD_API_KEY)");
                return 0;
            }
            Pairing.of(base, "-");
            Set<String> scopes = new TreeSet<>(Set.of(Principal.READ, Principal.WRITE));
            if (admin) {
                scopes.add(Principal.ADMIN_SCOPE);
            }
            resolved.initialize();
            ServerConfig.Database db = config.database();
            try (JdbcStore store = JdbcStore.open(Switchboard.databaseUrl(resolved, config), db.user(),
                    db.password())) {
                PersonalTokens.Created created = new PersonalTokens(store.users(), store.audit(), Clock.systemUTC())
                        .create(Principal.OPERATOR, name, scopes, expiresInDays);
                Pairing pairing = Pairing.of(base, created.secret());
                store.audit().record(AuditEvent.of("operator.pairing", Principal.OPERATOR.userId(), "credential",
                        null, "success", Map.of("tokenId", created.token().id(), "baseUrl", pairing.baseUrl(),
                                "source", "cli")));
                print(pairing, "Token:    " + created.secret() + "\n          a personal access token of the "
                        + "operator named '" + created.token().name() + "', scopes " + String.join(" ", scopes)
                        + (created.token().expiresAt() == null ? ", no expiry"
                                : ", expires " + created.token().expiresAt())
                        + ";\n          revoke it with DELETE /api/api-tokens/" + created.token().id());
            }
            return 0;
        } catch (ConfigException | IllegalStateException e) {
            err.println("switchboard: " + e.getMessage());
            return 2;
        } catch (SwitchboardException e) {
            Object field = e.details().get("field");
            String option = "baseUrl".equals(field) ? "--url" : field == null ? null : "--" + field;
            err.println("switchboard: " + (option == null ? "" : option + " ") + e.getMessage());
            return 2;
        }
    }

    private void print(Pairing pairing, String credentialLine) {
        out.println("Scan this code in the mobile app's connection settings to connect to " + pairing.baseUrl()
                + ":");
        out.println();
        out.print(pairing.qr(light));
        out.println();
        out.println("Or open this link on the phone:");
        out.println("  " + pairing.deepLink());
        out.println();
        out.println("Base URL: " + pairing.apiBaseUrl());
        out.println(credentialLine);
        out.println("Anyone who sees this code can use the server as the operator; keep it off shared screens.");
    }

    /** The configured address; for a wildcard bind, this machine's first LAN address, since a phone needs one. */
    static String defaultUrl(ServerConfig config) {
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = lanAddress();
        }
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + config.port();
    }

    private static String lanAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && address.isSiteLocalAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // fall through to loopback: the operator can pass --url
        }
        return "127.0.0.1";
    }
}
