#!/usr/bin/env node
// Interop peer: an MCP client written with the official TypeScript SDK
// (`@modelcontextprotocol/sdk`, `Client` + `StdioClientTransport`, or
// `StreamableHTTPClientTransport` with `--url`).
//
// Spawns a server command over stdio (or connects to a Streamable HTTP
// endpoint), initializes (2025-11-25 handshake; the
// 1.x SDK has no 2026-07-28 support), then runs scenarios against the fixture
// set of the official conformance "everything" server. Prints one JSON line
// per scenario on stdout:
//
//   {"scenario": "...", "ok": true|false, "detail": "..."}
//
// Exits 0 when every scenario passed, 1 when any failed, 2 on a usage error.
// Diagnostics (and the server's stderr) go to stderr. Each scenario has its
// own timeout and the whole run has a deadline, so the client always stops by
// itself; on exit the SDK closes the server's stdin, then SIGTERM, then SIGKILL
// (over HTTP: the client DELETEs its session, if it got one, then closes).
//
// Usage:
//   node client.mjs [options] <scenario|group> -- <server command> [args...]
//   node client.mjs [options] <scenario|group> --url http://127.0.0.1:PORT/mcp
//   node client.mjs --list
// Groups: all (the conformance "everything" fixtures), extra (fixtures only the
// interop peer servers have), everything (both).
// Options:
//   --only a,b,c   run exactly these scenarios (overrides the positional name)
//   --timeout S    per-scenario timeout in seconds (default 10)
//   --url URL      Streamable HTTP endpoint instead of `-- <server command>`

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  McpError
} from '@modelcontextprotocol/sdk/types.js';

const CLIENT_INFO = { name: 'interop-typescript-client', version: '1.32.2' };
const SAMPLING_TEXT = 'This is a test response';
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAX_PAGES = 100;

class Fail extends Error {}

function check(cond, msg) {
  if (!cond) throw new Fail(msg);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------------- helpers

async function paginate(fetch, key) {
  const items = [];
  const seen = new Set();
  let cursor;
  let pages = 0;
  for (;;) {
    const page = await fetch(cursor === undefined ? {} : { cursor });
    pages++;
    items.push(...(page[key] ?? []));
    cursor = page.nextCursor;
    if (cursor === undefined || cursor === null) return { items, pages };
    check(!seen.has(cursor), `${key}: cursor ${JSON.stringify(cursor)} repeated`);
    check(pages < MAX_PAGES, `${key}: more than ${MAX_PAGES} pages`);
    seen.add(cursor);
  }
}

const texts = (content) => (content ?? []).filter((c) => c.type === 'text').map((c) => c.text ?? '');

function b64(data, what) {
  check(typeof data === 'string' && data.length > 0, `${what}: no base64 data`);
  check(/^[A-Za-z0-9+/]*={0,2}$/.test(data) && data.length % 4 === 0, `${what}: invalid base64`);
  return Buffer.from(data, 'base64');
}

async function waitFor(pred, limitMs = 1000) {
  const deadline = Date.now() + limitMs;
  while (!pred() && Date.now() < deadline) await sleep(10);
}

// Accept with the conformance user for username/email and a placeholder for any
// other required field. Schema defaults (SEP-1034) are NOT filled in here: the
// client declares `elicitation.form.applyDefaults`, so the SDK fills them.
function elicitationAnswer(schema) {
  const props = schema?.properties ?? {};
  const content = {};
  const fixed = { username: 'testuser', email: 'test@example.com' };
  for (const [k, v] of Object.entries(fixed)) {
    if (k in props || Object.keys(props).length === 0) content[k] = v;
  }
  for (const k of schema?.required ?? []) {
    if (!(k in content) && props[k]?.default === undefined) {
      content[k] = { integer: 0, number: 0, boolean: false }[props[k]?.type] ?? 'test';
    }
  }
  return content;
}

// ----------------------------------------------------------------------- scenarios

const SCENARIOS = new Map();
const scenario = (name, fn, group = 'all') => SCENARIOS.set(name, { group, fn });

scenario('initialize', async (ctx) => {
  const info = ctx.client.getServerVersion();
  check(info?.name && typeof info.version === 'string', `serverInfo missing or incomplete: ${JSON.stringify(info)}`);
  const caps = ctx.client.getServerCapabilities() ?? {};
  const problems = [];
  if (!caps.tools?.listChanged) problems.push('tools.listChanged');
  if (!caps.resources?.subscribe) problems.push('resources.subscribe');
  if (!caps.resources?.listChanged) problems.push('resources.listChanged');
  if (!caps.prompts?.listChanged) problems.push('prompts.listChanged');
  if (!caps.logging) problems.push('logging');
  if (!caps.completions) problems.push('completions');
  check(problems.length === 0, `capabilities lack ${problems.join(', ')}: ${JSON.stringify(caps)}`);
  let detail = `protocol ${ctx.protocolVersion}, server ${info.name} ${info.version}`;
  if (ctx.http) detail += ctx.http.sessionId ? `, session ${ctx.http.sessionId}` : ', no session';
  return detail;
});

scenario('ping', async (ctx) => {
  const res = await ctx.client.ping(ctx.opts);
  check(res && typeof res === 'object', `unexpected ping result ${JSON.stringify(res)}`);
  return 'pong';
});

scenario('tools-list', async (ctx) => {
  const { items, pages } = await paginate((p) => ctx.client.listTools(p, ctx.opts), 'tools');
  check(items.length > 0, 'no tools');
  for (const t of items) {
    check(t.name, `tool without name: ${JSON.stringify(t)}`);
    check(t.description, `tool ${t.name} has no description`);
    check(t.inputSchema?.type === 'object', `tool ${t.name} inputSchema ${JSON.stringify(t.inputSchema)}`);
  }
  return `${items.length} tools over ${pages} page(s)`;
});

async function call(ctx, name, args, extraOpts = {}) {
  const params = args === undefined ? { name } : { name, arguments: args };
  return ctx.client.callTool(params, undefined, { ...ctx.opts, ...extraOpts });
}

scenario('test_simple_text', async (ctx) => {
  const r = await call(ctx, 'test_simple_text'); // no `arguments` member at all
  check(!r.isError, `isError: ${JSON.stringify(r)}`);
  const t = texts(r.content);
  check(t.length && t[0], `no text content: ${JSON.stringify(r)}`);
  return t[0];
});

scenario('test_image_content', async (ctx) => {
  const r = await call(ctx, 'test_image_content', {});
  const imgs = r.content.filter((c) => c.type === 'image');
  check(imgs.length, `no image content: ${JSON.stringify(r)}`);
  check(imgs[0].mimeType === 'image/png', `mimeType ${imgs[0].mimeType}`);
  const raw = b64(imgs[0].data, 'image');
  check(raw.subarray(0, 8).equals(PNG_MAGIC), 'image data is not a PNG');
  return `image/png, ${raw.length} bytes`;
});

scenario('test_audio_content', async (ctx) => {
  const r = await call(ctx, 'test_audio_content', {});
  const aud = r.content.filter((c) => c.type === 'audio');
  check(aud.length, `no audio content: ${JSON.stringify(r)}`);
  check(aud[0].mimeType === 'audio/wav', `mimeType ${aud[0].mimeType}`);
  const raw = b64(aud[0].data, 'audio');
  check(raw.subarray(0, 4).toString() === 'RIFF' && raw.subarray(8, 12).toString() === 'WAVE', 'audio is not a WAV');
  return `audio/wav, ${raw.length} bytes`;
});

scenario('test_embedded_resource', async (ctx) => {
  const r = await call(ctx, 'test_embedded_resource', {});
  const res = r.content.filter((c) => c.type === 'resource');
  check(res.length, `no resource content: ${JSON.stringify(r)}`);
  const inner = res[0].resource ?? {};
  check(inner.uri === 'test://embedded-resource', `uri ${inner.uri}`);
  check(inner.mimeType === 'text/plain', `mimeType ${inner.mimeType}`);
  check(inner.text === 'This is an embedded resource content.', `text ${JSON.stringify(inner.text)}`);
  return inner.uri;
});

scenario('test_multiple_content_types', async (ctx) => {
  const r = await call(ctx, 'test_multiple_content_types', {});
  const kinds = r.content.map((c) => c.type);
  check(kinds.length >= 2, `fewer than 2 content items: ${kinds}`);
  for (const k of ['text', 'image', 'resource']) check(kinds.includes(k), `no ${k} item in ${kinds}`);
  const inner = r.content.find((c) => c.type === 'resource').resource ?? {};
  check(inner.uri === 'test://mixed-content-resource', `uri ${inner.uri}`);
  check(inner.mimeType === 'application/json', `mimeType ${inner.mimeType}`);
  let parsed;
  try {
    parsed = JSON.parse(inner.text ?? 'null');
  } catch {
    parsed = undefined;
  }
  check(parsed?.test === 'data' && parsed?.value === 123 && Object.keys(parsed).length === 2, `text ${inner.text}`);
  return kinds.join(',');
});

scenario('test_error_handling', async (ctx) => {
  let r;
  try {
    r = await call(ctx, 'test_error_handling', {});
  } catch (e) {
    if (e instanceof McpError) throw new Fail(`got a JSON-RPC error instead of an isError result: ${e.code} ${e.message}`);
    throw e;
  }
  check(r.isError === true, `isError not true: ${JSON.stringify(r)}`);
  const t = texts(r.content);
  check(t.length && t[0], `no error text: ${JSON.stringify(r)}`);
  return t[0];
});

scenario('test_tool_with_logging', async (ctx) => {
  const res = await ctx.client.setLoggingLevel('debug', ctx.opts);
  check(Object.keys(res ?? {}).filter((k) => k !== '_meta' && k !== 'resultType').length === 0, `setLevel result ${JSON.stringify(res)}`);
  ctx.logs.length = 0;
  const r = await call(ctx, 'test_tool_with_logging', {});
  check(!r.isError, `isError: ${JSON.stringify(r)}`);
  await waitFor(() => ctx.logs.length >= 3);
  check(ctx.logs.length >= 3, `${ctx.logs.length} log notifications, want >= 3: ${JSON.stringify(ctx.logs)}`);
  return `${ctx.logs.length} logs: ` + ctx.logs.map((m) => `${m.level}:${typeof m.data === 'string' ? m.data : JSON.stringify(m.data)}`).join('; ');
});

scenario('test_tool_with_progress', async (ctx) => {
  // Judged on the wire tap, not only on the SDK's onprogress callback: the 1.x SDK
  // routes progress in a later microtask than the response, so when the last
  // notification and the response arrive in one stdout chunk the response drops
  // the progress handler first and the SDK reports "unknown token" (a client-side
  // race; see ../README.md). The callback count is reported alongside.
  const seen = [];
  ctx.rawProgress.length = 0;
  ctx.sentProgressTokens.length = 0;
  const r = await call(ctx, 'test_tool_with_progress', {}, { onprogress: (p) => seen.push(p) });
  check(!r.isError, `isError: ${JSON.stringify(r)}`);
  const token = ctx.sentProgressTokens.at(-1);
  check(token !== undefined, 'the SDK sent no progressToken');
  const wire = ctx.rawProgress.filter((p) => p.progressToken === token);
  check(wire.length === ctx.rawProgress.length, `progress for foreign tokens: ${JSON.stringify(ctx.rawProgress)}`);
  check(wire.length >= 3, `${wire.length} progress notifications, want >= 3: ${JSON.stringify(wire)}`);
  const values = wire.map((p) => p.progress);
  check(values.every((v, i) => i === 0 || v > values[i - 1]), `progress not increasing: ${values}`);
  await waitFor(() => seen.length >= wire.length, 200);
  return (
    'progress ' +
    wire.map((p) => (p.total === undefined ? `${p.progress}` : `${p.progress}/${p.total}`)).join(',') +
    ` (token ${JSON.stringify(token)}; SDK onprogress saw ${seen.length})`
  );
});

scenario('test_sampling', async (ctx) => {
  ctx.samplingRequests.length = 0;
  const prompt = 'Test prompt for sampling';
  const r = await call(ctx, 'test_sampling', { prompt });
  check(!r.isError, `isError: ${JSON.stringify(r)}`);
  check(ctx.samplingRequests.length, 'the server sent no sampling/createMessage request');
  const req = ctx.samplingRequests[0];
  const msgs = req.messages ?? [];
  check(msgs.length && msgs[0].role === 'user', `sampling messages ${JSON.stringify(msgs)}`);
  const content = Array.isArray(msgs[0].content) ? msgs[0].content[0] : msgs[0].content;
  check(content?.text === prompt, `sampling content ${JSON.stringify(content)}`);
  check(Number.isInteger(req.maxTokens), `maxTokens ${req.maxTokens}`);
  const t = texts(r.content).join(' ');
  check(t.includes(SAMPLING_TEXT), `result text does not carry the sampled text: ${JSON.stringify(t)}`);
  return t;
});

scenario('test_elicitation', async (ctx) => {
  ctx.elicitationRequests.length = 0;
  const r = await call(ctx, 'test_elicitation', { message: 'Please provide your information' });
  check(!r.isError, `isError: ${JSON.stringify(r)}`);
  check(ctx.elicitationRequests.length, 'the server sent no elicitation/create request');
  const schema = ctx.elicitationRequests[0].requestedSchema ?? {};
  const props = schema.properties ?? {};
  check('username' in props && 'email' in props, `requestedSchema lacks username/email: ${JSON.stringify(schema)}`);
  const t = texts(r.content).join(' ');
  check(t.includes('testuser'), `result text does not carry the answer: ${JSON.stringify(t)}`);
  return t;
});

scenario('test_elicitation_sep1034_defaults', async (ctx) => {
  ctx.elicitationRequests.length = 0;
  const r = await call(ctx, 'test_elicitation_sep1034_defaults', {});
  check(!r.isError, `isError: ${JSON.stringify(r)}`);
  check(ctx.elicitationRequests.length, 'the server sent no elicitation/create request');
  const props = ctx.elicitationRequests[0].requestedSchema?.properties ?? {};
  const want = {
    name: ['string', 'John Doe'],
    age: ['integer', 30],
    score: ['number', 95.5],
    status: ['string', 'active'],
    verified: ['boolean', true]
  };
  for (const [key, [kind, def]] of Object.entries(want)) {
    const p = props[key] ?? {};
    check(p.type === kind, `${key}: type ${p.type}, want ${kind}`);
    check(p.default === def, `${key}: default ${JSON.stringify(p.default)}`);
  }
  const en = props.status?.enum ?? [];
  check(en.length === 3 && ['active', 'inactive', 'pending'].every((v) => en.includes(v)), 'status enum');
  const t = texts(r.content).join(' ');
  check(t.includes('John Doe'), `result text does not carry the defaults: ${JSON.stringify(t)}`);
  return t;
});

scenario('resources-list', async (ctx) => {
  const { items, pages } = await paginate((p) => ctx.client.listResources(p, ctx.opts), 'resources');
  check(items.length, 'no resources');
  for (const it of items) check(it.uri && it.name, `resource without uri/name: ${JSON.stringify(it)}`);
  return `${items.length} resources over ${pages} page(s): ${items.map((i) => i.uri).join(',')}`;
});

scenario('resources-read-text', async (ctx) => {
  const r = await ctx.client.readResource({ uri: 'test://static-text' }, ctx.opts);
  const c = r.contents?.[0] ?? {};
  check(c.uri === 'test://static-text', `uri ${c.uri}`);
  check(c.mimeType === 'text/plain', `mimeType ${c.mimeType}`);
  check(c.text === 'This is the content of the static text resource.', `text ${JSON.stringify(c.text)}`);
  return c.text;
});

scenario('resources-read-binary', async (ctx) => {
  const r = await ctx.client.readResource({ uri: 'test://static-binary' }, ctx.opts);
  const c = r.contents?.[0] ?? {};
  check(c.uri === 'test://static-binary', `uri ${c.uri}`);
  check(c.mimeType === 'image/png', `mimeType ${c.mimeType}`);
  const raw = b64(c.blob, 'blob');
  check(raw.subarray(0, 8).equals(PNG_MAGIC), 'blob is not a PNG');
  return `image/png blob, ${raw.length} bytes`;
});

scenario('resources-templates-list', async (ctx) => {
  const { items, pages } = await paginate((p) => ctx.client.listResourceTemplates(p, ctx.opts), 'resourceTemplates');
  const uris = items.map((t) => t.uriTemplate);
  check(uris.includes('test://template/{id}/data'), `template missing: ${uris}`);
  for (const t of items) check(t.name, `template without name: ${JSON.stringify(t)}`);
  return `${items.length} template(s) over ${pages} page(s): ${uris.join(',')}`;
});

scenario('resources-templates-read', async (ctx) => {
  const r = await ctx.client.readResource({ uri: 'test://template/123/data' }, ctx.opts);
  const c = r.contents?.[0] ?? {};
  check(c.uri === 'test://template/123/data', `uri ${c.uri}`);
  check(c.mimeType === 'application/json', `mimeType ${c.mimeType}`);
  check((c.text ?? '').includes('123'), `text ${JSON.stringify(c.text)}`);
  JSON.parse(c.text);
  return c.text;
});

scenario('resources-subscribe', async (ctx) => {
  const uri = 'test://watched-resource';
  const a = await ctx.client.subscribeResource({ uri }, ctx.opts);
  const b = await ctx.client.unsubscribeResource({ uri }, ctx.opts);
  for (const [what, res] of [['subscribe', a], ['unsubscribe', b]]) {
    const keys = Object.keys(res ?? {}).filter((k) => k !== '_meta' && k !== 'resultType');
    check(keys.length === 0, `${what} result not empty: ${JSON.stringify(res)}`);
  }
  return 'subscribe + unsubscribe returned {}';
});

scenario('prompts-list', async (ctx) => {
  const { items, pages } = await paginate((p) => ctx.client.listPrompts(p, ctx.opts), 'prompts');
  check(items.length, 'no prompts');
  for (const p of items) check(p.name && p.description, `prompt without name/description: ${JSON.stringify(p)}`);
  return `${items.length} prompts over ${pages} page(s): ${items.map((p) => p.name).join(',')}`;
});

function promptMessages(r) {
  check(r.messages?.length, `no messages: ${JSON.stringify(r)}`);
  return r.messages;
}

scenario('test_simple_prompt', async (ctx) => {
  const m = promptMessages(await ctx.client.getPrompt({ name: 'test_simple_prompt' }, ctx.opts))[0];
  check(m.role === 'user', `role ${m.role}`);
  check(m.content?.type === 'text', `content ${JSON.stringify(m.content)}`);
  return m.content.text;
});

scenario('test_prompt_with_arguments', async (ctx) => {
  const r = await ctx.client.getPrompt(
    { name: 'test_prompt_with_arguments', arguments: { arg1: 'testValue1', arg2: 'testValue2' } },
    ctx.opts
  );
  const joined = promptMessages(r).map((m) => m.content?.text ?? '').join(' ');
  check(joined.includes('testValue1') && joined.includes('testValue2'), `arguments not in messages: ${JSON.stringify(joined)}`);
  return joined;
});

scenario('test_prompt_with_embedded_resource', async (ctx) => {
  const uri = 'test://example-resource';
  const msgs = promptMessages(
    await ctx.client.getPrompt({ name: 'test_prompt_with_embedded_resource', arguments: { resourceUri: uri } }, ctx.opts)
  );
  const kinds = msgs.map((m) => m.content?.type);
  const res = msgs.filter((m) => m.content?.type === 'resource').map((m) => m.content);
  check(res.length, `no resource message: ${kinds}`);
  const inner = res[0].resource ?? {};
  check(inner.uri === uri, `uri ${inner.uri}`);
  check(inner.mimeType === 'text/plain', `mimeType ${inner.mimeType}`);
  check(inner.text, 'resource has no text');
  check(kinds.includes('text'), `no text message: ${kinds}`);
  return kinds.join(',');
});

scenario('test_prompt_with_image', async (ctx) => {
  const msgs = promptMessages(await ctx.client.getPrompt({ name: 'test_prompt_with_image' }, ctx.opts));
  const kinds = msgs.map((m) => m.content?.type);
  const imgs = msgs.filter((m) => m.content?.type === 'image').map((m) => m.content);
  check(imgs.length, `no image message: ${kinds}`);
  check(imgs[0].mimeType === 'image/png', `mimeType ${imgs[0].mimeType}`);
  check(b64(imgs[0].data, 'image').subarray(0, 8).equals(PNG_MAGIC), 'image data is not a PNG');
  check(kinds.includes('text'), `no text message: ${kinds}`);
  return kinds.join(',');
});

const completeArg1 = (ctx) =>
  ctx.client.complete(
    { ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' }, argument: { name: 'arg1', value: 'test' } },
    ctx.opts
  );

scenario('completion-complete', async (ctx) => {
  const r = await completeArg1(ctx);
  check(Array.isArray(r.completion?.values), `completion.values is not an array: ${JSON.stringify(r)}`);
  return `values ${JSON.stringify(r.completion.values)}`;
});

// -------------------------------------------------- extras (interop peer servers)

scenario(
  'add_numbers',
  async (ctx) => {
    const { items } = await paginate((p) => ctx.client.listTools(p, ctx.opts), 'tools');
    const tool = items.find((t) => t.name === 'add_numbers');
    check(tool, 'no add_numbers tool');
    check(tool.outputSchema?.properties?.result, `outputSchema lacks result: ${JSON.stringify(tool.outputSchema)}`);
    // The SDK validates structuredContent against the listed outputSchema here.
    const r = await call(ctx, 'add_numbers', { a: 5, b: 10 });
    check(!r.isError, `isError: ${JSON.stringify(r)}`);
    check(r.structuredContent?.result === 15, `structuredContent ${JSON.stringify(r.structuredContent)}`);
    const t = texts(r.content);
    check(t.length && Number(t[0]) === 15, `text content ${JSON.stringify(t)}`);
    return `text ${JSON.stringify(t[0])}, structuredContent ${JSON.stringify(r.structuredContent)}`;
  },
  'extra'
);

scenario(
  'tools-list-paginated',
  async (ctx) => {
    const { items, pages } = await paginate((p) => ctx.client.listTools(p, ctx.opts), 'tools');
    check(pages > 1, `tools/list fit on ${pages} page`);
    const names = items.map((t) => t.name);
    check(new Set(names).size === names.length, `duplicate tools across pages: ${names}`);
    return `${items.length} tools over ${pages} pages`;
  },
  'extra'
);

scenario(
  'completion-values',
  async (ctx) => {
    const values = (await completeArg1(ctx)).completion?.values;
    check(JSON.stringify(values) === JSON.stringify(['testValue1', 'testValue2']), `values ${JSON.stringify(values)}`);
    const r = await ctx.client.complete(
      { ref: { type: 'ref/resource', uri: 'test://template/{id}/data' }, argument: { name: 'id', value: '12' } },
      ctx.opts
    );
    const tvalues = r.completion?.values;
    check(JSON.stringify(tvalues) === JSON.stringify(['123', '124']), `template id values ${JSON.stringify(tvalues)}`);
    return `arg1 ${JSON.stringify(values)}, id ${JSON.stringify(tvalues)}`;
  },
  'extra'
);

// ---------------------------------------------------------------------------- main

function emit(name, ok, detail, extra = {}) {
  process.stdout.write(JSON.stringify({ scenario: name, ok, detail, ...extra }) + '\n');
}

function describe(e) {
  if (e instanceof Fail) return e.message;
  if (e instanceof McpError) return `JSON-RPC error ${e.code}: ${e.message}`;
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(e)}`;
}

function usage(msg) {
  if (msg) process.stderr.write(`error: ${msg}\n`);
  process.stderr.write(
    'usage: node client.mjs [--only a,b] [--timeout S] <scenario|all|extra|everything> -- <server command> [args...]\n' +
      '       node client.mjs [--only a,b] [--timeout S] <scenario|all|extra|everything> --url http://HOST:PORT/mcp\n' +
      '       node client.mjs --list\n'
  );
  process.exit(2);
}

function parseArgs(argv) {
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const command = split === -1 ? [] : argv.slice(split + 1);
  const opts = { target: 'all', only: undefined, timeout: 10, list: false, url: undefined, command };
  for (let i = 0; i < own.length; i++) {
    const a = own[i];
    if (a === '--only') opts.only = own[++i];
    else if (a.startsWith('--only=')) opts.only = a.slice(7);
    else if (a === '--timeout') opts.timeout = Number(own[++i]);
    else if (a.startsWith('--timeout=')) opts.timeout = Number(a.slice(10));
    else if (a === '--url') opts.url = own[++i];
    else if (a.startsWith('--url=')) opts.url = a.slice(6);
    else if (a === '--list') opts.list = true;
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else opts.target = a;
  }
  if (!(opts.timeout > 0)) usage('--timeout must be a positive number');
  if (opts.url !== undefined) {
    let parsed;
    try {
      parsed = new URL(opts.url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) usage(`--url must be an http(s) URL, got ${opts.url}`);
    opts.url = parsed;
  }
  return opts;
}

function select(target, only) {
  let names;
  if (only) names = only.split(',').map((s) => s.trim()).filter(Boolean);
  else if (target === 'everything') names = [...SCENARIOS.keys()];
  else if (target === 'all' || target === 'extra') names = [...SCENARIOS].filter(([, s]) => s.group === target).map(([n]) => n);
  else names = [target];
  const unknown = names.filter((n) => !SCENARIOS.has(n));
  if (unknown.length) usage(`unknown scenario(s): ${unknown.join(', ')} (see --list)`);
  return names;
}

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Fail(`timeout after ${ms / 1000}s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.list) {
    for (const [n, s] of SCENARIOS) process.stdout.write(`${n}\t${s.group}\n`);
    return 0;
  }
  if ((opts.command.length > 0) === (opts.url !== undefined)) usage('give exactly one of `-- <server command> [args...]` and `--url URL`');
  const names = select(opts.target, opts.only);
  const timeoutMs = opts.timeout * 1000;
  const results = new Map();

  // The whole run's deadline: every scenario's timeout, plus start-up and shutdown.
  const deadline = setTimeout(() => {
    for (const n of names) if (!results.has(n)) emit(n, false, `not run: run deadline exceeded`);
    process.exit(1);
  }, timeoutMs * (names.length + 3));
  deadline.unref();

  const ctx = {
    logs: [],
    samplingRequests: [],
    elicitationRequests: [],
    rawProgress: [],
    sentProgressTokens: [],
    protocolVersion: undefined,
    http: undefined, // the StreamableHTTPClientTransport, over HTTP
    opts: { timeout: timeoutMs }
  };
  const client = new Client(CLIENT_INFO, {
    // applyDefaults: the SDK fills SEP-1034 schema defaults into accepted elicitation content.
    capabilities: { sampling: {}, elicitation: { form: { applyDefaults: true } } }
  });
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    ctx.samplingRequests.push(request.params);
    return {
      role: 'assistant',
      content: { type: 'text', text: SAMPLING_TEXT },
      model: 'test-model',
      stopReason: 'endTurn'
    };
  });
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    ctx.elicitationRequests.push(request.params);
    return { action: 'accept', content: elicitationAnswer(request.params.requestedSchema) };
  });
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    ctx.logs.push(notification.params);
  });
  client.onerror = (e) => process.stderr.write(`[interop-typescript-client] ${describe(e)}\n`);
  ctx.client = client;

  const http = opts.url !== undefined;
  // HTTP tap: every exchange as `METHOD status`, printed to stderr at the end.
  const exchanges = [];
  const tapFetch = async (url, init) => {
    const response = await fetch(url, init);
    exchanges.push(`${init?.method ?? 'GET'} ${response.status}`);
    return response;
  };
  const transport = http
    ? new StreamableHTTPClientTransport(opts.url, { fetch: tapFetch })
    : new StdioClientTransport({
        command: opts.command[0],
        args: opts.command.slice(1),
        env: { ...process.env },
        stderr: 'inherit'
      });
  // The Client calls the transport's protocol-version setter, if it has one, after
  // the handshake: that is how the negotiated version is observed here. The stdio
  // transport has none; the HTTP one needs its own (it sends MCP-Protocol-Version).
  if (http) ctx.http = transport;
  const setProtocolVersion = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (v) => {
    ctx.protocolVersion = v;
    setProtocolVersion?.(v);
  };

  // Wire tap: progress tokens on outgoing requests, progress notifications as received.
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    const token = message?.params?._meta?.progressToken;
    if (message?.method && token !== undefined) ctx.sentProgressTokens.push(token);
    return send(message, options);
  };

  let connectError;
  try {
    await withTimeout(client.connect(transport, { timeout: timeoutMs }), timeoutMs);
    const deliver = transport.onmessage; // installed by the Client on connect
    transport.onmessage = (message, extra) => {
      if (message?.method === 'notifications/progress') ctx.rawProgress.push(message.params);
      deliver?.(message, extra);
    };
    const session = http ? `, session ${transport.sessionId ?? 'none (stateless)'}` : '';
    process.stderr.write(`[interop-typescript-client] negotiated ${ctx.protocolVersion}${session}\n`);
  } catch (e) {
    connectError = e;
  }

  for (const name of names) {
    if (connectError) {
      const reason = `connection failed: ${describe(connectError)}`;
      emit(name, false, name === 'initialize' ? reason : `not run: ${reason}`);
      results.set(name, false);
      continue;
    }
    try {
      const detail = await withTimeout(SCENARIOS.get(name).fn(ctx), timeoutMs);
      // Over HTTP, the initialize line also carries the Mcp-Session-Id the server handed out.
      emit(name, true, detail, name === 'initialize' && http ? { session: transport.sessionId ?? null } : {});
      results.set(name, true);
    } catch (e) {
      if (!(e instanceof Fail) && !(e instanceof McpError)) process.stderr.write(`${e?.stack ?? e}\n`);
      emit(name, false, describe(e));
      results.set(name, false);
    }
  }

  if (http && !connectError) {
    // The Python SDK DELETEs its session on exit; do the same (a no-op without a session).
    await withTimeout(transport.terminateSession(), timeoutMs).catch((e) => process.stderr.write(`DELETE session: ${describe(e)}\n`));
  }
  await withTimeout(client.close(), 6000).catch((e) => process.stderr.write(`close: ${describe(e)}\n`));
  if (http) process.stderr.write(`[interop-typescript-client] HTTP exchanges: ${exchanges.join(' ')}\n`);
  return names.every((n) => results.get(n)) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
  }
);
