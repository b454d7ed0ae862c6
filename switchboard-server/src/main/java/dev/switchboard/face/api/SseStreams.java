package dev.switchboard.face.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The SSE responses open now, so a stopping server can end them instead of waiting for their clients. */
public final class SseStreams {

    private final Set<SseStream> open = ConcurrentHashMap.newKeySet();
    private final int keepAliveSeconds;

    public SseStreams(int keepAliveSeconds) {
        this.keepAliveSeconds = keepAliveSeconds;
    }

    /** Starts an SSE response; close it when the handler is done. */
    public SseStream open(Context ctx) throws IOException {
        SseStream stream = SseStream.open(ctx, keepAliveSeconds, open::remove);
        open.add(stream);
        return stream;
    }

    /** Ends every open stream; their handlers return at once. */
    public void endAll() {
        open.forEach(SseStream::end);
    }
}
