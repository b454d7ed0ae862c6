package dev.switchboard.operator;

import dev.switchboard.failure.InvalidInputException;
import io.nayuki.qrcodegen.QrCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a mobile client needs to connect, as seed 000's pairing QR code carries it: the deep link
 * {@code dotagents://config?baseUrl=<server>/v1&apiKey=<credential>}, and that link as a QR code drawn with Unicode
 * half blocks for a terminal.
 *
 * @param baseUrl the server's root, without a trailing slash
 * @param apiBaseUrl {@code baseUrl + "/v1"}, the base the mobile app calls
 * @param deepLink the link, its query values percent-encoded
 */
public record Pairing(String baseUrl, String apiBaseUrl, String deepLink) {

    /** Modules of quiet zone around the code; scanners need a margin, terminals already leave some. */
    static final int BORDER = 2;

    /**
     * The pairing of {@code baseUrl} (a server root such as {@code http://192.168.1.20:3210}; a trailing
     * {@code /v1} is accepted and not doubled) with {@code credential}.
     *
     * @throws InvalidInputException naming {@code baseUrl} when it is not an http(s) URL without query or fragment
     */
    public static Pairing of(String baseUrl, String credential) {
        String root = normalized(baseUrl);
        String api = root + "/v1";
        String link = "dotagents://config?baseUrl=" + encode(api) + "&apiKey=" + encode(credential);
        return new Pairing(root, api, link);
    }

    /**
     * The deep link as a QR code in text: each character is two modules stacked, drawn with {@code ▀ ▄ █} and
     * spaces. By default the light modules and the quiet zone are drawn, which makes a scannable code on the
     * usual dark terminal; {@code darkOnLight} draws the dark modules instead, for light terminals.
     */
    public String qr(boolean darkOnLight) {
        return render(QrCode.encodeText(deepLink, QrCode.Ecc.MEDIUM), darkOnLight);
    }

    static String render(QrCode code, boolean darkOnLight) {
        int size = code.size;
        StringBuilder out = new StringBuilder();
        for (int y = -BORDER; y < size + BORDER; y += 2) {
            for (int x = -BORDER; x < size + BORDER; x++) {
                boolean top = drawn(code, x, y, darkOnLight);
                boolean bottom = drawn(code, x, y + 1, darkOnLight);
                out.append(top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ');
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Whether the cell at (x, y) is drawn: inside the code and its quiet zone, and of the drawn colour. */
    private static boolean drawn(QrCode code, int x, int y, boolean darkOnLight) {
        int size = code.size;
        if (x < -BORDER || y < -BORDER || x >= size + BORDER || y >= size + BORDER) {
            return false;
        }
        // getModule answers false (light) outside the code, which is the quiet zone
        boolean dark = code.getModule(x, y);
        return darkOnLight == dark;
    }

    private static String normalized(String baseUrl) {
        String problem = "must be the server's http or https URL, such as http://192.168.1.20:3210";
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new InvalidInputException("baseUrl", problem);
        }
        URI uri;
        try {
            uri = new URI(baseUrl.strip());
        } catch (URISyntaxException e) {
            throw new InvalidInputException("baseUrl", problem);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getQuery() != null
                || uri.getFragment() != null || uri.getUserInfo() != null) {
            throw new InvalidInputException("baseUrl", problem);
        }
        String root = baseUrl.strip();
        while (root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        if (root.endsWith("/v1")) {
            root = root.substring(0, root.length() - 3);
        }
        return root;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
