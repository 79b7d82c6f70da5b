"""Interop peer: an MCP client written with the official Python SDK (PyPI `mcp`).

Spawns a server command over stdio with the SDK's `Client` (or, with `--url`,
connects to a Streamable HTTP endpoint with the SDK's `streamable_http_client`),
then runs scenarios against the fixture set of the official conformance
"everything" server.
Prints one JSON line per scenario on stdout:

    {"scenario": "...", "ok": true|false, "detail": "..."}

(`"skipped": true` is added, with ok true, for a scenario the negotiated
protocol era does not have, e.g. `ping` on 2026-07-28). Exits 0 when every
scenario passed, 1 when any failed, 2 on a usage error. Diagnostics go to
stderr. Each scenario has its own timeout, and the whole run has a deadline,
so the client always stops by itself; the SDK closes the server's stdin,
then terminates it, on exit (over HTTP: DELETE of the session, if there is one).

Usage:
    client.py [options] <scenario|group> -- <server command> [args...]
    client.py [options] <scenario|group> --url http://127.0.0.1:PORT/mcp
    client.py --list

Groups: `all` (the conformance "everything" fixtures), `extra` (fixtures only
the interop peer servers have: add_numbers, multi-page tools/list, completion
values), `everything` (both). Options:
    --only a,b,c      run exactly these scenarios (overrides the positional name)
    --url URL         Streamable HTTP endpoint instead of `-- <server command>`
    --timeout S       per-scenario timeout in seconds (default 10)
    --mode M          legacy (initialize handshake, default), auto (server/discover
                      probe, then fall back to initialize), modern (like auto, but
                      fail unless 2026-07-28 was negotiated)
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import sys
import time
import traceback
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx2
import mcp_types as types
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.exceptions import MCPDeprecationWarning, MCPError

warnings.filterwarnings("ignore", category=MCPDeprecationWarning)

CLIENT_INFO = types.Implementation(name="interop-python-client", version="2.3.0")
SAMPLING_TEXT = "This is a test response"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_PAGES = 100


class Fail(Exception):
    """A scenario check failed."""


class Skip(Exception):
    """The scenario does not apply to the negotiated protocol era."""


def check(cond: Any, msg: str) -> None:
    if not cond:
        raise Fail(msg)


def wire(model: Any) -> Any:
    """The wire (camelCase JSON) form of an SDK model."""
    if hasattr(model, "model_dump"):
        return model.model_dump(by_alias=True, mode="json", exclude_none=True)
    return model


@dataclass
class HttpTap:
    """What the SDK's HTTP client saw (a response hook on its httpx2 client): every
    exchange as `METHOD status`, and the `Mcp-Session-Id` the server handed out."""

    exchanges: list[str] = field(default_factory=list)
    session: str | None = None

    async def on_response(self, response: httpx2.Response) -> None:
        self.exchanges.append(f"{response.request.method} {response.status_code}")
        sid = response.headers.get("mcp-session-id")
        if sid and self.session is None:
            self.session = sid


@dataclass
class Ctx:
    client: Client
    modern: bool
    timeout: float
    http: HttpTap | None = None
    logs: list[dict[str, Any]] = field(default_factory=list)
    sampling_requests: list[dict[str, Any]] = field(default_factory=list)
    elicitation_requests: list[dict[str, Any]] = field(default_factory=list)
    log_level_set: bool = False


ScenarioFn = Callable[[Ctx], Awaitable[str]]
SCENARIOS: dict[str, tuple[str, ScenarioFn]] = {}


def scenario(name: str, group: str = "all") -> Callable[[ScenarioFn], ScenarioFn]:
    def register(fn: ScenarioFn) -> ScenarioFn:
        SCENARIOS[name] = (group, fn)
        return fn

    return register


# ------------------------------------------------------------------------ callbacks


def make_callbacks(state: dict[str, Ctx]) -> dict[str, Any]:
    async def on_sampling(context: Any, params: types.CreateMessageRequestParams) -> types.CreateMessageResult:
        if "ctx" in state:
            state["ctx"].sampling_requests.append(wire(params))
        return types.CreateMessageResult(
            role="assistant",
            content=types.TextContent(type="text", text=SAMPLING_TEXT),
            model="test-model",
            stop_reason="endTurn",
        )

    async def on_elicitation(context: Any, params: Any) -> types.ElicitResult:
        req = wire(params)
        if "ctx" in state:
            state["ctx"].elicitation_requests.append(req)
        return types.ElicitResult(action="accept", content=elicitation_answer(req.get("requestedSchema") or {}))

    async def on_log(params: types.LoggingMessageNotificationParams) -> None:
        if "ctx" in state:
            state["ctx"].logs.append(wire(params))

    return {"sampling_callback": on_sampling, "elicitation_callback": on_elicitation, "logging_callback": on_log}


def elicitation_answer(schema: dict[str, Any]) -> dict[str, Any]:
    """Accept with every schema default filled in (SEP-1034), the conformance user for
    `username`/`email`, and a placeholder for any other required field."""
    props: dict[str, Any] = schema.get("properties") or {}
    content: dict[str, Any] = {k: v["default"] for k, v in props.items() if isinstance(v, dict) and "default" in v}
    fixed = {"username": "testuser", "email": "test@example.com"}
    for key, value in fixed.items():
        if key in props or not props:
            content[key] = value
    for key in schema.get("required") or []:
        if key not in content:
            kind = (props.get(key) or {}).get("type")
            content[key] = {"integer": 0, "number": 0, "boolean": False}.get(kind, "test")
    return content


# -------------------------------------------------------------------------- helpers


async def paginate(fetch: Callable[[str | None], Awaitable[Any]], key: str) -> tuple[list[dict[str, Any]], int]:
    """Follow nextCursor to the end; returns (items in wire form, page count)."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    seen: set[str] = set()
    pages = 0
    while True:
        page = wire(await fetch(cursor))
        pages += 1
        items.extend(page.get(key) or [])
        cursor = page.get("nextCursor")
        if cursor is None:
            return items, pages
        check(cursor not in seen, f"{key}: cursor {cursor!r} repeated")
        check(pages < MAX_PAGES, f"{key}: more than {MAX_PAGES} pages")
        seen.add(cursor)


async def call(ctx: Ctx, name: str, arguments: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
    return wire(await ctx.client.call_tool(name, arguments, **kw))


def texts(content: list[dict[str, Any]]) -> list[str]:
    return [c.get("text", "") for c in content if c.get("type") == "text"]


def b64(data: str | None, what: str) -> bytes:
    check(isinstance(data, str) and data, f"{what}: no base64 data")
    try:
        return base64.b64decode(data, validate=True)
    except Exception as e:  # noqa: BLE001
        raise Fail(f"{what}: invalid base64: {e}") from None


async def wait_for(pred: Callable[[], bool], limit: float = 1.0) -> None:
    """Notifications may be dispatched just after the response; give them a moment."""
    deadline = time.monotonic() + limit
    while not pred() and time.monotonic() < deadline:
        await anyio.sleep(0.01)


# ------------------------------------------------------------------------ scenarios


@scenario("initialize")
async def s_initialize(ctx: Ctx) -> str:
    c = ctx.client
    info = wire(c.server_info) if c.server_info is not None else None
    check(info and info.get("name") and "version" in info, f"serverInfo missing or incomplete: {info}")
    caps = wire(c.server_capabilities)
    problems = []
    if not (caps.get("tools") or {}).get("listChanged"):
        problems.append("tools.listChanged")
    if not (caps.get("resources") or {}).get("subscribe"):
        problems.append("resources.subscribe")
    if not (caps.get("resources") or {}).get("listChanged"):
        problems.append("resources.listChanged")
    if not (caps.get("prompts") or {}).get("listChanged"):
        problems.append("prompts.listChanged")
    if "logging" not in caps:
        problems.append("logging")
    if "completions" not in caps:
        problems.append("completions")
    check(not problems, f"capabilities lack {', '.join(problems)}: {json.dumps(caps)}")
    detail = f"protocol {c.protocol_version}, server {info['name']} {info.get('version')}"
    if ctx.http is not None:
        detail += f", session {ctx.http.session}" if ctx.http.session else ", no session"
    return detail


@scenario("ping")
async def s_ping(ctx: Ctx) -> str:
    if ctx.modern:
        raise Skip("ping was removed in 2026-07-28")
    res = wire(await ctx.client.send_ping())
    check(isinstance(res, dict), f"unexpected ping result {res!r}")
    return "pong"


@scenario("tools-list")
async def s_tools_list(ctx: Ctx) -> str:
    tools, pages = await paginate(lambda cur: ctx.client.list_tools(cursor=cur), "tools")
    check(tools, "no tools")
    for t in tools:
        check(t.get("name"), f"tool without name: {t}")
        check(t.get("description"), f"tool {t.get('name')} has no description")
        schema = t.get("inputSchema")
        check(isinstance(schema, dict) and schema.get("type") == "object", f"tool {t['name']} inputSchema {schema}")
    return f"{len(tools)} tools over {pages} page(s)"


@scenario("test_simple_text")
async def s_simple_text(ctx: Ctx) -> str:
    r = await call(ctx, "test_simple_text")  # no `arguments` member at all
    check(not r.get("isError"), f"isError: {r}")
    t = texts(r.get("content") or [])
    check(t and t[0], f"no text content: {r}")
    return t[0]


@scenario("test_image_content")
async def s_image(ctx: Ctx) -> str:
    r = await call(ctx, "test_image_content", {})
    imgs = [c for c in r.get("content") or [] if c.get("type") == "image"]
    check(imgs, f"no image content: {r}")
    check(imgs[0].get("mimeType") == "image/png", f"mimeType {imgs[0].get('mimeType')}")
    raw = b64(imgs[0].get("data"), "image")
    check(raw.startswith(PNG_MAGIC), "image data is not a PNG")
    return f"image/png, {len(raw)} bytes"


@scenario("test_audio_content")
async def s_audio(ctx: Ctx) -> str:
    r = await call(ctx, "test_audio_content", {})
    aud = [c for c in r.get("content") or [] if c.get("type") == "audio"]
    check(aud, f"no audio content: {r}")
    check(aud[0].get("mimeType") == "audio/wav", f"mimeType {aud[0].get('mimeType')}")
    raw = b64(aud[0].get("data"), "audio")
    check(raw[:4] == b"RIFF" and raw[8:12] == b"WAVE", "audio data is not a WAV")
    return f"audio/wav, {len(raw)} bytes"


@scenario("test_embedded_resource")
async def s_embedded(ctx: Ctx) -> str:
    r = await call(ctx, "test_embedded_resource", {})
    res = [c for c in r.get("content") or [] if c.get("type") == "resource"]
    check(res, f"no resource content: {r}")
    inner = res[0].get("resource") or {}
    check(inner.get("uri") == "test://embedded-resource", f"uri {inner.get('uri')}")
    check(inner.get("mimeType") == "text/plain", f"mimeType {inner.get('mimeType')}")
    check(inner.get("text") == "This is an embedded resource content.", f"text {inner.get('text')!r}")
    return inner["uri"]


@scenario("test_multiple_content_types")
async def s_multiple(ctx: Ctx) -> str:
    r = await call(ctx, "test_multiple_content_types", {})
    content = r.get("content") or []
    kinds = [c.get("type") for c in content]
    check(len(content) >= 2, f"fewer than 2 content items: {kinds}")
    for k in ("text", "image", "resource"):
        check(k in kinds, f"no {k} item in {kinds}")
    inner = next(c for c in content if c.get("type") == "resource").get("resource") or {}
    check(inner.get("uri") == "test://mixed-content-resource", f"uri {inner.get('uri')}")
    check(inner.get("mimeType") == "application/json", f"mimeType {inner.get('mimeType')}")
    check(json.loads(inner.get("text") or "null") == {"test": "data", "value": 123}, f"text {inner.get('text')!r}")
    return ",".join(kinds)


@scenario("test_error_handling")
async def s_error(ctx: Ctx) -> str:
    try:
        r = await call(ctx, "test_error_handling", {})
    except MCPError as e:
        raise Fail(f"got a JSON-RPC error instead of an isError result: {e.error.code} {e.error.message}") from None
    check(r.get("isError") is True, f"isError not true: {r}")
    t = texts(r.get("content") or [])
    check(t and t[0], f"no error text: {r}")
    return t[0]


@scenario("test_tool_with_logging")
async def s_logging(ctx: Ctx) -> str:
    if not ctx.modern:
        res = wire(await ctx.client.set_logging_level("debug"))
        check(res == {} or set(res) <= {"_meta", "resultType"}, f"logging/setLevel result not empty: {res}")
    ctx.logs.clear()
    r = await call(ctx, "test_tool_with_logging", {})
    check(not r.get("isError"), f"isError: {r}")
    await wait_for(lambda: len(ctx.logs) >= 3)
    check(len(ctx.logs) >= 3, f"{len(ctx.logs)} log notifications, want >= 3: {ctx.logs}")
    return f"{len(ctx.logs)} logs: " + "; ".join(f"{m.get('level')}:{m.get('data')}" for m in ctx.logs)


@scenario("test_tool_with_progress")
async def s_progress(ctx: Ctx) -> str:
    seen: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total, message))

    r = await call(ctx, "test_tool_with_progress", {}, progress_callback=on_progress)
    check(not r.get("isError"), f"isError: {r}")
    await wait_for(lambda: len(seen) >= 3)
    check(len(seen) >= 3, f"{len(seen)} progress notifications, want >= 3: {seen}")
    values = [p for p, _, _ in seen]
    check(all(b > a for a, b in zip(values, values[1:])), f"progress not increasing: {values}")
    return "progress " + ",".join(f"{p:g}/{t:g}" if t is not None else f"{p:g}" for p, t, _ in seen)


@scenario("test_sampling")
async def s_sampling(ctx: Ctx) -> str:
    ctx.sampling_requests.clear()
    prompt = "Test prompt for sampling"
    r = await call(ctx, "test_sampling", {"prompt": prompt})
    check(not r.get("isError"), f"isError: {r}")
    check(ctx.sampling_requests, "the server sent no sampling/createMessage request")
    req = ctx.sampling_requests[0]
    msgs = req.get("messages") or []
    check(msgs and msgs[0].get("role") == "user", f"sampling messages {msgs}")
    content = msgs[0].get("content")
    content = content[0] if isinstance(content, list) and content else content
    check(isinstance(content, dict) and content.get("text") == prompt, f"sampling content {content}")
    check(isinstance(req.get("maxTokens"), int), f"maxTokens {req.get('maxTokens')}")
    t = " ".join(texts(r.get("content") or []))
    check(SAMPLING_TEXT in t, f"result text does not carry the sampled text: {t!r}")
    return t


@scenario("test_elicitation")
async def s_elicitation(ctx: Ctx) -> str:
    ctx.elicitation_requests.clear()
    r = await call(ctx, "test_elicitation", {"message": "Please provide your information"})
    check(not r.get("isError"), f"isError: {r}")
    check(ctx.elicitation_requests, "the server sent no elicitation/create request")
    schema = ctx.elicitation_requests[0].get("requestedSchema") or {}
    props = schema.get("properties") or {}
    check("username" in props and "email" in props, f"requestedSchema lacks username/email: {schema}")
    t = " ".join(texts(r.get("content") or []))
    check("testuser" in t, f"result text does not carry the answer: {t!r}")
    return t


@scenario("test_elicitation_sep1034_defaults")
async def s_elicitation_defaults(ctx: Ctx) -> str:
    ctx.elicitation_requests.clear()
    r = await call(ctx, "test_elicitation_sep1034_defaults", {})
    check(not r.get("isError"), f"isError: {r}")
    check(ctx.elicitation_requests, "the server sent no elicitation/create request")
    props = (ctx.elicitation_requests[0].get("requestedSchema") or {}).get("properties") or {}
    want = {
        "name": ("string", "John Doe"),
        "age": ("integer", 30),
        "score": ("number", 95.5),
        "status": ("string", "active"),
        "verified": ("boolean", True),
    }
    for key, (kind, default) in want.items():
        p = props.get(key) or {}
        check(p.get("type") == kind, f"{key}: type {p.get('type')}, want {kind}")
        check(p.get("default") == default and type(p.get("default")) is type(default), f"{key}: default {p.get('default')!r}")
    check(set((props.get("status") or {}).get("enum") or []) == {"active", "inactive", "pending"}, "status enum")
    t = " ".join(texts(r.get("content") or []))
    check("John Doe" in t, f"result text does not carry the defaults: {t!r}")
    return t


@scenario("resources-list")
async def s_resources_list(ctx: Ctx) -> str:
    items, pages = await paginate(lambda cur: ctx.client.list_resources(cursor=cur), "resources")
    check(items, "no resources")
    for it in items:
        check(it.get("uri") and it.get("name"), f"resource without uri/name: {it}")
    return f"{len(items)} resources over {pages} page(s): " + ",".join(i["uri"] for i in items)


@scenario("resources-read-text")
async def s_read_text(ctx: Ctx) -> str:
    r = wire(await ctx.client.read_resource("test://static-text"))
    c = (r.get("contents") or [{}])[0]
    check(c.get("uri") == "test://static-text", f"uri {c.get('uri')}")
    check(c.get("mimeType") == "text/plain", f"mimeType {c.get('mimeType')}")
    check(c.get("text") == "This is the content of the static text resource.", f"text {c.get('text')!r}")
    return c["text"]


@scenario("resources-read-binary")
async def s_read_binary(ctx: Ctx) -> str:
    r = wire(await ctx.client.read_resource("test://static-binary"))
    c = (r.get("contents") or [{}])[0]
    check(c.get("uri") == "test://static-binary", f"uri {c.get('uri')}")
    check(c.get("mimeType") == "image/png", f"mimeType {c.get('mimeType')}")
    raw = b64(c.get("blob"), "blob")
    check(raw.startswith(PNG_MAGIC), "blob is not a PNG")
    return f"image/png blob, {len(raw)} bytes"


@scenario("resources-templates-list")
async def s_templates_list(ctx: Ctx) -> str:
    items, pages = await paginate(lambda cur: ctx.client.list_resource_templates(cursor=cur), "resourceTemplates")
    uris = [t.get("uriTemplate") for t in items]
    check("test://template/{id}/data" in uris, f"template missing: {uris}")
    for t in items:
        check(t.get("name"), f"template without name: {t}")
    return f"{len(items)} template(s) over {pages} page(s): " + ",".join(map(str, uris))


@scenario("resources-templates-read")
async def s_templates_read(ctx: Ctx) -> str:
    r = wire(await ctx.client.read_resource("test://template/123/data"))
    c = (r.get("contents") or [{}])[0]
    check(c.get("uri") == "test://template/123/data", f"uri {c.get('uri')}")
    check(c.get("mimeType") == "application/json", f"mimeType {c.get('mimeType')}")
    check("123" in (c.get("text") or ""), f"text {c.get('text')!r}")
    json.loads(c["text"])
    return c["text"]


@scenario("resources-subscribe")
async def s_subscribe(ctx: Ctx) -> str:
    uri = "test://watched-resource"
    if ctx.modern:
        async with ctx.client.listen(resource_subscriptions=[uri]) as sub:
            honored = wire(sub.honored)
        check(uri in (honored.get("resourceSubscriptions") or []), f"listen did not honour {uri}: {honored}")
        return f"subscriptions/listen acknowledged {honored}"
    a = wire(await ctx.client.subscribe_resource(uri))
    b = wire(await ctx.client.unsubscribe_resource(uri))
    for what, res in (("subscribe", a), ("unsubscribe", b)):
        check(isinstance(res, dict) and set(res) <= {"_meta", "resultType"}, f"{what} result not empty: {res}")
    return "subscribe + unsubscribe returned {}"


@scenario("prompts-list")
async def s_prompts_list(ctx: Ctx) -> str:
    items, pages = await paginate(lambda cur: ctx.client.list_prompts(cursor=cur), "prompts")
    check(items, "no prompts")
    for p in items:
        check(p.get("name") and p.get("description"), f"prompt without name/description: {p}")
    return f"{len(items)} prompts over {pages} page(s): " + ",".join(p["name"] for p in items)


def prompt_messages(r: dict[str, Any]) -> list[dict[str, Any]]:
    msgs = r.get("messages") or []
    check(msgs, f"no messages: {r}")
    return msgs


@scenario("test_simple_prompt")
async def s_simple_prompt(ctx: Ctx) -> str:
    msgs = prompt_messages(wire(await ctx.client.get_prompt("test_simple_prompt")))
    m = msgs[0]
    check(m.get("role") == "user", f"role {m.get('role')}")
    check((m.get("content") or {}).get("type") == "text", f"content {m.get('content')}")
    return m["content"]["text"]


@scenario("test_prompt_with_arguments")
async def s_prompt_args(ctx: Ctx) -> str:
    r = wire(await ctx.client.get_prompt("test_prompt_with_arguments", {"arg1": "testValue1", "arg2": "testValue2"}))
    joined = " ".join((m.get("content") or {}).get("text", "") for m in prompt_messages(r))
    check("testValue1" in joined and "testValue2" in joined, f"arguments not in messages: {joined!r}")
    return joined


@scenario("test_prompt_with_embedded_resource")
async def s_prompt_resource(ctx: Ctx) -> str:
    uri = "test://example-resource"
    msgs = prompt_messages(wire(await ctx.client.get_prompt("test_prompt_with_embedded_resource", {"resourceUri": uri})))
    kinds = [(m.get("content") or {}).get("type") for m in msgs]
    res = [m["content"] for m in msgs if (m.get("content") or {}).get("type") == "resource"]
    check(res, f"no resource message: {kinds}")
    inner = res[0].get("resource") or {}
    check(inner.get("uri") == uri, f"uri {inner.get('uri')}")
    check(inner.get("mimeType") == "text/plain", f"mimeType {inner.get('mimeType')}")
    check(inner.get("text"), "resource has no text")
    check("text" in kinds, f"no text message: {kinds}")
    return ",".join(map(str, kinds))


@scenario("test_prompt_with_image")
async def s_prompt_image(ctx: Ctx) -> str:
    msgs = prompt_messages(wire(await ctx.client.get_prompt("test_prompt_with_image")))
    kinds = [(m.get("content") or {}).get("type") for m in msgs]
    imgs = [m["content"] for m in msgs if (m.get("content") or {}).get("type") == "image"]
    check(imgs, f"no image message: {kinds}")
    check(imgs[0].get("mimeType") == "image/png", f"mimeType {imgs[0].get('mimeType')}")
    check(b64(imgs[0].get("data"), "image").startswith(PNG_MAGIC), "image data is not a PNG")
    check("text" in kinds, f"no text message: {kinds}")
    return ",".join(map(str, kinds))


async def complete_arg1(ctx: Ctx) -> dict[str, Any]:
    ref = types.PromptReference(type="ref/prompt", name="test_prompt_with_arguments")
    return wire(await ctx.client.complete(ref, {"name": "arg1", "value": "test"}))


@scenario("completion-complete")
async def s_completion(ctx: Ctx) -> str:
    r = await complete_arg1(ctx)
    values = (r.get("completion") or {}).get("values")
    check(isinstance(values, list), f"completion.values is not an array: {r}")
    return f"values {values}"


# ---------------------------------------------------- extras (interop peer servers)


@scenario("add_numbers", group="extra")
async def s_add_numbers(ctx: Ctx) -> str:
    tools, _ = await paginate(lambda cur: ctx.client.list_tools(cursor=cur), "tools")
    tool = next((t for t in tools if t.get("name") == "add_numbers"), None)
    check(tool, "no add_numbers tool")
    out = tool.get("outputSchema") or {}
    check("result" in (out.get("properties") or {}), f"outputSchema lacks result: {out}")
    r = await call(ctx, "add_numbers", {"a": 5, "b": 10})
    check(not r.get("isError"), f"isError: {r}")
    check((r.get("structuredContent") or {}).get("result") == 15, f"structuredContent {r.get('structuredContent')}")
    t = texts(r.get("content") or [])
    check(t and float(t[0]) == 15, f"text content {t}")
    return f"text {t[0]!r}, structuredContent {json.dumps(r['structuredContent'])}"


@scenario("tools-list-paginated", group="extra")
async def s_tools_paginated(ctx: Ctx) -> str:
    tools, pages = await paginate(lambda cur: ctx.client.list_tools(cursor=cur), "tools")
    check(pages > 1, f"tools/list fit on {pages} page")
    names = [t["name"] for t in tools]
    check(len(names) == len(set(names)), f"duplicate tools across pages: {names}")
    return f"{len(tools)} tools over {pages} pages"


@scenario("completion-values", group="extra")
async def s_completion_values(ctx: Ctx) -> str:
    values = ((await complete_arg1(ctx)).get("completion") or {}).get("values")
    check(values == ["testValue1", "testValue2"], f"values {values}")
    ref = types.ResourceTemplateReference(type="ref/resource", uri="test://template/{id}/data")
    r = wire(await ctx.client.complete(ref, {"name": "id", "value": "12"}))
    tvalues = (r.get("completion") or {}).get("values")
    check(tvalues == ["123", "124"], f"template id values {tvalues}")
    return f"arg1 {values}, id {tvalues}"


# ----------------------------------------------------------------------------- main


def describe(e: BaseException) -> str:
    """The leaf exceptions of an exception group (anyio task groups wrap them)."""
    if isinstance(e, BaseExceptionGroup):
        return "; ".join(describe(x) for x in e.exceptions)
    if isinstance(e, MCPError):
        return f"JSON-RPC error {e.error.code}: {e.error.message}"
    return f"{type(e).__name__}: {e}"


def emit(name: str, ok: bool, detail: str, skipped: bool = False, **extra: Any) -> None:
    line: dict[str, Any] = {"scenario": name, "ok": ok, "detail": detail}
    if skipped:
        line["skipped"] = True
    line.update(extra)
    print(json.dumps(line), flush=True)


def select(target: str, only: str | None) -> list[str]:
    if only:
        names = [n.strip() for n in only.split(",") if n.strip()]
    elif target == "everything":
        names = list(SCENARIOS)
    elif target in ("all", "extra"):
        names = [n for n, (g, _) in SCENARIOS.items() if g == target]
    else:
        names = [target]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        raise SystemExit(f"unknown scenario(s): {', '.join(unknown)} (see --list)")
    return names


async def run(names: list[str], server: StdioServerParameters | str, timeout: float, mode: str) -> bool:
    """`server`: the stdio command, or a Streamable HTTP URL."""
    state: dict[str, Ctx] = {}
    tap: HttpTap | None = None
    http_client: httpx2.AsyncClient | None = None
    transport: Any = server
    if isinstance(server, str):
        # What `Client(url)` does (`streamable_http_client(url)`), but with the SDK's own
        # default httpx2 client handed in, so that a response hook can watch the exchanges.
        tap = HttpTap()
        http_client = create_mcp_http_client()
        http_client.event_hooks = {"request": [], "response": [tap.on_response]}
        transport = streamable_http_client(server, http_client=http_client)
    client = Client(
        transport,
        mode="legacy" if mode == "legacy" else "auto",
        read_timeout_seconds=timeout,
        client_info=CLIENT_INFO,
        log_level="debug" if mode != "legacy" else None,
        cache=None,
        **make_callbacks(state),
    )
    results: dict[str, bool] = {}
    # The whole run's deadline: every scenario's timeout, plus start-up and shutdown.
    deadline = timeout * (len(names) + 3)
    try:
        with anyio.fail_after(deadline):
            async with contextlib.AsyncExitStack() as stack:
                if http_client is not None:
                    await stack.enter_async_context(http_client)  # the transport leaves it to us
                await _run_scenarios(client, state, names, timeout, mode, results, tap)
    except BaseException as e:  # noqa: BLE001 - connection-level failure, deadline, or exit trouble
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        if isinstance(e, TimeoutError):
            reason = f"run deadline of {deadline:g}s exceeded"
        else:
            traceback.print_exc(file=sys.stderr)
            reason = f"connection failed: {describe(e)}"
        for name in names:
            if name not in results:
                emit(name, False, reason if name == "initialize" else f"not run: {reason}")
                results[name] = False
    if tap is not None:
        print(f"[interop-python-client] HTTP exchanges: {' '.join(tap.exchanges)}", file=sys.stderr, flush=True)
    return all(results.get(n, False) for n in names)


async def _run_scenarios(
    client: Client,
    state: dict[str, Ctx],
    names: list[str],
    timeout: float,
    mode: str,
    results: dict[str, bool],
    tap: HttpTap | None,
) -> None:
    async with client:
        modern = client.protocol_version in MODERN_PROTOCOL_VERSIONS
        print(f"[interop-python-client] negotiated {client.protocol_version}", file=sys.stderr, flush=True)
        if mode == "modern" and not modern:
            raise RuntimeError(f"--mode modern but the server negotiated {client.protocol_version}")
        ctx = state["ctx"] = Ctx(client=client, modern=modern, timeout=timeout, http=tap)
        for name in names:
            fn = SCENARIOS[name][1]
            try:
                with anyio.fail_after(timeout):
                    detail = await fn(ctx)
                if name == "initialize" and tap is not None:
                    emit(name, True, detail, session=tap.session)
                else:
                    emit(name, True, detail)
                results[name] = True
            except Skip as e:
                emit(name, True, f"skipped: {e}", skipped=True)
                results[name] = True
            except Fail as e:
                emit(name, False, str(e))
                results[name] = False
            except TimeoutError:
                emit(name, False, f"timeout after {timeout:g}s")
                results[name] = False
            except MCPError as e:
                emit(name, False, f"JSON-RPC error {e.error.code}: {e.error.message}")
                results[name] = False
            except Exception as e:  # noqa: BLE001 - report, keep going
                traceback.print_exc(file=sys.stderr)
                emit(name, False, describe(e))
                results[name] = False


def main() -> int:
    argv = sys.argv[1:]
    if "--" in argv:
        split = argv.index("--")
        own, command = argv[:split], argv[split + 1 :]
    else:
        own, command = argv, []
    parser = argparse.ArgumentParser(
        prog="client.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("scenario", nargs="?", default="all", help="scenario name or group (all, extra, everything)")
    parser.add_argument("--only", help="comma-separated scenario list")
    parser.add_argument("--timeout", type=float, default=10.0, help="per-scenario timeout, seconds")
    parser.add_argument("--mode", choices=["legacy", "auto", "modern"], default="legacy")
    parser.add_argument("--url", help="Streamable HTTP endpoint (instead of `-- <server command>`)")
    parser.add_argument("--list", action="store_true", help="list scenarios and exit")
    args = parser.parse_args(own)
    if args.list:
        for n, (g, _) in SCENARIOS.items():
            print(f"{n}\t{g}")
        return 0
    if bool(command) == bool(args.url):
        parser.print_usage(sys.stderr)
        print("error: give exactly one of `-- <server command> [args...]` and `--url URL`", file=sys.stderr)
        return 2
    if args.url and not args.url.startswith(("http://", "https://")):
        print(f"error: --url must be an http(s) URL, got {args.url!r}", file=sys.stderr)
        return 2
    try:
        names = select(args.scenario, args.only)
    except SystemExit as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    server: StdioServerParameters | str
    if args.url:
        server = args.url
    else:
        server = StdioServerParameters(command=command[0], args=command[1:], env=dict(os.environ))
    ok = anyio.run(run, names, server, args.timeout, args.mode)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
