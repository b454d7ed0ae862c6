package dev.switchboard.face.socketio;

import dev.switchboard.event.SessionEvents;
import dev.switchboard.user.Principal;
import io.socket.socketio.server.SocketIoSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One authenticated Socket.IO socket and the conversations it joined. */
final class ChatSocket {

    /** A joined conversation: the live subscription and the text of the run being streamed. */
    static final class Joined {
        final String sessionId;
        final String agentId;
        final StringBuilder text = new StringBuilder();
        SessionEvents.Subscription subscription;

        Joined(String sessionId, String agentId) {
            this.sessionId = sessionId;
            this.agentId = agentId;
        }
    }

    final SocketIoSocket socket;
    final Principal principal;
    final Map<String, Joined> joined = new ConcurrentHashMap<>();

    ChatSocket(SocketIoSocket socket, Principal principal) {
        this.socket = socket;
        this.principal = principal;
    }

    /** The joined conversation with this agent, if exactly the agent was named. */
    Joined withAgent(String agentId) {
        for (Joined j : joined.values()) {
            if (j.agentId.equals(agentId)) {
                return j;
            }
        }
        return null;
    }

    void leave(Joined j) {
        joined.remove(j.sessionId);
        if (j.subscription != null) {
            j.subscription.close();
        }
    }

    void leaveAll() {
        joined.values().forEach(this::leave);
    }
}
