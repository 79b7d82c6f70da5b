//! Tools: typed arguments with a generated input schema, return values turned into content or
//! structured output.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt::Display;
use core::future::Future;

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Context;
use crate::driver::BoxFuture;
use crate::http::param_headers::{ParamHeader, param_headers};
use crate::jsonrpc::{ErrorObject, RawJson};
use crate::types::{CallToolResult, ContentBlock, JsonObject, Tool};

/// What a tool handler returns, turned into a `CallToolResult`.
///
/// Strings become text content, [`Json`] becomes structured output (with an `outputSchema`
/// generated from its type), `Result::Err` becomes a result with `isError: true` — the model
/// sees the message and can correct itself.
pub trait IntoToolResult: Send + 'static {
    /// The result.
    fn into_tool_result(self) -> CallToolResult;
    /// The `outputSchema` this type produces, if it is structured.
    fn output_schema() -> Option<JsonObject> {
        None
    }
}

impl IntoToolResult for CallToolResult {
    fn into_tool_result(self) -> CallToolResult {
        self
    }
}

impl IntoToolResult for String {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(alloc::vec![ContentBlock::text(self)])
    }
}

impl IntoToolResult for &'static str {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(alloc::vec![ContentBlock::text(self)])
    }
}

impl IntoToolResult for ContentBlock {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(alloc::vec![self])
    }
}

impl IntoToolResult for Vec<ContentBlock> {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(self)
    }
}

impl<T: IntoToolResult, E: Display + Send + 'static> IntoToolResult for Result<T, E> {
    fn into_tool_result(self) -> CallToolResult {
        match self {
            Ok(v) => v.into_tool_result(),
            Err(e) => CallToolResult::error(alloc::vec![ContentBlock::text(e.to_string())]),
        }
    }
    fn output_schema() -> Option<JsonObject> {
        T::output_schema()
    }
}

/// Structured tool output: `structuredContent` holds the value, a text block holds the same
/// JSON for clients that only read content, and the tool's `outputSchema` is generated from
/// `T`.
#[derive(Clone, Debug, PartialEq)]
pub struct Json<T>(pub T);

impl<T: Serialize + JsonSchema + Send + 'static> IntoToolResult for Json<T> {
    fn into_tool_result(self) -> CallToolResult {
        match serde_json::to_value(&self.0) {
            Ok(value) => {
                let text = serde_json::to_string(&value).unwrap_or_default();
                CallToolResult {
                    structured_content: Some(value),
                    ..CallToolResult::success(alloc::vec![ContentBlock::text(text)])
                }
            }
            Err(e) => CallToolResult::error(alloc::vec![ContentBlock::text(format!(
                "the tool's result could not be serialized: {e}"
            ))]),
        }
    }
    fn output_schema() -> Option<JsonObject> {
        Some(schema_object::<T>())
    }
}

/// The JSON Schema (2020-12) of `T`, as an object.
pub fn schema_object<T: JsonSchema>() -> JsonObject {
    let schema = schemars::SchemaGenerator::default().into_root_schema_for::<T>();
    match schema.to_value() {
        serde_json::Value::Object(o) => o,
        // `true`/`false` schemas: accept anything as an object.
        _ => {
            let mut o = JsonObject::new();
            o.insert("type".into(), "object".into());
            o
        }
    }
}

/// Arguments of a tool that takes none: its input schema is an empty object with no extra
/// properties, and any (or no) arguments are accepted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoArguments;

impl<'de> serde::Deserialize<'de> for NoArguments {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| NoArguments)
    }
}

impl JsonSchema for NoArguments {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "NoArguments".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object", "additionalProperties": false})
    }
}

/// A type-erased tool handler.
pub(crate) type ToolFn =
    Arc<dyn Fn(Option<RawJson>, Context) -> BoxFuture<'static, CallOutcome> + Send + Sync>;

/// What running a handler produced: a result, or a protocol error.
pub(crate) type CallOutcome = Result<CallToolResult, ErrorObject>;

/// A registered tool.
#[derive(Clone)]
pub(crate) struct ToolEntry {
    pub tool: Tool,
    pub handler: ToolFn,
    /// Its `x-mcp-header` arguments, read from the input schema once, when it is registered
    /// (none if the schema's annotations are invalid: they are then not enforced).
    pub header_args: Arc<[ParamHeader]>,
}

impl ToolEntry {
    pub(crate) fn new(tool: Tool, handler: ToolFn) -> Self {
        let header_args = param_headers(&tool.input_schema).unwrap_or_default().into();
        ToolEntry { tool, handler, header_args }
    }
}

/// Builds the handler wrapper for a typed tool function.
pub(crate) fn erase<A, R, F, Fut>(f: F) -> ToolFn
where
    A: DeserializeOwned + Send + 'static,
    R: IntoToolResult,
    F: Fn(A, Context) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
{
    let f = Arc::new(f);
    Arc::new(move |args: Option<RawJson>, ctx: Context| -> BoxFuture<'static, CallOutcome> {
        let f = f.clone();
        Box::pin(async move {
            let text = args.as_ref().map_or("{}", RawJson::as_str);
            let args: A = match serde_json::from_str(text) {
                Ok(a) => a,
                // Input validation failures are tool errors, so the model can fix its call.
                Err(e) => {
                    return Ok(CallToolResult::error(alloc::vec![ContentBlock::text(format!(
                        "Invalid arguments: {e}"
                    ))]));
                }
            };
            Ok(f(args, ctx).await.into_tool_result())
        })
    })
}

/// Why a tool definition was refused.
pub(crate) fn check_tool_name(name: &str) -> Result<(), String> {
    let ok_len = (1..=128).contains(&name.len());
    let ok_chars =
        name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if ok_len && ok_chars {
        Ok(())
    } else {
        Err(format!("tool name {name:?} must be 1 to 128 characters of A-Z a-z 0-9 _ - ."))
    }
}

/// Whether a schema describes a JSON object (`type: "object"`), as an input schema must.
pub(crate) fn is_object_schema(schema: &JsonObject) -> bool {
    schema.get("type").and_then(|t| t.as_str()) == Some("object")
}
