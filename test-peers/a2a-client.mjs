// Drives a Switchboard server with the official `@a2a-js/sdk` client, unmodified, and prints what it got as JSON.
// Run by A2aClientsTest: node a2a-client.mjs <baseURL> <v1|legacy> (the API key comes in A2A_API_KEY).
// v1: the SDK's defaults (protocol v1.0), over JSON-RPC and over HTTP+JSON (REST).
// legacy: `legacyCompat: { enabled: true }` with the card a v0.3 client reads (no A2A-Version header): the SDK then
// speaks v0.3 JSON-RPC (`message/send`, ...). The v1.0 interfaces the card embeds are dropped first, because a
// compat client prefers v1.0 whenever a card offers it.
import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
  RestTransportFactory,
} from '@a2a-js/sdk/client';

const [base, mode] = process.argv.slice(2);
const key = process.env.A2A_API_KEY;
const authFetch = (url, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${key}`);
  return fetch(url, { ...init, headers });
};
const legacyCompat = mode === 'legacy' ? { enabled: true } : undefined;
const resolver = new DefaultAgentCardResolver({ fetchImpl: authFetch, legacyCompat });

function factory(preferred) {
  return new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
    transports: [new JsonRpcTransportFactory({ fetchImpl: authFetch, legacyCompat }),
      new RestTransportFactory({ fetchImpl: authFetch, legacyCompat })],
    cardResolver: resolver,
    preferredTransports: [preferred],
  }));
}

const textOf = (parts) => (parts ?? []).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
const message = (text, extra = {}) => ({
  messageId: `m-${Math.random().toString(36).slice(2)}`,
  role: 1, // ROLE_USER
  parts: [{ content: { $case: 'text', value: text } }],
  ...extra,
});
const summary = (task) => ({
  id: task.id,
  contextId: task.contextId,
  state: task.status?.state,
  answer: textOf(task.artifacts?.[0]?.parts),
  history: (task.history ?? []).length,
});

async function exercise(client) {
  const out = { protocolVersion: client.protocolVersion };
  const sent = await client.sendMessage({ message: message('Hi') });
  out.send = summary(sent);
  const events = [];
  let streamed = '';
  for await (const event of client.sendMessageStream({ message: message('Hi again', { contextId: sent.contextId }) })) {
    const payload = event.payload ?? { $case: event.kind, value: event };
    events.push(payload.$case);
    if (payload.$case === 'artifactUpdate') streamed += textOf(payload.value.artifact?.parts);
    if (payload.$case === 'statusUpdate') events.push(`state:${payload.value.status?.state}`);
  }
  out.stream = { events, text: streamed };
  out.get = summary(await client.getTask({ id: sent.id, historyLength: 1 }));
  try {
    const listed = await client.listTasks({ contextId: sent.contextId, pageSize: 10 });
    out.list = { count: listed.tasks.length, totalSize: listed.totalSize, ids: listed.tasks.map((t) => t.id) };
  } catch (e) {
    out.list = { error: String(e.message ?? e) };
  }
  const slow = await client.sendMessage({ message: message('please be slow'),
    configuration: { returnImmediately: true } });
  out.slowState = slow.status?.state;
  out.cancel = summary(await client.cancelTask({ id: slow.id }));
  try {
    await client.getTask({ id: 'task-does-not-exist' });
    out.unknown = 'no error';
  } catch (e) {
    out.unknown = { name: e.name, message: String(e.message) };
  }
  return out;
}

const result = {};
if (mode === 'legacy') {
  const card = await (await fetch(new URL('/.well-known/agent-card.json', base))).json();
  result.card = { protocolVersion: card.protocolVersion, url: card.url, skills: card.skills.map((s) => s.id),
    streaming: card.capabilities.streaming, pushNotifications: card.capabilities.pushNotifications };
  delete card.supportedInterfaces;
  result.jsonrpc = await exercise(await factory('JSONRPC').createFromAgentCard(card));
} else {
  const card = await resolver.resolve(base);
  result.card = { interfaces: card.supportedInterfaces.map((i) => `${i.protocolBinding} ${i.protocolVersion}`),
    skills: card.skills.map((s) => s.id), streaming: card.capabilities.streaming,
    pushNotifications: card.capabilities.pushNotifications };
  result.jsonrpc = await exercise(await factory('JSONRPC').createFromUrl(base));
  result.rest = await exercise(await factory('HTTP+JSON').createFromUrl(base));
}
console.log(JSON.stringify(result));
