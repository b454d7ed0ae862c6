package dev.switchboard.face.socketio;

import io.socket.engineio.server.EngineIoServer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Engine.IO's polling transport on a Javalin handler. Engine.IO parks a long poll with the servlet's
 * {@code startAsync()} and completes it when it has packets; Javalin's handlers run on virtual threads, so here the
 * handler simply waits for that completion instead: the request looks async to Engine.IO, and nothing else in the
 * server needs to know.
 */
final class LongPoll extends HttpServletRequestWrapper implements AsyncContext {

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final List<AsyncListener> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch completed = new CountDownLatch(1);
    private volatile boolean started;
    private volatile long timeoutMillis = 30_000;

    private LongPoll(HttpServletRequest request, HttpServletResponse response) {
        super(request);
        this.request = request;
        this.response = response;
    }

    /** Hands one polling request to Engine.IO and returns once its answer is written. */
    static void handle(EngineIoServer engine, HttpServletRequest request, HttpServletResponse response)
            throws IOException, InterruptedException {
        LongPoll poll = new LongPoll(request, response);
        engine.handleRequest(poll, response);
        poll.awaitAnswer();
    }

    private void awaitAnswer() throws InterruptedException {
        if (!started) {
            return;
        }
        if (!completed.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            // Engine.IO answers a timed-out poll with a no-op packet, which completes it
            AsyncEvent event = new AsyncEvent(this, request, response);
            for (AsyncListener listener : listeners) {
                try {
                    listener.onTimeout(event);
                } catch (IOException ignored) {
                    // the client went away; nothing to answer
                }
            }
            completed.await(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public boolean isAsyncSupported() {
        return true;
    }

    @Override
    public boolean isAsyncStarted() {
        return started && completed.getCount() > 0;
    }

    @Override
    public AsyncContext startAsync() {
        started = true;
        return this;
    }

    @Override
    public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse) {
        return startAsync();
    }

    @Override
    public AsyncContext getAsyncContext() {
        return this;
    }

    @Override
    public ServletRequest getRequest() {
        return this;
    }

    @Override
    public ServletResponse getResponse() {
        return response;
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
        return false;
    }

    @Override
    public void dispatch() {
        // the servlet API lets an async request be re-dispatched; Engine.IO completes its polls and never asks
        throw new UnsupportedOperationException("Engine.IO does not dispatch its polls");
    }

    @Override
    public void dispatch(String path) {
        dispatch();
    }

    @Override
    public void dispatch(ServletContext context, String path) {
        dispatch();
    }

    @Override
    public void complete() {
        completed.countDown();
    }

    @Override
    public void start(Runnable run) {
        Thread.startVirtualThread(run);
    }

    @Override
    public void addListener(AsyncListener listener) {
        listeners.add(listener);
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest servletRequest, ServletResponse servletResponse) {
        listeners.add(listener);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("Cannot create " + type.getName(), e);
        }
    }

    @Override
    public void setTimeout(long timeout) {
        timeoutMillis = timeout;
    }

    @Override
    public long getTimeout() {
        return timeoutMillis;
    }
}
