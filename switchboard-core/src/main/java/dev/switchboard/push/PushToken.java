package dev.switchboard.push;

import java.time.Instant;

/**
 * A device's push notification token, registered by its owner. The token addresses the device through the push
 * endpoint, so it is kept as given but never shown whole again.
 *
 * @param platform {@code ios}, {@code android}, {@code expo} or {@code web}
 * @param deviceName what the owner called the device, or null
 */
public record PushToken(String id, String ownerId, String token, String platform, String deviceName,
        Instant registeredAt) {

    /** The platforms a token may be registered for. */
    public static final java.util.List<String> PLATFORMS = java.util.List.of("ios", "android", "expo", "web");

    /** The token with all but its last four characters hidden, for showing to its owner. */
    public String hint() {
        return token.length() <= 8 ? "****" : "****" + token.substring(token.length() - 4);
    }

    @Override
    public String toString() {
        return "PushToken[id=" + id + ", ownerId=" + ownerId + ", platform=" + platform + ", token=" + hint() + "]";
    }
}
