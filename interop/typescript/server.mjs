#!/usr/bin/env node
// Interop peer: an MCP server written with the official TypeScript SDK
// (`@modelcontextprotocol/sdk`, high-level `McpServer`), over stdio or Streamable HTTP.
//
// It exposes the fixtures of the official conformance "everything" server that
// a stdio peer can serve (same names, same texts), plus `add_numbers`
// (structured output) and paginated lists, for mcp-sansio's Rust client tests.
// The fixture list is documented in ../README.md.
//
// Usage: node server.mjs [--page-size N]                             stdio
//        node server.mjs [--page-size N] --http PORT [--stateless]   Streamable HTTP at http://127.0.0.1:PORT/mcp
//
// Over HTTP it is the SDK's `StreamableHTTPServerTransport` in the SDK's express
// app (`createMcpExpressApp`: JSON body parser, Host-header check for 127.0.0.1),
// listening on 127.0.0.1 only. Stateful: an `Mcp-Session-Id` session per
// `initialize` (its own McpServer and transport; GET stream; DELETE ends it).
// `--stateless`: a fresh McpServer and transport per POST, no session id, GET and
// DELETE answered 405. SIGTERM / SIGINT close everything and exit 0.
//
// The SDK (1.x) speaks the handshake era only: 2024-11-05 .. 2025-11-25 (and
// the pre-release 2024-10-07). Diagnostics go to stderr; over stdio stdout
// carries only MCP messages, over HTTP nothing.

import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { randomUUID } from 'node:crypto';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import {
  CreateMessageResultSchema,
  ElicitResultSchema,
  ErrorCode,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  isInitializeRequest,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

const SERVER_NAME = 'interop-typescript-server';
const SERVER_VERSION = '1.32.2'; // the pinned SDK version

// A 1x1 RGBA PNG and a 4-sample 8 kHz mono 16-bit WAV, generated for this project.
const TEST_IMAGE_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgaPj/HwAEggJ/59habAAAAABJRU5ErkJggg==';
const TEST_AUDIO_BASE64 = 'UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQgAAAAAAAAAAAAAAA==';

const COMPLETION_ARG1 = ['testValue1', 'testValue2', 'alpha', 'beta'];
const COMPLETION_TEMPLATE_ID = ['123', '124', '456'];
const STEP_DELAY_MS = 50; // the conformance server's ~50 ms between log/progress notifications

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (t) => ({ type: 'text', text: t });
const image = () => ({ type: 'image', data: TEST_IMAGE_BASE64, mimeType: 'image/png' });

const USAGE = 'usage: node server.mjs [--page-size N] [--http PORT [--stateless]]   (page size 0 = no pagination, default 5)\n';

function parseArgs(argv) {
  let pageSize = 5;
  let port;
  let stateless = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--page-size' && i + 1 < argv.length) {
      pageSize = Number.parseInt(argv[++i], 10);
    } else if (argv[i] === '--http' && i + 1 < argv.length) {
      port = Number(argv[++i]);
    } else if (argv[i] === '--stateless') {
      stateless = true;
    } else if (argv[i] === '-h' || argv[i] === '--help') {
      process.stderr.write(USAGE);
      process.exit(0);
    } else {
      process.stderr.write(`unknown argument ${argv[i]}\n${USAGE}`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(pageSize) || pageSize < 0) {
    process.stderr.write('--page-size must be a non-negative integer\n');
    process.exit(2);
  }
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    process.stderr.write('--http needs a port number (1-65535)\n');
    process.exit(2);
  }
  if (stateless && port === undefined) {
    process.stderr.write('--stateless needs --http PORT\n');
    process.exit(2);
  }
  return { pageSize, port, stateless };
}

const { pageSize, port, stateless } = parseArgs(process.argv.slice(2));

// One McpServer with every fixture. Over stdio there is one; over HTTP one per session
// (stateful) or per request (stateless), since an SDK 1.x server serves one transport.
function createServer() {
  const mcp = new McpServer(
    { name: SERVER_NAME, version: SERVER_VERSION },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        logging: {},
        completions: {}
      },
      instructions: 'Interop fixture server (official TypeScript SDK) for mcp-sansio tests.'
    }
  );

  // Errors the SDK reports without failing a request (e.g. a response to an unknown id) go to
  // the log.
  mcp.server.onerror = (error) => note(`error: ${error.message}`);

  // Sends a log message tied to the current request, honouring logging/setLevel
  // (the SDK's Server keeps the level and exposes the filter as isMessageIgnored).
  async function log(extra, level, data) {
    if (mcp.server.isMessageIgnored(level, extra.sessionId)) return;
    await extra.sendNotification({
      method: 'notifications/message',
      params: { level, logger: SERVER_NAME, data }
    });
  }

  // ----------------------------------------------------------------------------- tools

  mcp.registerTool('test_simple_text', { description: 'Tests simple text content response' }, async () => ({
    content: [text('This is a simple text response for testing.')]
  }));

  mcp.registerTool('test_image_content', { description: 'Tests image content response' }, async () => ({
    content: [image()]
  }));

  mcp.registerTool('test_audio_content', { description: 'Tests audio content response' }, async () => ({
    content: [{ type: 'audio', data: TEST_AUDIO_BASE64, mimeType: 'audio/wav' }]
  }));

  mcp.registerTool(
    'test_embedded_resource',
    { description: 'Tests embedded resource content response' },
    async () => ({
      content: [
        {
          type: 'resource',
          resource: {
            uri: 'test://embedded-resource',
            mimeType: 'text/plain',
            text: 'This is an embedded resource content.'
          }
        }
      ]
    })
  );

  mcp.registerTool(
    'test_multiple_content_types',
    { description: 'Tests response with multiple content types (text, image, resource)' },
    async () => ({
      content: [
        text('Multiple content types test:'),
        image(),
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 })
          }
        }
      ]
    })
  );

  mcp.registerTool('test_error_handling', { description: 'Tests error response handling' }, async () => ({
    isError: true,
    content: [text('This tool intentionally returns an error for testing')]
  }));

  mcp.registerTool(
    'test_tool_with_logging',
    { description: 'Tests tool that emits log messages during execution' },
    async (extra) => {
      await log(extra, 'info', 'Tool execution started');
      await sleep(STEP_DELAY_MS);
      await log(extra, 'info', 'Tool processing data');
      await sleep(STEP_DELAY_MS);
      await log(extra, 'info', 'Tool execution completed');
      return { content: [text('Tool with logging executed successfully')] };
    }
  );

  mcp.registerTool(
    'test_tool_with_progress',
    { description: 'Tests tool that reports progress notifications' },
    async (extra) => {
      const progressToken = extra._meta?.progressToken;
      const steps = [0, 50, 100];
      for (let i = 0; i < steps.length; i++) {
        if (i) await sleep(STEP_DELAY_MS);
        if (progressToken !== undefined) {
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress: steps[i], total: 100, message: `Completed step ${steps[i]} of 100` }
          });
        }
      }
      return { content: [text(String(progressToken ?? 0))] };
    }
  );

  mcp.registerTool(
    'test_sampling',
    {
      description: 'Tests server-initiated sampling (LLM completion request)',
      inputSchema: { prompt: z.string().describe('The prompt to send to the LLM') }
    },
    async ({ prompt }, extra) => {
      const result = await extra.sendRequest(
        {
          method: 'sampling/createMessage',
          params: { messages: [{ role: 'user', content: text(prompt) }], maxTokens: 100 }
        },
        CreateMessageResultSchema
      );
      const content = Array.isArray(result.content) ? result.content[0] : result.content;
      return { content: [text(`LLM response: ${content?.text ?? 'No response'}`)] };
    }
  );

  mcp.registerTool(
    'test_elicitation',
    {
      description: 'Tests server-initiated elicitation (user input request)',
      inputSchema: { message: z.string().describe('The message to show the user') }
    },
    async ({ message }, extra) => {
      const result = await extra.sendRequest(
        {
          method: 'elicitation/create',
          params: {
            mode: 'form',
            message,
            requestedSchema: {
              type: 'object',
              properties: {
                username: { type: 'string', description: "User's username" },
                email: { type: 'string', description: "User's email address" }
              },
              required: ['username', 'email']
            }
          }
        },
        ElicitResultSchema
      );
      return {
        content: [text(`User response: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`)]
      };
    }
  );

  mcp.registerTool(
    'test_elicitation_sep1034_defaults',
    { description: 'Tests elicitation with default values per SEP-1034' },
    async (extra) => {
      const result = await extra.sendRequest(
        {
          method: 'elicitation/create',
          params: {
            mode: 'form',
            message: 'Please review and update the form fields with defaults',
            requestedSchema: {
              type: 'object',
              properties: {
                name: { type: 'string', description: 'User name', default: 'John Doe' },
                age: { type: 'integer', description: 'User age', default: 30 },
                score: { type: 'number', description: 'User score', default: 95.5 },
                status: {
                  type: 'string',
                  description: 'User status',
                  enum: ['active', 'inactive', 'pending'],
                  default: 'active'
                },
                verified: { type: 'boolean', description: 'Verification status', default: true }
              },
              required: []
            }
          }
        },
        ElicitResultSchema
      );
      return {
        content: [text(`Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`)]
      };
    }
  );

  mcp.registerTool(
    'add_numbers',
    {
      description: 'Adds two numbers; returns the sum as text and as structured output {result}',
      inputSchema: { a: z.number().describe('First number'), b: z.number().describe('Second number') },
      outputSchema: { result: z.number().describe('a + b') }
    },
    async ({ a, b }) => ({
      content: [text(String(a + b))],
      structuredContent: { result: a + b }
    })
  );

  // ------------------------------------------------------------------------- resources

  mcp.registerResource(
    'static-text',
    'test://static-text',
    { title: 'Static Text Resource', description: 'A static text resource for testing', mimeType: 'text/plain' },
    async (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }]
    })
  );

  mcp.registerResource(
    'static-binary',
    'test://static-binary',
    { title: 'Static Binary Resource', description: 'A static binary resource (image) for testing', mimeType: 'image/png' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'image/png', blob: TEST_IMAGE_BASE64 }] })
  );

  mcp.registerResource(
    'watched-resource',
    'test://watched-resource',
    {
      title: 'Watched Resource',
      description: 'A resource clients may subscribe to (never changes here)',
      mimeType: 'text/plain'
    },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Watched resource content' }] })
  );

  mcp.registerResource(
    'template',
    new ResourceTemplate('test://template/{id}/data', {
      list: undefined,
      complete: { id: (value) => COMPLETION_TEMPLATE_ID.filter((v) => v.startsWith(value)) }
    }),
    {
      title: 'Resource Template',
      description: 'A resource template with parameter substitution',
      mimeType: 'application/json'
    },
    async (uri, { id }) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` })
        }
      ]
    })
  );

  const subscriptions = new Set();
  mcp.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    subscriptions.add(request.params.uri);
    return {};
  });
  mcp.server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    subscriptions.delete(request.params.uri);
    return {};
  });

  // --------------------------------------------------------------------------- prompts

  mcp.registerPrompt(
    'test_simple_prompt',
    { title: 'Simple Test Prompt', description: 'A simple prompt without arguments' },
    async () => ({ messages: [{ role: 'user', content: text('This is a simple prompt for testing.') }] })
  );

  mcp.registerPrompt(
    'test_prompt_with_arguments',
    {
      title: 'Prompt With Arguments',
      description: 'A prompt with required arguments',
      argsSchema: {
        arg1: completable(z.string().describe('First test argument'), (value) =>
          COMPLETION_ARG1.filter((v) => v.startsWith(value ?? ''))
        ),
        arg2: z.string().describe('Second test argument')
      }
    },
    async ({ arg1, arg2 }) => ({
      messages: [{ role: 'user', content: text(`Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`) }]
    })
  );

  mcp.registerPrompt(
    'test_prompt_with_embedded_resource',
    {
      title: 'Prompt With Embedded Resource',
      description: 'A prompt that includes an embedded resource',
      argsSchema: { resourceUri: z.string().describe('URI of the resource to embed') }
    },
    async ({ resourceUri }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'resource',
            resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' }
          }
        },
        { role: 'user', content: text('Please process the embedded resource above.') }
      ]
    })
  );

  mcp.registerPrompt(
    'test_prompt_with_image',
    { title: 'Prompt With Image', description: 'A prompt that includes image content' },
    async () => ({
      messages: [
        { role: 'user', content: image() },
        { role: 'user', content: text('Please analyze the image above.') }
      ]
    })
  );

  // ------------------------------------------------------------------------ pagination
  //
  // McpServer's list handlers return everything in one page and ignore `cursor`.
  // The low-level Server lets a handler be replaced, so each list handler
  // McpServer installed is wrapped: it is called for the full list, which is
  // then sliced. The cursor is the decimal offset of the next item; an invalid
  // cursor gets -32602. (McpServer keeps its handlers in the low-level Server's
  // `_requestHandlers` map; there is no public getter, hence the private access.)

  function paginate(schema, method, key) {
    const original = mcp.server._requestHandlers.get(method);
    if (!original) throw new Error(`McpServer installed no ${method} handler`);
    mcp.server.setRequestHandler(schema, async (request, extra) => {
      const cursor = request.params?.cursor;
      let start = 0;
      if (cursor !== undefined) {
        if (!/^[0-9]+$/.test(cursor)) throw new McpError(ErrorCode.InvalidParams, `Invalid cursor: ${cursor}`);
        start = Number(cursor);
      }
      const full = await original({ ...request, params: { ...request.params, cursor: undefined } }, extra);
      const items = full[key];
      if (start > items.length) throw new McpError(ErrorCode.InvalidParams, `Invalid cursor: ${cursor}`);
      const end = start + pageSize;
      const page = { ...full, [key]: items.slice(start, end) };
      delete page.nextCursor;
      if (end < items.length) page.nextCursor = String(end);
      return page;
    });
  }

  if (pageSize > 0) {
    paginate(ListToolsRequestSchema, 'tools/list', 'tools');
    paginate(ListResourcesRequestSchema, 'resources/list', 'resources');
    paginate(ListResourceTemplatesRequestSchema, 'resources/templates/list', 'resourceTemplates');
    paginate(ListPromptsRequestSchema, 'prompts/list', 'prompts');
  }

  return mcp;
}

// ----------------------------------------------------------------------------- serve

const note = (line) => process.stderr.write(`[${SERVER_NAME}] ${line}\n`);

async function serveStdio() {
  const mcp = createServer();
  const transport = new StdioServerTransport();
  transport.onclose = () => process.exit(0);
  process.stdin.on('end', () => {
    // stdin EOF: the client is gone (the spec's stdio shutdown starts by closing stdin).
    mcp.close().finally(() => process.exit(0));
  });
  await mcp.connect(transport);
  note(`serving on stdio (page size ${pageSize})`);
}

// A JSON-RPC error answer that is not tied to a request (as the SDK's transport words them).
function httpError(res, status, code, message, headers = {}) {
  res.status(status).set(headers).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

function serveHttp() {
  const app = createMcpExpressApp({ host: '127.0.0.1' });
  // One stderr line per response, `HTTP <method> <path> <status>`, when its head is written
  // (the Rust tests look for `HTTP DELETE /mcp 200`).
  app.use((req, res, next) => {
    const writeHead = res.writeHead;
    res.writeHead = function (status, ...rest) {
      note(`HTTP ${req.method} ${req.path} ${status}`);
      return writeHead.call(this, status, ...rest);
    };
    next();
  });

  // Stateful: the live sessions, by id.
  const sessions = new Map();

  const stateful = async (req, res) => {
    const id = req.get('mcp-session-id');
    if (id !== undefined) {
      const transport = sessions.get(id);
      if (!transport) return httpError(res, 404, -32001, 'Session not found');
      return transport.handleRequest(req, res, req.body);
    }
    if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
      // What the SDK's own examples answer: only an initialize request may open a session.
      return httpError(res, 400, -32000, 'Bad Request: No valid session ID provided');
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => {
        sessions.set(sid, transport);
        note(`session ${sid} opened`);
      }
    });
    transport.onclose = () => {
      if (transport.sessionId && sessions.delete(transport.sessionId)) note(`session ${transport.sessionId} closed`);
    };
    await createServer().connect(transport);
    await transport.handleRequest(req, res, req.body);
  };

  // Stateless: every POST gets a server and transport of its own, closed with the response.
  const statelessPost = async (req, res) => {
    const mcp = createServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      transport.close();
      mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, req.body);
  };
  const noStream = (req, res) =>
    httpError(res, 405, -32000, 'Method not allowed: this server is stateless', { Allow: 'POST' });

  const guarded = (handler) => async (req, res) => {
    try {
      await handler(req, res);
    } catch (error) {
      note(`error handling ${req.method}: ${error?.stack ?? error}`);
      if (!res.headersSent) httpError(res, 500, -32603, 'Internal server error');
    }
  };
  if (stateless) {
    app.post('/mcp', guarded(statelessPost));
    app.get('/mcp', noStream);
    app.delete('/mcp', noStream);
  } else {
    app.all('/mcp', guarded(stateful));
  }

  // (express 5 also calls this back with the error when listening fails; 'error' below reports it)
  const server = app.listen(port, '127.0.0.1', (error) => {
    if (error) return;
    const mode = stateless ? 'stateless' : 'stateful';
    note(`serving Streamable HTTP on http://127.0.0.1:${port}/mcp (${mode}, page size ${pageSize})`);
  });
  server.on('error', (error) => {
    note(`cannot listen on 127.0.0.1:${port}: ${error.message}`);
    process.exit(1);
  });

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    note(`${signal}: shutting down`);
    setTimeout(() => process.exit(0), 2000).unref(); // whatever still hangs
    await Promise.allSettled([...sessions.values()].map((t) => t.close()));
    server.close(() => process.exit(0));
    server.closeAllConnections(); // open GET / SSE streams would hold close() forever
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

if (port === undefined) {
  await serveStdio();
} else {
  serveHttp();
}
