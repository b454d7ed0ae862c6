package dev.switchboard.identity;

import com.eatthepath.otp.HmacOneTimePasswordGenerator;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.user.OneTimeCode;
import dev.switchboard.user.User;
import dev.switchboard.user.UserStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, one step of clock drift either way) with ten single-use backup
 * codes. The secret is sealed at rest; a code is accepted at most once, and never one older than the last
 * accepted, so a code seen by someone else cannot be replayed within its window.
 */
public final class TwoFactor {

    static final int BACKUP_CODES = 10;
    private static final long STEP_SECONDS = 30;
    private static final String ISSUER = "Switchboard";

    /** What setting up TOTP shows the user once. */
    public record Setup(String secret, String otpauthUri) {
    }

    private final UserStore users;
    private final Sealer sealer;
    private final AuditLog audit;
    private final Clock clock;
    private final HmacOneTimePasswordGenerator hotp = new HmacOneTimePasswordGenerator(6);

    public TwoFactor(UserStore users, Sealer sealer, AuditLog audit, Clock clock) {
        this.users = users;
        this.sealer = sealer;
        this.audit = audit;
        this.clock = clock;
    }

    /** Creates a new secret for the user, not yet enabled; replaces an earlier unconfirmed one. */
    public Setup setup(User user) {
        if (user.totpEnabled()) {
            throw new ConflictException("Two-factor authentication is already enabled; disable it first",
                    Map.of("totpEnabled", true));
        }
        byte[] secret = Secrets.bytes(20);
        users.updateUser(user.withTotp(sealer.seal(secret, user.id()), false, user.totpLastStep(), clock.instant()));
        String encoded = Base32.encode(secret);
        String label = URLEncoder.encode(ISSUER + ":" + user.username(), StandardCharsets.UTF_8).replace("+", "%20");
        return new Setup(encoded, "otpauth://totp/" + label + "?secret=" + encoded + "&issuer=" + ISSUER
                + "&algorithm=SHA1&digits=6&period=" + STEP_SECONDS);
    }

    /** Enables TOTP once the user proved their app has the secret; returns the ten backup codes, shown once. */
    public List<String> enable(User user, String code) {
        if (user.totpEnabled()) {
            throw new ConflictException("Two-factor authentication is already enabled", Map.of("totpEnabled", true));
        }
        if (user.totpSecret() == null) {
            throw new ConflictException("Set up two-factor authentication first (POST /api/auth/totp/setup)",
                    Map.of("totpEnabled", false));
        }
        if (!acceptTotp(user, code)) {
            audit.record(AuditEvent.of("auth.totp.enable", user.id(), "user", user.id(), "failure", Map.of()));
            throw new InvalidInputException("code", "code is not the current code of the authenticator app");
        }
        User current = users.findUser(user.id()).orElseThrow();
        users.updateUser(current.withTotp(current.totpSecret(), true, current.totpLastStep(), clock.instant()));
        List<String> codes = newBackupCodes(user.id());
        audit.record(AuditEvent.of("auth.totp.enable", user.id(), "user", user.id(), "success", Map.of()));
        return codes;
    }

    /** Turns TOTP off after a valid code (or backup code); forgets the secret and the backup codes. */
    public void disable(User user, String code) {
        if (!user.totpEnabled()) {
            throw new ConflictException("Two-factor authentication is not enabled", Map.of("totpEnabled", false));
        }
        if (!accept(user, code)) {
            audit.record(AuditEvent.of("auth.totp.disable", user.id(), "user", user.id(), "failure", Map.of()));
            throw new InvalidInputException("code", "code is wrong or was used already");
        }
        User current = users.findUser(user.id()).orElseThrow();
        users.updateUser(current.withTotp(null, false, current.totpLastStep(), clock.instant()));
        users.deleteCodes(OneTimeCode.BACKUP, user.id());
        audit.record(AuditEvent.of("auth.totp.disable", user.id(), "user", user.id(), "success", Map.of()));
    }

    /** Whether {@code code} is a current TOTP code or an unused backup code of the user; uses it up if so. */
    public boolean accept(User user, String code) {
        if (code == null) {
            return false;
        }
        String trimmed = code.strip().toLowerCase(Locale.ROOT);
        if (trimmed.matches("\\d{6}")) {
            return acceptTotp(user, trimmed);
        }
        return users.redeemCode(OneTimeCode.BACKUP, backupHash(user.id(), trimmed), clock.instant()).isPresent();
    }

    public int backupCodesLeft(User user) {
        return users.unusedCodes(OneTimeCode.BACKUP, user.id(), clock.instant());
    }

    private boolean acceptTotp(User user, String code) {
        if (user.totpSecret() == null || code == null || !code.strip().matches("\\d{6}")) {
            return false;
        }
        int presented = Integer.parseInt(code.strip());
        SecretKeySpec key = new SecretKeySpec(sealer.open(user.totpSecret(), user.id()), "HmacSHA1");
        long now = clock.instant().getEpochSecond() / STEP_SECONDS;
        for (long step = now - 1; step <= now + 1; step++) {
            if (step > user.totpLastStep() && codeAt(key, step) == presented) {
                return users.acceptTotpStep(user.id(), step);
            }
        }
        return false;
    }

    private int codeAt(SecretKeySpec key, long step) {
        try {
            return hotp.generateOneTimePassword(key, step);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> newBackupCodes(String userId) {
        users.deleteCodes(OneTimeCode.BACKUP, userId);
        Instant now = clock.instant();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < BACKUP_CODES; i++) {
            String code = Secrets.humanCode(3);
            users.saveCode(new OneTimeCode(OneTimeCode.BACKUP, backupHash(userId, code), userId, null, now,
                    Instant.ofEpochMilli(Long.MAX_VALUE / 2)));
            codes.add(code);
        }
        return codes;
    }

    private static String backupHash(String userId, String code) {
        return Secrets.sha256(userId + ":" + code);
    }

    /** The current code of a base32 secret; for tests and tools that play the authenticator app. */
    public static int codeFor(String base32Secret, Instant at) {
        try {
            return new HmacOneTimePasswordGenerator(6).generateOneTimePassword(
                    new SecretKeySpec(Base32.decode(base32Secret), "HmacSHA1"), at.getEpochSecond() / STEP_SECONDS);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** RFC 4648 base32 without padding, as authenticator apps read secrets. */
    static final class Base32 {
        private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

        private Base32() {
        }

        static String encode(byte[] data) {
            StringBuilder out = new StringBuilder();
            int buffer = 0;
            int bits = 0;
            for (byte b : data) {
                buffer = (buffer << 8) | (b & 0xff);
                bits += 8;
                while (bits >= 5) {
                    out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                    bits -= 5;
                }
            }
            if (bits > 0) {
                out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
            }
            return out.toString();
        }

        static byte[] decode(String text) {
            String clean = text.replace("=", "").replace(" ", "").toUpperCase(Locale.ROOT);
            byte[] out = new byte[clean.length() * 5 / 8];
            int buffer = 0;
            int bits = 0;
            int index = 0;
            for (char c : clean.toCharArray()) {
                int value = ALPHABET.indexOf(c);
                if (value < 0) {
                    throw new IllegalArgumentException("Not base32: " + c);
                }
                buffer = (buffer << 5) | value;
                bits += 5;
                if (bits >= 8) {
                    out[index++] = (byte) (buffer >> (bits - 8));
                    bits -= 8;
                }
            }
            return out;
        }
    }
}
