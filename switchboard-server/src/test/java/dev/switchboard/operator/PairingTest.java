package dev.switchboard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.switchboard.failure.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class PairingTest {

    private static final String KEY = "sbp_pairing-test-key_0123456789abcdef";

    @Test
    void theDeepLinkIsSeed000sWithTheApiBaseAndTheKey() {
        Pairing pairing = Pairing.of("http://192.168.1.20:3210/", KEY);
        assertThat(pairing.baseUrl()).isEqualTo("http://192.168.1.20:3210");
        assertThat(pairing.apiBaseUrl()).isEqualTo("http://192.168.1.20:3210/v1");
        assertThat(pairing.deepLink()).isEqualTo("dotagents://config?baseUrl=http%3A%2F%2F192.168.1.20%3A3210%2Fv1"
                + "&apiKey=" + KEY);
        assertThat(Pairing.of("https://sb.example.com/v1", KEY).apiBaseUrl()).isEqualTo("https://sb.example.com/v1");
    }

    @Test
    void theTerminalQrCodeDecodesToTheDeepLinkInBothColourings() throws Exception {
        Pairing pairing = Pairing.of("http://192.168.1.20:3210", KEY);
        for (boolean darkOnLight : List.of(false, true)) {
            String qr = pairing.qr(darkOnLight);
            List<String> rows = qr.lines().toList();
            assertThat(rows).allSatisfy(row -> assertThat(row).hasSameSizeAs(rows.getFirst())
                    .matches("[ ▀▄█]+"));
            assertThat(decode(rows, darkOnLight)).isEqualTo(pairing.deepLink());
        }
    }

    @Test
    void aBaseUrlThatIsNotHttpIsRefusedNamingTheField() {
        for (String bad : new String[] {"ftp://x", "not a url", "http://x:1/?a=b", "", "http://user:pw@x"}) {
            assertThatThrownBy(() -> Pairing.of(bad, KEY)).as(bad).isInstanceOf(InvalidInputException.class)
                    .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("baseUrl");
        }
    }

    /**
     * Reads the half blocks back into pixels (four per module, the drawn colour as in a terminal) and lets ZXing
     * decode them as a camera image would be decoded.
     */
    public static String decode(List<String> rows, boolean darkOnLight) throws Exception {
        int scale = 4;
        int margin = 8;
        int modulesWide = rows.getFirst().length();
        int modulesHigh = rows.size() * 2;
        int width = modulesWide * scale + 2 * margin * scale;
        int height = modulesHigh * scale + 2 * margin * scale;
        // the terminal's own colour around the drawing: dark behind light drawing, light behind dark drawing
        int background = darkOnLight ? 0xFFFFFF : 0x000000;
        int ink = darkOnLight ? 0x000000 : 0xFFFFFF;
        int[] pixels = new int[width * height];
        java.util.Arrays.fill(pixels, background);
        for (int r = 0; r < rows.size(); r++) {
            String row = rows.get(r);
            for (int c = 0; c < row.length(); c++) {
                char ch = row.charAt(c);
                boolean top = ch == '█' || ch == '▀';
                boolean bottom = ch == '█' || ch == '▄';
                paint(pixels, width, c, 2 * r, top ? ink : background, scale, margin);
                paint(pixels, width, c, 2 * r + 1, bottom ? ink : background, scale, margin);
            }
        }
        // either way the code's light modules come out light and its dark ones dark, as a camera would see them
        var bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(width, height, pixels)));
        return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
    }

    private static void paint(int[] pixels, int width, int x, int y, int colour, int scale, int margin) {
        for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
                pixels[(y * scale + dy + margin * scale) * width + x * scale + dx + margin * scale] = colour;
            }
        }
    }
}
