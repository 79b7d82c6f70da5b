#!/usr/bin/env node
// Interop peer: an MCP stdio server written with the official TypeScript SDK
// (`@modelcontextprotocol/sdk`, high-level `McpServer`).
//
// It exposes the fixtures of the official conformance "everything" server that
// a stdio peer can serve (same names, same texts), plus `add_numbers`
// (structured output) and paginated lists, for mcp-sansio's Rust client tests.
// The fixture list is documented in ../README.md.
//
// Usage: node server.mjs [--page-size N]
//
// The SDK (1.x) speaks the handshake era only: 2024-11-05 .. 2025-11-25 (and
// the pre-release 2024-10-07). Diagnostics go to stderr; stdout carries only
// MCP messages.

import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
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

function parseArgs(argv) {
  let pageSize = 5;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--page-size' && i + 1 < argv.length) {
      pageSize = Number.parseInt(argv[++i], 10);
    } else if (argv[i] === '-h' || argv[i] === '--help') {
      process.stderr.write('usage: node server.mjs [--page-size N]   (0 = no pagination, default 5)\n');
      process.exit(0);
    } else {
      process.stderr.write(`unknown argument ${argv[i]}\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(pageSize) || pageSize < 0) {
    process.stderr.write('--page-size must be a non-negative integer\n');
    process.exit(2);
  }
  return { pageSize };
}

const { pageSize } = parseArgs(process.argv.slice(2));

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

// ----------------------------------------------------------------------------- serve

const transport = new StdioServerTransport();
transport.onclose = () => process.exit(0);
process.stdin.on('end', () => {
  // stdin EOF: the client is gone (the spec's stdio shutdown starts by closing stdin).
  mcp.close().finally(() => process.exit(0));
});
await mcp.connect(transport);
process.stderr.write(`[${SERVER_NAME}] serving on stdio (page size ${pageSize})\n`);
