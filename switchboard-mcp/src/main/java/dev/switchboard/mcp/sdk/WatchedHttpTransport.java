package dev.switchboard.mcp.sdk;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * An SDK HTTP transport, told when it fails to connect. The SDK's SSE transport logs a refused stream but lets
 * {@code initialize} wait for its whole timeout; this ends the wait at once.
 */
final class WatchedHttpTransport implements McpClientTransport {

    private final McpClientTransport delegate;
    private final CompletableFuture<String> failed = new CompletableFuture<>();

    WatchedHttpTransport(McpClientTransport delegate) {
        this.delegate = delegate;
    }

    /** Completes with a reason when connecting failed. */
    CompletableFuture<String> failed() {
        return failed;
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        return delegate.connect(handler)
                .doOnError(e -> failed.complete("could not connect: " + McpSession.describe(e)));
    }

    @Override
    public void setExceptionHandler(Consumer<Throwable> handler) {
        delegate.setExceptionHandler(handler);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return delegate.closeGracefully();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return delegate.sendMessage(message);
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
        return delegate.unmarshalFrom(data, type);
    }

    @Override
    public List<String> protocolVersions() {
        return delegate.protocolVersions();
    }
}
