package dev.switchboard.face.socketio;

import io.javalin.websocket.WsContext;
import io.socket.engineio.server.EngineIoWebSocket;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Engine.IO's websocket transport over one Javalin (Jetty 12) WebSocket. */
final class EngineIoSocketOverJavalin extends EngineIoWebSocket {

    private final WsContext ctx;
    private final Map<String, String> query = new HashMap<>();
    private final Map<String, List<String>> headers = new HashMap<>();

    EngineIoSocketOverJavalin(WsContext ctx) {
        this.ctx = ctx;
        ctx.queryParamMap().forEach((name, values) -> {
            if (!values.isEmpty()) {
                query.put(name, values.getFirst());
            }
        });
        ctx.headerMap().forEach((name, value) -> headers.put(name, List.of(value)));
    }

    @Override
    public Map<String, String> getQuery() {
        return query;
    }

    @Override
    public Map<String, List<String>> getConnectionHeaders() {
        return headers;
    }

    @Override
    public void write(String message) {
        if (ctx.session.isOpen()) {
            ctx.send(message);
        }
    }

    @Override
    public void write(byte[] message) {
        if (ctx.session.isOpen()) {
            ctx.send(ByteBuffer.wrap(message));
        }
    }

    @Override
    public void close() {
        if (ctx.session.isOpen()) {
            ctx.closeSession();
        }
    }
}
