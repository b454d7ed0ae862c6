// Drives Switchboard's Socket.IO face with the official `socket.io-client` npm package, unmodified, and prints
// what it saw as JSON. Run by SocketIoTest: node socketio-client.mjs <serverURL> <token> <transport>
// (<transport>: polling, or websocket). A wrong token must end in connect_error, which is printed too.
import { io } from 'socket.io-client';

const [url, token, transport] = process.argv.slice(2);
const result = { connected: false, joined: null, acks: [], stream: [], done: null, statuses: [], error: null };

const socket = io(url, {
  auth: { token },
  transports: [transport],
  reconnection: false,
  timeout: 10000,
});

const finish = () => {
  socket.close();
  process.stdout.write(JSON.stringify(result));
  process.exit(0);
};
setTimeout(() => { result.error = result.error ?? 'timeout'; finish(); }, 20000);

socket.on('connect_error', (err) => {
  result.error = { message: err.message, data: err.data ?? null };
  finish();
});
socket.on('agent:status', (status) => result.statuses.push(status));
socket.on('chat:stream', (chunk) => result.stream.push(chunk));
socket.on('chat:joined', (joined) => { result.joined = joined; });
socket.on('chat:done', (done) => {
  result.done = done;
  // agent:status "idle" follows right after the run's last event
  setTimeout(finish, 300);
});

socket.on('connect', async () => {
  result.connected = true;
  result.transport = socket.io.engine.transport.name;
  result.acks.push(await socket.emitWithAck('chat:join', { agentId: 'default', sessionId: 'sio-' + transport }));
  result.acks.push(await socket.emitWithAck('chat:message', { agentId: 'nobody-here' , content: 'hi' }));
  result.acks.push(await socket.emitWithAck('chat:message', { agentId: 'default', content: 'Hi there' }));
});
