"""Interop peer: an MCP server written with the official Python SDK (PyPI `mcp`), over stdio or
Streamable HTTP.

It exposes the fixtures of the official conformance "everything" server that a
stdio peer can serve (same names, same texts), plus `add_numbers` (structured
output) and paginated lists, for mcp-sansio's Rust client tests to drive.
The fixture list is documented in ../README.md.

Usage:
    server.py [--page-size N]                             stdio
    server.py [--page-size N] --http PORT [--stateless]   Streamable HTTP at http://127.0.0.1:PORT/mcp

Over stdio the server speaks both eras on one connection, as the SDK does: an
`initialize` request selects the handshake era (2024-11-05 .. 2025-11-25), a
request carrying the 2026-07-28 `_meta` envelope (e.g. `server/discover`)
selects the stateless era. Sampling and elicitation use the SDK's resolver
API, so they are server->client requests on the legacy era and MRTR
`input_required` rounds on 2026-07-28.

Over HTTP it is the SDK's own Streamable HTTP app (`MCPServer.streamable_http_app`, served by
uvicorn on 127.0.0.1 only): a POST carrying `MCP-Protocol-Version: 2026-07-28` is served in the
stateless era; otherwise the handshake era, with `Mcp-Session-Id` sessions (GET stream, DELETE)
or, with `--stateless`, a fresh pre-initialized connection per POST and no session (a GET
stream carries nothing; server->client requests fail, the SDK has no back channel there). SIGTERM / SIGINT shut
it down (open streams are cut after 2 s) and it exits 0.

Diagnostics go to stderr; over stdio stdout carries only MCP messages, over HTTP nothing.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import logging
import signal
import sys
import warnings
from typing import Annotated, Any, Literal

import anyio
import mcp_types as types
from pydantic import BaseModel, Field

from mcp.server.lowlevel.server import NotificationOptions
from mcp.server.mcpserver import (
    AcceptedElicitation,
    Context,
    Elicit,
    ElicitationResult,
    MCPServer,
    Resolve,
    Sample,
)
from mcp.server.stdio import stdio_server
from mcp.shared.exceptions import MCPDeprecationWarning

# Logging, sampling and subscriptions are deprecated in 2026-07-28 but are what
# this peer exists to exercise.
warnings.filterwarnings("ignore", category=MCPDeprecationWarning)

SERVER_NAME = "interop-python-server"
SERVER_VERSION = "2.3.0"  # the pinned SDK version

# A 1x1 RGBA PNG and a 4-sample 8 kHz mono 16-bit WAV, generated for this project.
TEST_IMAGE_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgaPj/HwAEggJ/59habAAAAABJRU5ErkJggg=="
TEST_AUDIO_BASE64 = "UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQgAAAAAAAAAAAAAAA=="

LOG_LEVELS: list[str] = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"]
COMPLETION_ARG1 = ["testValue1", "testValue2", "alpha", "beta"]
COMPLETION_TEMPLATE_ID = ["123", "124", "456"]
STEP_DELAY_S = 0.05  # the conformance server's ~50 ms between log/progress notifications

mcp = MCPServer(
    SERVER_NAME,
    version=SERVER_VERSION,
    instructions="Interop fixture server (official Python SDK) for mcp-sansio tests.",
)

# logging/setLevel state (handshake era; 2026-07-28 uses the per-request _meta logLevel,
# which the SDK filters on by itself). Process-wide: over HTTP every session shares it (the
# tests run one client per server process).
_state: dict[str, Any] = {"log_level": None, "subscriptions": set()}


async def _log(ctx: Context, level: str, data: Any) -> None:
    current = _state["log_level"]
    if current is not None and LOG_LEVELS.index(level) < LOG_LEVELS.index(current):
        return
    await ctx.log(level, data, logger_name=SERVER_NAME)  # type: ignore[arg-type]


def _text(text: str) -> types.TextContent:
    return types.TextContent(type="text", text=text)


def _image() -> types.ImageContent:
    return types.ImageContent(type="image", data=TEST_IMAGE_BASE64, mime_type="image/png")


# ----------------------------------------------------------------------------- tools


@mcp.tool(description="Tests simple text content response")
def test_simple_text() -> list[types.ContentBlock]:
    return [_text("This is a simple text response for testing.")]


@mcp.tool(description="Tests image content response")
def test_image_content() -> list[types.ContentBlock]:
    return [_image()]


@mcp.tool(description="Tests audio content response")
def test_audio_content() -> list[types.ContentBlock]:
    return [types.AudioContent(type="audio", data=TEST_AUDIO_BASE64, mime_type="audio/wav")]


@mcp.tool(description="Tests embedded resource content response")
def test_embedded_resource() -> list[types.ContentBlock]:
    return [
        types.EmbeddedResource(
            type="resource",
            resource=types.TextResourceContents(
                uri="test://embedded-resource", mime_type="text/plain", text="This is an embedded resource content."
            ),
        )
    ]


@mcp.tool(description="Tests response with multiple content types (text, image, resource)")
def test_multiple_content_types() -> list[types.ContentBlock]:
    return [
        _text("Multiple content types test:"),
        _image(),
        types.EmbeddedResource(
            type="resource",
            resource=types.TextResourceContents(
                uri="test://mixed-content-resource",
                mime_type="application/json",
                text=json.dumps({"test": "data", "value": 123}, separators=(",", ":")),
            ),
        ),
    ]


@mcp.tool(description="Tests error response handling")
def test_error_handling() -> types.CallToolResult:
    return types.CallToolResult(
        content=[_text("This tool intentionally returns an error for testing")],
        is_error=True,
    )


@mcp.tool(description="Tests tool that emits log messages during execution", structured_output=False)
async def test_tool_with_logging(ctx: Context) -> str:
    await _log(ctx, "info", "Tool execution started")
    await anyio.sleep(STEP_DELAY_S)
    await _log(ctx, "info", "Tool processing data")
    await anyio.sleep(STEP_DELAY_S)
    await _log(ctx, "info", "Tool execution completed")
    return "Tool with logging executed successfully"


@mcp.tool(description="Tests tool that reports progress notifications", structured_output=False)
async def test_tool_with_progress(ctx: Context) -> str:
    for i, step in enumerate((0, 50, 100)):
        if i:
            await anyio.sleep(STEP_DELAY_S)
        await ctx.report_progress(step, 100, f"Completed step {step} of 100")
    meta = ctx.request_context.meta or {}
    token = meta.get("progress_token", meta.get("progressToken"))
    return str(token if token is not None else 0)


def _sampling_request(prompt: str) -> Sample:
    return Sample(
        [types.SamplingMessage(role="user", content=_text(prompt))],
        max_tokens=100,
    )


@mcp.tool(description="Tests server-initiated sampling (LLM completion request)", structured_output=False)
async def test_sampling(
    prompt: Annotated[str, Field(description="The prompt to send to the LLM")],
    sampled: Annotated[types.CreateMessageResult, Resolve(_sampling_request)],
) -> str:
    content = sampled.content
    text = getattr(content, "text", None)
    if text is None and isinstance(content, list) and content:
        text = getattr(content[0], "text", None)
    return f"LLM response: {text if text is not None else 'No response'}"


class UserInfo(BaseModel):
    username: str = Field(description="User's username")
    email: str = Field(description="User's email address")


def _ask_user_info(message: str) -> Elicit[UserInfo]:
    return Elicit(message, UserInfo)


@mcp.tool(description="Tests server-initiated elicitation (user input request)", structured_output=False)
async def test_elicitation(
    message: Annotated[str, Field(description="The message to show the user")],
    answer: Annotated[ElicitationResult[UserInfo], Resolve(_ask_user_info)],
) -> str:
    content = answer.data.model_dump(mode="json") if isinstance(answer, AcceptedElicitation) else {}
    return f"User response: action={answer.action}, content={json.dumps(content, separators=(',', ':'))}"


class DefaultsForm(BaseModel):
    name: str = Field(default="John Doe", description="User name")
    age: int = Field(default=30, description="User age")
    score: float = Field(default=95.5, description="User score")
    status: Literal["active", "inactive", "pending"] = Field(default="active", description="User status")
    verified: bool = Field(default=True, description="Verification status")


def _ask_defaults() -> Elicit[DefaultsForm]:
    return Elicit("Please review and update the form fields with defaults", DefaultsForm)


@mcp.tool(description="Tests elicitation with default values per SEP-1034", structured_output=False)
async def test_elicitation_sep1034_defaults(
    answer: Annotated[ElicitationResult[DefaultsForm], Resolve(_ask_defaults)],
) -> str:
    content = answer.data.model_dump(mode="json") if isinstance(answer, AcceptedElicitation) else {}
    return f"Elicitation completed: action={answer.action}, content={json.dumps(content, separators=(',', ':'))}"


class AddResult(BaseModel):
    result: float = Field(description="a + b")


@mcp.tool(description="Adds two numbers; returns the sum as text and as structured output {result}")
def add_numbers(
    a: Annotated[float, Field(description="First number")],
    b: Annotated[float, Field(description="Second number")],
) -> Annotated[types.CallToolResult, AddResult]:
    total = a + b
    # Integral sums print without a fractional part (5 + 10 -> "15").
    value: float | int = int(total) if float(total).is_integer() else total
    return types.CallToolResult(content=[_text(str(value))], structured_content={"result": value})


# ------------------------------------------------------------------------- resources


@mcp.resource(
    "test://static-text",
    name="static-text",
    title="Static Text Resource",
    description="A static text resource for testing",
    mime_type="text/plain",
)
def static_text() -> str:
    return "This is the content of the static text resource."


@mcp.resource(
    "test://static-binary",
    name="static-binary",
    title="Static Binary Resource",
    description="A static binary resource (image) for testing",
    mime_type="image/png",
)
def static_binary() -> bytes:
    return base64.b64decode(TEST_IMAGE_BASE64)


@mcp.resource(
    "test://watched-resource",
    name="watched-resource",
    title="Watched Resource",
    description="A resource clients may subscribe to (never changes here)",
    mime_type="text/plain",
)
def watched_resource() -> str:
    return "Watched resource content"


@mcp.resource(
    "test://template/{id}/data",
    name="template",
    title="Resource Template",
    description="A resource template with parameter substitution",
    mime_type="application/json",
)
def template_data(id: str) -> str:
    return json.dumps({"id": id, "templateTest": True, "data": f"Data for ID: {id}"}, separators=(",", ":"))


# --------------------------------------------------------------------------- prompts


@mcp.prompt(title="Simple Test Prompt", description="A simple prompt without arguments")
def test_simple_prompt() -> list[dict[str, Any]]:
    return [{"role": "user", "content": {"type": "text", "text": "This is a simple prompt for testing."}}]


@mcp.prompt(title="Prompt With Arguments", description="A prompt with required arguments")
def test_prompt_with_arguments(
    arg1: Annotated[str, Field(description="First test argument")],
    arg2: Annotated[str, Field(description="Second test argument")],
) -> list[dict[str, Any]]:
    text = f"Prompt with arguments: arg1='{arg1}', arg2='{arg2}'"
    return [{"role": "user", "content": {"type": "text", "text": text}}]


@mcp.prompt(title="Prompt With Embedded Resource", description="A prompt that includes an embedded resource")
def test_prompt_with_embedded_resource(
    resourceUri: Annotated[str, Field(description="URI of the resource to embed")],  # noqa: N803 (wire name)
) -> list[dict[str, Any]]:
    return [
        {
            "role": "user",
            "content": {
                "type": "resource",
                "resource": {"uri": resourceUri, "mimeType": "text/plain", "text": "Embedded resource content for testing."},
            },
        },
        {"role": "user", "content": {"type": "text", "text": "Please process the embedded resource above."}},
    ]


@mcp.prompt(title="Prompt With Image", description="A prompt that includes image content")
def test_prompt_with_image() -> list[dict[str, Any]]:
    return [
        {"role": "user", "content": {"type": "image", "data": TEST_IMAGE_BASE64, "mimeType": "image/png"}},
        {"role": "user", "content": {"type": "text", "text": "Please analyze the image above."}},
    ]


# ------------------------------------------------------------------------ completion


@mcp.completion()
async def complete(
    ref: types.PromptReference | types.ResourceTemplateReference,
    argument: types.CompletionArgument,
    context: types.CompletionContext | None,
) -> types.Completion | None:
    if isinstance(ref, types.PromptReference) and ref.name == "test_prompt_with_arguments" and argument.name == "arg1":
        pool = COMPLETION_ARG1
    elif (
        isinstance(ref, types.ResourceTemplateReference)
        and ref.uri == "test://template/{id}/data"
        and argument.name == "id"
    ):
        pool = COMPLETION_TEMPLATE_ID
    else:
        return types.Completion(values=[], total=0, has_more=False)
    values = [v for v in pool if v.startswith(argument.value)]
    return types.Completion(values=values, total=len(values), has_more=False)


# ------------------------------------------------ low-level handlers MCPServer lacks

lowlevel = mcp._lowlevel_server  # the SDK's documented escape hatch to the low-level Server


async def _set_level(ctx: Any, params: types.SetLevelRequestParams) -> types.EmptyResult:
    _state["log_level"] = params.level
    return types.EmptyResult()


async def _subscribe(ctx: Any, params: types.SubscribeRequestParams) -> types.EmptyResult:
    _state["subscriptions"].add(str(params.uri))
    return types.EmptyResult()


async def _unsubscribe(ctx: Any, params: types.UnsubscribeRequestParams) -> types.EmptyResult:
    _state["subscriptions"].discard(str(params.uri))
    return types.EmptyResult()


def _install_pagination(page_size: int) -> None:
    """Replace MCPServer's unpaginated list handlers with cursor-paginated ones.

    The cursor is the decimal offset of the next item; an unparsable or
    out-of-range cursor is rejected with -32602 as the spec asks.
    """

    def page(items: list[Any], cursor: str | None) -> tuple[list[Any], str | None]:
        start = 0
        if cursor is not None:
            if not cursor.isdigit() or int(cursor) > len(items):
                raise_invalid_cursor(cursor)
            start = int(cursor)
        end = start + page_size
        return items[start:end], (str(end) if end < len(items) else None)

    async def list_tools(ctx: Any, params: types.PaginatedRequestParams) -> types.ListToolsResult:
        items, nxt = page(await mcp.list_tools(), params.cursor)
        return types.ListToolsResult(tools=items, next_cursor=nxt)

    async def list_resources(ctx: Any, params: types.PaginatedRequestParams) -> types.ListResourcesResult:
        items, nxt = page(await mcp.list_resources(), params.cursor)
        return types.ListResourcesResult(resources=items, next_cursor=nxt)

    async def list_templates(ctx: Any, params: types.PaginatedRequestParams) -> types.ListResourceTemplatesResult:
        items, nxt = page(await mcp.list_resource_templates(), params.cursor)
        return types.ListResourceTemplatesResult(resource_templates=items, next_cursor=nxt)

    async def list_prompts(ctx: Any, params: types.PaginatedRequestParams) -> types.ListPromptsResult:
        items, nxt = page(await mcp.list_prompts(), params.cursor)
        return types.ListPromptsResult(prompts=items, next_cursor=nxt)

    lowlevel.add_request_handler("tools/list", types.PaginatedRequestParams, list_tools)
    lowlevel.add_request_handler("resources/list", types.PaginatedRequestParams, list_resources)
    lowlevel.add_request_handler("resources/templates/list", types.PaginatedRequestParams, list_templates)
    lowlevel.add_request_handler("prompts/list", types.PaginatedRequestParams, list_prompts)


def raise_invalid_cursor(cursor: str) -> None:
    from mcp.shared.exceptions import MCPError

    raise MCPError(code=types.INVALID_PARAMS, message=f"Invalid cursor: {cursor!r}")


NOTIFICATION_OPTIONS = NotificationOptions(prompts_changed=True, resources_changed=True, tools_changed=True)


def _install_handlers(page_size: int) -> None:
    lowlevel.add_request_handler("logging/setLevel", types.SetLevelRequestParams, _set_level)
    lowlevel.add_request_handler("resources/subscribe", types.SubscribeRequestParams, _subscribe)
    lowlevel.add_request_handler("resources/unsubscribe", types.UnsubscribeRequestParams, _unsubscribe)
    if page_size > 0:
        _install_pagination(page_size)


async def serve_stdio(page_size: int) -> None:
    _install_handlers(page_size)
    options = lowlevel.create_initialization_options(NOTIFICATION_OPTIONS)
    print(f"[{SERVER_NAME}] serving on stdio (page size {page_size})", file=sys.stderr, flush=True)
    async with stdio_server() as (read_stream, write_stream):
        await lowlevel.run(read_stream, write_stream, options)


def _log_requests(app: Any) -> Any:
    """ASGI middleware: one stderr line per HTTP response, `HTTP <method> <path> <status>`
    (the Rust tests look for `HTTP DELETE /mcp 200`)."""
    log = logging.getLogger(SERVER_NAME)

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)

        async def send_logged(message: Any) -> None:
            if message["type"] == "http.response.start":
                log.info("HTTP %s %s %s", scope["method"], scope["path"], message["status"])
            await send(message)

        await app(scope, receive, send_logged)

    return wrapped


def serve_http(page_size: int, port: int, stateless: bool) -> None:
    import uvicorn  # in the pinned set (a dependency of mcp); only needed over HTTP

    class Server(uvicorn.Server):
        """uvicorn.Server that exits 0 after a signal-triggered graceful shutdown (the stock
        one re-raises the signal once it is done: SIGINT would end in a KeyboardInterrupt
        traceback, SIGTERM in death by signal)."""

        @contextlib.contextmanager
        def capture_signals(self) -> Any:
            handled = (signal.SIGINT, signal.SIGTERM)
            original = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
            try:
                yield
            finally:
                for sig, handler in original.items():
                    signal.signal(sig, handler)

    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format=f"[{SERVER_NAME}] %(name)s: %(message)s", force=True
    )
    _install_handlers(page_size)
    # The HTTP session manager builds each session's initialize result from
    # create_initialization_options() with no arguments: give it the listChanged flags the
    # stdio server declares.
    default_options = lowlevel.create_initialization_options
    lowlevel.create_initialization_options = (  # type: ignore[method-assign]
        lambda notification_options=None, *args, **kwargs: default_options(
            notification_options or NOTIFICATION_OPTIONS, *args, **kwargs
        )
    )
    # host= makes the SDK enable its DNS-rebinding protection for 127.0.0.1/localhost.
    app = mcp.streamable_http_app(streamable_http_path="/mcp", stateless_http=stateless, host="127.0.0.1")
    mode = "stateless" if stateless else "stateful"
    print(
        f"[{SERVER_NAME}] serving Streamable HTTP on http://127.0.0.1:{port}/mcp ({mode}, page size {page_size})",
        file=sys.stderr,
        flush=True,
    )
    config = uvicorn.Config(
        _log_requests(app),
        host="127.0.0.1",
        port=port,
        log_config=None,  # uvicorn's own config sends access lines to stdout; use the root logger
        access_log=False,  # _log_requests writes one line per response instead
        lifespan="on",  # runs the SDK's session manager
        timeout_graceful_shutdown=2,  # open GET / SSE streams would hold a shutdown forever
    )
    server = Server(config)
    server.run()
    if not server.started:
        sys.exit(1)  # e.g. the port was taken; uvicorn logged why


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--page-size",
        type=int,
        default=5,
        help="items per page of tools/list, resources/list, resources/templates/list, prompts/list "
        "(0 = no pagination; default 5, so tools/list spans 3 pages)",
    )
    parser.add_argument(
        "--http",
        type=int,
        metavar="PORT",
        help="serve Streamable HTTP at http://127.0.0.1:PORT/mcp instead of stdio",
    )
    parser.add_argument(
        "--stateless",
        action="store_true",
        help="with --http: no sessions (a fresh connection per POST)",
    )
    args = parser.parse_args()
    if args.page_size < 0:
        parser.error("--page-size must be >= 0")
    if args.stateless and args.http is None:
        parser.error("--stateless needs --http PORT")
    if args.http is None:
        anyio.run(serve_stdio, args.page_size)
    else:
        serve_http(args.page_size, args.http, args.stateless)
