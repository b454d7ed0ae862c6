package dev.switchboard.face.remote;

import io.javalin.http.Context;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves bytes with single HTTP range requests (RFC 9110 §14): {@code bytes=a-b}, {@code bytes=a-} and the suffix
 * {@code bytes=-n} answer 206 with {@code Content-Range}; a range that starts past the end answers 416 with
 * {@code Content-Range: bytes *&#47;length}. A header that is not a single byte range is ignored (the whole body,
 * 200), as the RFC allows; several ranges are answered whole too, which keeps the code small and players happy.
 */
final class ByteRanges {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private ByteRanges() {
    }

    static void serve(Context ctx, byte[] data, String contentType) {
        ctx.header("Accept-Ranges", "bytes").contentType(contentType);
        String header = ctx.header("Range");
        Matcher m = header == null ? null : SINGLE.matcher(header.strip());
        if (m == null || !m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            ctx.result(data);
            return;
        }
        long length = data.length;
        long start;
        long end;
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0) {
                    unsatisfiable(ctx, length);
                    return;
                }
                start = Math.max(0, length - suffix);
                end = length - 1;
            } else {
                start = Long.parseLong(m.group(1));
                end = m.group(2).isEmpty() ? length - 1 : Math.min(Long.parseLong(m.group(2)), length - 1);
                if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start) {
                    // an invalid range-spec: the header is ignored
                    ctx.result(data);
                    return;
                }
            }
        } catch (NumberFormatException tooLong) {
            unsatisfiable(ctx, length);
            return;
        }
        if (start >= length) {
            unsatisfiable(ctx, length);
            return;
        }
        byte[] part = java.util.Arrays.copyOfRange(data, (int) start, (int) end + 1);
        ctx.status(206).header("Content-Range", "bytes " + start + "-" + end + "/" + length).result(part);
    }

    private static void unsatisfiable(Context ctx, long length) {
        ctx.status(416).header("Content-Range", "bytes */" + length).contentType("application/json")
                .result("{\"error\":{\"code\":\"range_not_satisfiable\",\"message\":\"The range starts past the end "
                        + "of the " + length + " bytes\",\"details\":{\"field\":\"Range\"}}}");
    }
}
