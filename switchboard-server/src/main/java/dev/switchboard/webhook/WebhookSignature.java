package dev.switchboard.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a delivery: {@code sha256=} and the hex HMAC-SHA256, under the webhook's secret, of the
 * timestamp (Unix seconds, as sent in {@value #TIMESTAMP}), a dot and the exact body. The timestamp is signed so
 * that a receiver can refuse old deliveries replayed.
 */
public final class WebhookSignature {

    public static final String SIGNATURE = "X-Switchboard-Signature";
    public static final String TIMESTAMP = "X-Switchboard-Timestamp";
    public static final String EVENT = "X-Switchboard-Event";
    public static final String DELIVERY = "X-Switchboard-Delivery";

    private WebhookSignature() {
    }

    public static String sign(byte[] secret, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
