// Drives a Switchboard server with the official `openai` npm client, unmodified, and prints what it got as JSON.
// Run by OpenAiClientsTest: node openai-client.mjs <baseURL> (the API key comes in OPENAI_API_KEY).
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.argv[2], maxRetries: 0 });
const result = {};

const models = [];
for await (const model of client.models.list()) {
  models.push(model.id);
}
result.models = models;

const whole = await client.chat.completions.create({
  model: 'agent:default',
  messages: [{ role: 'user', content: 'Hi' }],
});
result.whole = { content: whole.choices[0].message.content, finish: whole.choices[0].finish_reason, usage: whole.usage };

const stream = await client.chat.completions.create({
  model: 'agent:default',
  messages: [{ role: 'user', content: 'Hi' }],
  stream: true,
  stream_options: { include_usage: true },
});
let text = '';
let finish = null;
let usage = null;
let chunks = 0;
for await (const chunk of stream) {
  chunks++;
  if (chunk.choices.length > 0) {
    text += chunk.choices[0].delta?.content ?? '';
    finish = chunk.choices[0].finish_reason ?? finish;
  }
  usage = chunk.usage ?? usage;
}
result.streamed = { text, finish, usage, chunks };

const tools = [{
  type: 'function',
  function: {
    name: 'book_table',
    description: 'Books a table',
    parameters: { type: 'object', properties: { people: { type: 'integer' } } },
  },
}];
const messages = [{ role: 'user', content: 'Book a table for two' }];
const asked = await client.chat.completions.create({ model: 'agent:default', messages, tools });
const call = asked.choices[0].message.tool_calls[0];
messages.push(asked.choices[0].message);
messages.push({ role: 'tool', tool_call_id: call.id, content: 'confirmation X1' });
const answered = await client.chat.completions.create({ model: 'agent:default', messages, tools });
result.functions = {
  finish: asked.choices[0].finish_reason,
  name: call.function.name,
  arguments: call.function.arguments,
  answer: answered.choices[0].message.content,
};

// the streamed form of the same call, accumulated by the client's own helper
const runner = client.chat.completions.stream({ model: 'agent:default', messages: messages.slice(0, 1), tools });
const final = await runner.finalChatCompletion();
result.streamedFunctions = {
  finish: final.choices[0].finish_reason,
  name: final.choices[0].message.tool_calls?.[0]?.function.name,
  arguments: final.choices[0].message.tool_calls?.[0]?.function.arguments,
};

try {
  await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'Hi' }] });
  result.unknownModel = 'no error';
} catch (e) {
  result.unknownModel = { status: e.status, code: e.code, type: e.type, name: e.constructor.name };
}

console.log(JSON.stringify(result));
