package dev.switchboard.face.mcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A loopback TCP proxy that adds the API key to every HTTP request it forwards, for MCP clients that cannot send
 * headers of their own (the conformance tool). Everything else, {@code Host} and {@code Origin} included, passes
 * unchanged; each request goes on its own upstream connection ({@code Connection: close}), so responses, event
 * streams too, are piped through as they come.
 */
final class AuthInjectingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int upstreamPort;
    private final String authorization;
    private final Thread acceptor;

    AuthInjectingProxy(int upstreamPort, String apiKey) {
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.upstreamPort = upstreamPort;
        this.authorization = "Authorization: Bearer " + apiKey;
        this.acceptor = Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread.ofVirtual().start(() -> forward(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void forward(Socket client) {
        try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            OutputStream toUpstream = upstream.getOutputStream();
            toUpstream.write(rewrite(new String(head, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1));
            toUpstream.flush();
            Thread body = Thread.ofVirtual().start(() -> pipe(in, toUpstream));
            pipe(upstream.getInputStream(), client.getOutputStream());
            body.interrupt();
        } catch (IOException e) {
            // a side hung up: the exchange is over
        }
    }

    /** The request head with the key added and the connection marked to close after the response. */
    private String rewrite(String head) {
        StringBuilder out = new StringBuilder();
        String[] lines = head.split("\r\n");
        out.append(lines[0]).append("\r\n");
        for (int i = 1; i < lines.length; i++) {
            String lower = lines[i].toLowerCase(Locale.ROOT);
            if (lines[i].isEmpty() || lower.startsWith("connection:") || lower.startsWith("authorization:")
                    || lower.startsWith("keep-alive:")) {
                continue;
            }
            out.append(lines[i]).append("\r\n");
        }
        out.append(authorization).append("\r\nConnection: close\r\n\r\n");
        return out.toString();
    }

    /** Reads up to and including the blank line that ends the head; null when the client closed first. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    private static void pipe(InputStream from, OutputStream to) {
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = from.read(buffer)) >= 0) {
                to.write(buffer, 0, read);
                to.flush();
            }
        } catch (IOException e) {
            // one side closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing is best effort
        }
        acceptor.interrupt();
    }
}
