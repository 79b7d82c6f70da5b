//! The conformance "everything" server: every fixture the official MCP conformance suite calls
//! by name (tools, resources, templates, prompts, completion, logging, progress, sampling,
//! elicitation), served over stdio.
//!
//! ```sh
//! cargo run -p mcp-sansio-tokio --example everything -- stdio
//! cargo run -p mcp-sansio-tokio --example everything -- http --bind 127.0.0.1:3000
//! ```
//!
//! Over HTTP it serves Streamable HTTP at `/mcp` (sessions for 2025-11-25 and older, stateless
//! 2026-07-28 on the same endpoint) and the 2024-11-05 HTTP+SSE transport at `/sse` and
//! `/messages`.

use std::time::Duration;

use mcp_sansio::driver::CallError;
use mcp_sansio::http::server::HttpConfig;
use mcp_sansio::jsonrpc::ErrorObject;
use mcp_sansio::server::{
    Blob, CompletionRequest, Context, NoArguments, PromptDef, ResourceDef, Server, ServerBuilder,
    ServerHandle, ToolDef,
};
use mcp_sansio::types::{
    CallToolResult, ContentBlock, CreateMessageRequestParams, ElicitRequestParams, GetPromptResult,
    LoggingLevel, PromptMessage, Role,
};
use mcp_sansio_tokio::http;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

/// A 1×1 PNG.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==";
/// A WAV file with no samples.
const WAV: &str = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=";

#[derive(Deserialize, JsonSchema)]
struct SamplingArgs {
    /// The prompt to send to the client's model.
    prompt: String,
}

#[derive(Deserialize, JsonSchema)]
struct ElicitArgs {
    /// The message to show the user.
    message: String,
}

#[derive(Deserialize, JsonSchema)]
struct PromptArgs {
    /// First argument.
    arg1: String,
    /// Second argument.
    arg2: String,
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct EmbeddedArgs {
    /// The URI of the resource to embed.
    resource_uri: String,
}

#[derive(Deserialize)]
struct TemplateVars {
    id: String,
}

fn content(v: serde_json::Value) -> ContentBlock {
    serde_json::from_value(v).expect("fixture content is valid")
}

fn elicit_params(v: serde_json::Value) -> ElicitRequestParams {
    serde_json::from_value(v).expect("fixture elicitation is valid")
}

async fn elicit_text(ctx: &Context, params: ElicitRequestParams) -> Result<String, CallError> {
    let r = ctx.elicit(params).await?;
    Ok(format!("User response: {}", serde_json::to_string(&r).unwrap_or_default()))
}

fn sampling(text: &str, max_tokens: u32) -> CreateMessageRequestParams {
    serde_json::from_value(json!({
        "messages": [{"role": "user", "content": {"type": "text", "text": text}}],
        "maxTokens": max_tokens
    }))
    .expect("valid sampling request")
}

fn answer_text(r: &mcp_sansio::types::CreateMessageResult) -> String {
    serde_json::to_value(&r.content)
        .ok()
        .and_then(|c| c.get("text").and_then(|t| t.as_str()).map(String::from))
        .unwrap_or_default()
}

/// A form with one required string field.
fn name_form(message: &str, field: &str) -> ElicitRequestParams {
    elicit_params(json!({
        "message": message,
        "requestedSchema": {"type": "object", "properties": {field: {"type": "string"}}, "required": [field]}
    }))
}

fn confirm_form() -> ElicitRequestParams {
    elicit_params(json!({
        "message": "Please confirm",
        "requestedSchema": {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}
    }))
}

/// A field of an accepted form, as text.
fn field(r: &mcp_sansio::types::ElicitResult, name: &str) -> String {
    let v = serde_json::to_value(r).unwrap_or_default();
    match v.pointer(&format!("/content/{name}")) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::from("(none)"),
    }
}

fn image() -> serde_json::Value {
    json!({"type": "image", "data": PNG, "mimeType": "image/png"})
}

fn build() -> Server {
    ServerBuilder::new("mcp-conformance-test-server", "1.0.0")
        .instructions("A server with every fixture of the MCP conformance suite.")
        .tool("test_simple_text", "Returns a simple text response", |_: NoArguments, _ctx: Context| async {
            "This is a simple text response for testing."
        })
        .tool("test_image_content", "Returns an image", |_: NoArguments, _ctx: Context| async { content(image()) })
        .tool("test_audio_content", "Returns audio", |_: NoArguments, _ctx: Context| async {
            content(json!({"type": "audio", "data": WAV, "mimeType": "audio/wav"}))
        })
        .tool("test_embedded_resource", "Returns an embedded resource", |_: NoArguments, _ctx: Context| async {
            content(json!({"type": "resource", "resource": {
                "uri": "test://embedded-resource", "mimeType": "text/plain",
                "text": "This is an embedded resource content."}}))
        })
        .tool("test_multiple_content_types", "Returns text, an image and a resource", |_: NoArguments, _ctx: Context| async {
            vec![
                ContentBlock::text("Multiple content types test:"),
                content(image()),
                content(json!({"type": "resource", "resource": {
                    "uri": "test://mixed-content-resource", "mimeType": "application/json",
                    "text": "{\"test\":\"data\",\"value\":123}"}})),
            ]
        })
        .tool("test_tool_with_logging", "Logs while it runs", |_: NoArguments, ctx: Context| async move {
            for (i, text) in ["Tool execution started", "Tool processing data", "Tool execution completed"].into_iter().enumerate() {
                if i > 0 {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                ctx.log(LoggingLevel::Info, text).await;
            }
            "Tool with logging executed successfully"
        })
        .tool("test_tool_with_progress", "Reports progress while it runs", |_: NoArguments, ctx: Context| async move {
            for (i, p) in [0.0, 50.0, 100.0].into_iter().enumerate() {
                if i > 0 {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                ctx.progress(p, Some(100.0), Some(&format!("Completed step {p} of 100"))).await;
            }
            "Tool with progress executed successfully"
        })
        .tool("test_error_handling", "Always fails", |_: NoArguments, _ctx: Context| async {
            CallToolResult::error(vec![ContentBlock::text("This tool intentionally returns an error for testing")])
        })
        .tool("test_sampling", "Asks the client's model", |a: SamplingArgs, ctx: Context| async move {
            let params: CreateMessageRequestParams = serde_json::from_value(json!({
                "messages": [{"role": "user", "content": {"type": "text", "text": a.prompt}}],
                "maxTokens": 100
            }))
            .expect("valid sampling request");
            let r = ctx.sample(params).await?;
            let text = serde_json::to_value(&r.content).ok().and_then(|c| c.get("text").and_then(|t| t.as_str()).map(String::from));
            Ok::<_, CallError>(format!("LLM response: {}", text.unwrap_or_default()))
        })
        .tool("test_elicitation", "Asks the user for a username and email", |a: ElicitArgs, ctx: Context| async move {
            elicit_text(&ctx, elicit_params(json!({
                "message": a.message,
                "requestedSchema": {"type": "object", "properties": {
                    "username": {"type": "string", "description": "User's response"},
                    "email": {"type": "string", "description": "User's email address"}},
                    "required": ["username", "email"]}
            })))
            .await
        })
        .tool("test_elicitation_sep1034_defaults", "Elicits a form with defaults for every type", |_: NoArguments, ctx: Context| async move {
            elicit_text(&ctx, elicit_params(json!({
                "message": "Please review and update the form fields with defaults",
                "requestedSchema": {"type": "object", "properties": {
                    "name": {"type": "string", "description": "User name", "default": "John Doe"},
                    "age": {"type": "integer", "description": "User age", "default": 30},
                    "score": {"type": "number", "description": "User score", "default": 95.5},
                    "status": {"type": "string", "description": "User status", "enum": ["active", "inactive", "pending"], "default": "active"},
                    "verified": {"type": "boolean", "description": "Verification status", "default": true}}}
            })))
            .await
        })
        .tool("test_elicitation_sep1330_enums", "Elicits every kind of enum field", |_: NoArguments, ctx: Context| async move {
            elicit_text(&ctx, elicit_params(json!({
                "message": "Please select options from the enum fields",
                "requestedSchema": {"type": "object", "properties": {
                    "untitledSingle": {"type": "string", "description": "Select one option", "enum": ["option1", "option2", "option3"]},
                    "titledSingle": {"type": "string", "description": "Select one option with titles", "oneOf": [
                        {"const": "value1", "title": "First Option"}, {"const": "value2", "title": "Second Option"}, {"const": "value3", "title": "Third Option"}]},
                    "legacyEnum": {"type": "string", "description": "Select one option (legacy)", "enum": ["opt1", "opt2", "opt3"],
                        "enumNames": ["Option One", "Option Two", "Option Three"]},
                    "untitledMulti": {"type": "array", "description": "Select multiple options", "minItems": 1, "maxItems": 3,
                        "items": {"type": "string", "enum": ["option1", "option2", "option3"]}},
                    "titledMulti": {"type": "array", "description": "Select multiple options with titles", "minItems": 1, "maxItems": 3,
                        "items": {"anyOf": [{"const": "value1", "title": "First Choice"}, {"const": "value2", "title": "Second Choice"}, {"const": "value3", "title": "Third Choice"}]}}}}
            })))
            .await
        })
        .tool_with(
            ToolDef {
                input_schema: Some(serde_json::from_value(json!({
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "type": "object",
                    "$defs": {"address": {"$anchor": "addressDef", "type": "object",
                        "properties": {"street": {"type": "string"}, "city": {"type": "string"}}}},
                    "properties": {
                        "name": {"type": "string"},
                        "address": {"$ref": "#/$defs/address"},
                        "contactMethod": {"type": "string", "enum": ["phone", "email"]},
                        "phone": {"type": "string"},
                        "email": {"type": "string"}
                    },
                    "allOf": [{"anyOf": [{"required": ["phone"]}, {"required": ["email"]}]}],
                    "if": {"properties": {"contactMethod": {"const": "phone"}}, "required": ["contactMethod"]},
                    "then": {"required": ["phone"]},
                    "else": {"required": ["email"]},
                    "additionalProperties": false
                })).expect("valid schema")),
                ..ToolDef::new("json_schema_2020_12_tool", "Has a JSON Schema 2020-12 input schema with $defs")
            },
            |args: serde_json::Value, _ctx: Context| async move { format!("Received: {args}") },
        )
        .tool_with(
            ToolDef {
                input_schema: Some(serde_json::from_value(json!({
                    "type": "object",
                    "properties": {
                        "region": {"type": "string", "description": "Where to run", "x-mcp-header": "Region"},
                        "query": {"type": "string", "description": "What to run"}
                    },
                    "required": ["region"]
                })).expect("valid schema")),
                ..ToolDef::new("test_header_mirroring", "Has a parameter mirrored into the Mcp-Param-Region header (2026-07-28)")
            },
            |args: serde_json::Value, _ctx: Context| async move { format!("region: {}", args["region"]) },
        )
        .tool("test_reconnection", "Takes a moment, so an HTTP client may reconnect meanwhile", |_: NoArguments, _ctx: Context| async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            "Reconnection test completed successfully"
        })
        // ----- 2026-07-28 diagnostics and multi round-trip requests -----
        .tool("test_missing_capability", "Needs sampling, which the client may not have declared", |_: NoArguments, ctx: Context| async move {
            let r = ctx.sample(sampling("Say hello", 20)).await?;
            Ok::<_, CallError>(format!("sampled: {}", answer_text(&r)))
        })
        .tool("test_streaming_elicitation", "Logs, then asks the user", |_: NoArguments, ctx: Context| async move {
            ctx.log(LoggingLevel::Info, "about to ask").await;
            elicit_text(&ctx, name_form("What is your name?", "name")).await
        })
        .tool("test_logging_tool", "Logs at every level it may", |_: NoArguments, ctx: Context| async move {
            ctx.log(LoggingLevel::Info, "an info message").await;
            ctx.log(LoggingLevel::Warning, "a warning").await;
            "logged"
        })
        .tool("test_trigger_tool_change", "Adds or removes a tool", |_: NoArguments, ctx: Context| async move {
            let _ = ctx.server().update(|r| {
                if !r.remove_tool("test_dynamic_tool") {
                    let _ = r.add_tool(ToolDef::new("test_dynamic_tool", "Added at runtime"), |_: NoArguments, _ctx: Context| async { "dynamic" });
                }
            }).await;
            "tool list changed"
        })
        .tool("test_trigger_prompt_change", "Adds or removes a prompt", |_: NoArguments, ctx: Context| async move {
            let _ = ctx.server().update(|r| {
                if !r.remove_prompt("test_dynamic_prompt") {
                    r.add_prompt(PromptDef::new("test_dynamic_prompt", "Added at runtime"), |_: NoArguments, _ctx| async {
                        Ok::<_, ErrorObject>("dynamic".to_string())
                    });
                }
            }).await;
            "prompt list changed"
        })
        .tool("test_input_required_result_elicitation", "Asks for the user's name", |_: NoArguments, ctx: Context| async move {
            let r = ctx.elicit_as("user_name", name_form("What is your name?", "name")).await?;
            Ok::<_, CallError>(format!("Hello, {}!", field(&r, "name")))
        })
        .tool("test_input_required_result_sampling", "Asks the client's model a question", |_: NoArguments, ctx: Context| async move {
            let r = ctx.sample_as("capital_question", sampling("What is the capital of France?", 100)).await?;
            Ok::<_, CallError>(format!("The model said: {}", answer_text(&r)))
        })
        .tool("test_input_required_result_list_roots", "Asks for the client's roots", |_: NoArguments, ctx: Context| async move {
            let r = ctx.list_roots_as("client_roots").await?;
            Ok::<_, CallError>(format!("Roots: {}", r.roots.iter().map(|r| r.uri.as_str()).collect::<Vec<_>>().join(", ")))
        })
        .tool("test_input_required_result_request_state", "Asks for confirmation, keeping state", |_: NoArguments, ctx: Context| async move {
            let r = ctx.elicit_as("confirm", confirm_form()).await?;
            Ok::<_, CallError>(format!("state-ok: the sealed requestState was verified ({})", field(&r, "ok")))
        })
        .tool("test_input_required_result_tampered_state", "Asks for confirmation; a tampered state is refused", |_: NoArguments, ctx: Context| async move {
            let r = ctx.elicit_as("confirm", confirm_form()).await?;
            Ok::<_, CallError>(format!("state-ok ({})", field(&r, "ok")))
        })
        .tool("test_input_required_result_multiple_inputs", "Asks for three inputs at once", |_: NoArguments, ctx: Context| async move {
            // Ask for all three before giving up on any, so one round carries them all.
            let name = ctx.elicit_as("user_name", name_form("What is your name?", "name")).await;
            let greeting = ctx.sample_as("greeting", sampling("Generate a greeting", 50)).await;
            let roots = ctx.list_roots_as("client_roots").await;
            let (name, greeting, roots) = (name?, greeting?, roots?);
            Ok::<_, CallError>(format!("{} {} ({} roots)", answer_text(&greeting), field(&name, "name"), roots.roots.len()))
        })
        .tool("test_input_required_result_multi_round", "Asks in two rounds", |_: NoArguments, ctx: Context| async move {
            let step1 = ctx.elicit_as("step1", name_form("Step 1: What is your name?", "name")).await?;
            let step2 = ctx.elicit_as("step2", name_form("Step 2: What is your favorite color?", "color")).await?;
            Ok::<_, CallError>(format!("{} likes {}", field(&step1, "name"), field(&step2, "color")))
        })
        .tool("test_input_required_result_capabilities", "Asks only for what the client declared", |_: NoArguments, ctx: Context| async move {
            let caps = ctx.client_capabilities().cloned().unwrap_or_default();
            let mut parts = Vec::new();
            let sampled = if caps.sampling.is_some() { Some(ctx.sample_as("question", sampling("Say hi", 20)).await) } else { None };
            let elicited = if caps.elicitation.is_some() { Some(ctx.elicit_as("user_name", name_form("What is your name?", "name")).await) } else { None };
            if let Some(s) = sampled {
                parts.push(answer_text(&s?));
            }
            if let Some(e) = elicited {
                parts.push(field(&e?, "name"));
            }
            Ok::<_, CallError>(format!("answers: {}", parts.join(", ")))
        })
        .prompt(PromptDef::new("test_input_required_result_prompt", "A prompt that needs the user's context"), |_: NoArguments, ctx: Context| async move {
            let r = ctx.elicit_as("user_context", name_form("What context should the prompt use?", "context")).await?;
            Ok::<_, ErrorObject>(format!("Use this context: {}", field(&r, "context")))
        })
        .resource(ResourceDef::new("test://static-text", "Static Text Resource", "text/plain").description("A static text resource"), |_ctx| async {
            Ok::<_, ErrorObject>("This is the content of the static text resource.")
        })
        .resource(ResourceDef::new("test://static-binary", "Static Binary Resource", "image/png").description("A static binary resource"), |_ctx| async {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD.decode(PNG).expect("valid base64");
            Ok::<_, ErrorObject>(Blob(bytes))
        })
        .resource(ResourceDef::new("test://watched-resource", "Watched Resource", "text/plain").description("A resource that changes every few seconds"), |_ctx| async {
            Ok::<_, ErrorObject>("Watched resource content")
        })
        .resource_template(
            ResourceDef::new("test://template/{id}/data", "Resource Template", "application/json").description("A resource template with an id"),
            |v: TemplateVars, _ctx| async move {
                Ok::<_, ErrorObject>(json!({"id": v.id, "templateTest": true, "data": format!("Data for ID: {}", v.id)}).to_string())
            },
        )
        .prompt(PromptDef::new("test_simple_prompt", "A simple prompt without arguments"), |_: NoArguments, _ctx| async {
            Ok::<_, ErrorObject>("This is a simple prompt for testing.".to_string())
        })
        .prompt(PromptDef::new("test_prompt_with_arguments", "A prompt with arguments"), |a: PromptArgs, _ctx| async move {
            Ok::<_, ErrorObject>(format!("Prompt with arguments: arg1='{}', arg2='{}'", a.arg1, a.arg2))
        })
        .prompt(PromptDef::new("test_prompt_with_embedded_resource", "A prompt with an embedded resource"), |a: EmbeddedArgs, _ctx| async move {
            Ok::<_, ErrorObject>(vec![
                PromptMessage { role: Role::User, content: content(json!({"type": "resource", "resource": {
                    "uri": a.resource_uri, "mimeType": "text/plain", "text": "Embedded resource content for testing."}})) },
                PromptMessage { role: Role::User, content: ContentBlock::text("Please process the embedded resource above.") },
            ])
        })
        .prompt(PromptDef::new("test_prompt_with_image", "A prompt with an image"), |_: NoArguments, _ctx| async {
            Ok::<_, ErrorObject>(GetPromptResult {
                result_type: None,
                description: None,
                messages: vec![
                    PromptMessage { role: Role::User, content: content(image()) },
                    PromptMessage { role: Role::User, content: ContentBlock::text("Please analyze the image above.") },
                ],
                meta: None,
                extra: Default::default(),
            })
        })
        .complete_prompt_argument("test_prompt_with_arguments", "arg1", |req: CompletionRequest, _ctx| async move {
            ["paris", "park", "party", "test", "testValue1"].into_iter().filter(|v| v.starts_with(&req.value)).map(String::from).collect()
        })
        .complete_template_argument("test://template/{id}/data", "id", |req: CompletionRequest, _ctx| async move {
            ["1", "2", "3", "123"].into_iter().filter(|v| v.starts_with(&req.value)).map(String::from).collect()
        })
        .build()
        .expect("the fixtures are valid")
}

fn usage() -> ! {
    eprintln!("usage: everything stdio | everything http [--bind ADDR] [--stateless]");
    std::process::exit(2)
}

/// The watched resource changes every three seconds.
fn watch(handle: ServerHandle) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(3)).await;
            if handle.resource_updated("test://watched-resource").await.is_err() {
                break;
            }
        }
    })
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("stdio") => {
            let (handle, serving) =
                mcp_sansio_tokio::serving(build(), tokio::io::stdin(), tokio::io::stdout())?;
            let watcher = watch(handle);
            let result = serving.await;
            watcher.abort();
            result
        }
        Some("http") => {
            let mut bind = String::from("127.0.0.1:3000");
            let mut config =
                HttpConfig { retry: Duration::from_millis(500), ..HttpConfig::default() };
            while let Some(a) = args.next() {
                match a.as_str() {
                    "--bind" => bind = args.next().unwrap_or_else(|| usage()),
                    "--stateless" => config.stateless = true,
                    _ => usage(),
                }
            }
            let listener = tokio::net::TcpListener::bind(&bind).await?;
            eprintln!("everything: MCP over HTTP at http://{}/mcp", listener.local_addr()?);
            let config = http::protect_loopback(&listener, config)?;
            let (svc, handle) = http::service(build(), config)?;
            let watcher = watch(handle);
            let shutdown = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            let result = http::serve_service(listener, svc, shutdown).await;
            watcher.abort();
            result
        }
        _ => usage(),
    }
}
