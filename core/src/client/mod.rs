//! The high-level client: every client→server method of the spec as an async function, on
//! top of a [`Driver`](crate::driver::Driver) that a runtime crate runs.
//!
//! Calls are cancelled by dropping their future (the server gets `notifications/cancelled`);
//! each has a timeout (the session's finite default unless [`CallOptions::timeout`] says
//! otherwise). On 2026-07-28 an `input_required` answer is handled for the caller: the
//! [`ClientHandlers`] gather the input and the request is retried.

mod handlers;
mod validation;

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;

use futures_channel::oneshot;
use serde::Serialize;

pub use handlers::{ClientHandlers, LogFn, NotificationFn};
#[cfg(feature = "validation")]
pub use validation::JsonSchemaValidator;
pub use validation::SchemaValidator;

use crate::driver::WaitAnswer;
use crate::driver::{CallError, CallId, Command, CommandSink, ProgressFn};
use crate::jsonrpc::RawJson;
use crate::methods as m;
use crate::session::pagination::Paginator;
use crate::session::{PeerInfo, RequestOptions};
use crate::types::{
    CallToolRequestParams, CallToolResult, CompleteRequestParams, CompleteResult,
    GetPromptRequestParams, GetPromptResult, JsonObject, LoggingLevel, McpRequest, Prompt,
    ReadResourceRequestParams, ReadResourceResult, Resource, ResourceTemplate, SubscriptionFilter,
    SubscriptionsListenRequestParams, Tool,
};

/// The most pages a `list_all_*` helper follows before it gives up on a server that never ends.
const MAX_PAGES: usize = 1000;

/// Per-call options.
#[derive(Default)]
pub struct CallOptions {
    /// How long to wait for the answer (the session's default when `None`).
    pub timeout: Option<Duration>,
    /// Called with each progress notification; asks the server for progress.
    pub on_progress: Option<ProgressFn>,
    /// Whether progress restarts the timeout (never past the session's hard maximum).
    pub reset_timeout_on_progress: bool,
}

impl core::fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("progress", &self.on_progress.is_some())
            .finish()
    }
}

/// A handle on a client connection. Cheap to clone; every clone talks to the same driver.
#[derive(Clone)]
pub struct Client {
    sink: Arc<dyn CommandSink>,
    calls: Arc<AtomicU64>,
    /// Output schemas of the tools seen in the last complete `tools/list`.
    output_schemas: Arc<spin::Mutex<BTreeMap<String, JsonObject>>>,
    validator: Option<Arc<dyn SchemaValidator>>,
}

impl core::fmt::Debug for Client {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Client")
    }
}

/// Sends `Cancel` for a call whose future is dropped before its answer arrives.
struct CancelOnDrop<'a> {
    sink: &'a Arc<dyn CommandSink>,
    call: CallId,
    armed: bool,
}

impl Drop for CancelOnDrop<'_> {
    fn drop(&mut self) {
        if self.armed {
            let _ = self.sink.try_send(Command::Cancel {
                call: self.call,
                reason: Some("the caller stopped waiting".into()),
            });
        }
    }
}

impl Client {
    /// A handle sending commands through `sink`, numbering calls with `calls` (from
    /// [`Driver::call_counter`](crate::driver::Driver::call_counter)).
    pub fn new(sink: Arc<dyn CommandSink>, calls: Arc<AtomicU64>) -> Self {
        Client { sink, calls, output_schemas: Default::default(), validator: None }
    }

    /// Checks every tool result's `structuredContent` against the tool's `outputSchema` (as
    /// learned from [`Client::list_tools`]) with `validator`; a result that does not conform
    /// becomes [`CallError::InvalidResult`].
    pub fn with_validator(mut self, validator: Arc<dyn SchemaValidator>) -> Self {
        self.validator = Some(validator);
        self
    }

    /// Connects: `server/discover` or the `initialize` handshake, as the server allows.
    pub async fn connect(&self) -> Result<PeerInfo, CallError> {
        let (reply, answer) = oneshot::channel();
        self.sink.send(Command::Connect { reply }).await.map_err(|_| CallError::Closed)?;
        match WaitAnswer::new(&*self.sink, answer).await {
            Ok(Ok(info)) => Ok(info),
            Ok(Err(reason)) => Err(CallError::InvalidResult(reason)),
            Err(_) => Err(CallError::Closed),
        }
    }

    /// Sends any request and waits for its raw result.
    pub async fn request_raw(
        &self,
        method: &str,
        params: Option<RawJson>,
        options: CallOptions,
    ) -> Result<RawJson, CallError> {
        let call = CallId(self.calls.fetch_add(1, Ordering::Relaxed));
        let (reply, answer) = oneshot::channel();
        let request_options = RequestOptions {
            timeout: options.timeout,
            progress: options.on_progress.is_some(),
            reset_timeout_on_progress: options.reset_timeout_on_progress,
            related_request: None,
        };
        let cmd = Command::Request {
            call,
            method: method.into(),
            params,
            options: request_options,
            on_progress: options.on_progress,
            reply,
        };
        self.sink.send(cmd).await.map_err(|_| CallError::Closed)?;
        let mut guard = CancelOnDrop { sink: &self.sink, call, armed: true };
        let result = WaitAnswer::new(&**guard.sink, answer).await;
        guard.armed = false;
        result.map_err(|_| CallError::Closed)?
    }

    /// Sends a typed request (any `*RequestParams` of [`crate::types`]).
    pub async fn request<P: McpRequest>(
        &self,
        params: &P,
        options: CallOptions,
    ) -> Result<P::Result, CallError> {
        let params =
            RawJson::from_serialize(params).map_err(|e| CallError::InvalidResult(e.to_string()))?;
        let raw = self.request_raw(P::METHOD, Some(params), options).await?;
        raw.parse_owned().map_err(|e| CallError::InvalidResult(e.to_string()))
    }

    /// `ping` (legacy sessions).
    pub async fn ping(&self) -> Result<(), CallError> {
        self.request_raw(m::PING, None, CallOptions::default()).await.map(|_| ())
    }

    /// Calls a tool with arguments (any value serializing to a JSON object, or `()` for none).
    pub async fn call_tool(
        &self,
        name: &str,
        arguments: impl Serialize,
    ) -> Result<CallToolResult, CallError> {
        self.call_tool_with(name, arguments, CallOptions::default()).await
    }

    /// Calls a tool with options (timeout, progress).
    pub async fn call_tool_with(
        &self,
        name: &str,
        arguments: impl Serialize,
        options: CallOptions,
    ) -> Result<CallToolResult, CallError> {
        let mut params = CallToolRequestParams::new(name);
        match serde_json::to_value(arguments)
            .map_err(|e| CallError::InvalidResult(e.to_string()))?
        {
            serde_json::Value::Object(o) => params.arguments = Some(o),
            serde_json::Value::Null => {}
            _ => {
                return Err(CallError::InvalidResult(
                    "tool arguments must be a JSON object".into(),
                ));
            }
        }
        let result = self.request(&params, options).await?;
        self.check_structured(name, &result)?;
        Ok(result)
    }

    /// A tool with an `outputSchema` must return conforming `structuredContent` (unless the
    /// result is an error).
    fn check_structured(&self, name: &str, result: &CallToolResult) -> Result<(), CallError> {
        let Some(validator) = &self.validator else { return Ok(()) };
        if result.is_error == Some(true) {
            return Ok(());
        }
        let Some(schema) = self.output_schemas.lock().get(name).cloned() else { return Ok(()) };
        let Some(structured) = &result.structured_content else {
            return Err(CallError::InvalidResult(alloc::format!(
                "tool {name} has an outputSchema but returned no structuredContent"
            )));
        };
        validator.validate(&schema, structured).map_err(|e| {
            CallError::InvalidResult(alloc::format!(
                "structuredContent of {name} does not match its outputSchema: {e}"
            ))
        })
    }

    /// Every tool, following pagination to the end.
    pub async fn list_tools(&self) -> Result<Vec<Tool>, CallError> {
        let tools: Vec<Tool> = self.list_all(m::TOOLS_LIST, "tools").await?;
        let schemas =
            tools.iter().filter_map(|t| Some((t.name.clone(), t.output_schema.clone()?))).collect();
        *self.output_schemas.lock() = schemas;
        Ok(tools)
    }

    /// Every resource, following pagination to the end.
    pub async fn list_resources(&self) -> Result<Vec<Resource>, CallError> {
        self.list_all(m::RESOURCES_LIST, "resources").await
    }

    /// Every resource template, following pagination to the end.
    pub async fn list_resource_templates(&self) -> Result<Vec<ResourceTemplate>, CallError> {
        self.list_all(m::RESOURCES_TEMPLATES_LIST, "resourceTemplates").await
    }

    /// Every prompt, following pagination to the end.
    pub async fn list_prompts(&self) -> Result<Vec<Prompt>, CallError> {
        self.list_all(m::PROMPTS_LIST, "prompts").await
    }

    /// Reads a resource.
    pub async fn read_resource(&self, uri: &str) -> Result<ReadResourceResult, CallError> {
        self.request(&ReadResourceRequestParams::new(uri), CallOptions::default()).await
    }

    /// Subscribes to updates of a resource (legacy `resources/subscribe`).
    pub async fn subscribe(&self, uri: &str) -> Result<(), CallError> {
        let params = RawJson::to_raw(&serde_json::json!({ "uri": uri }));
        self.request_raw(m::RESOURCES_SUBSCRIBE, Some(params), CallOptions::default())
            .await
            .map(|_| ())
    }

    /// Unsubscribes from a resource (legacy `resources/unsubscribe`).
    pub async fn unsubscribe(&self, uri: &str) -> Result<(), CallError> {
        let params = RawJson::to_raw(&serde_json::json!({ "uri": uri }));
        self.request_raw(m::RESOURCES_UNSUBSCRIBE, Some(params), CallOptions::default())
            .await
            .map(|_| ())
    }

    /// Opens a `subscriptions/listen` stream (2026-07-28) for the notifications in `filter`;
    /// they reach the [`ClientHandlers`]' notification callback, tagged with the
    /// subscription. Returns when the server ends the stream; dropping the future cancels it.
    pub async fn listen(&self, filter: SubscriptionFilter) -> Result<(), CallError> {
        let params = SubscriptionsListenRequestParams { notifications: filter, meta: None };
        self.request(&params, CallOptions::default()).await.map(|_| ())
    }

    /// Gets a prompt with its arguments.
    pub async fn get_prompt(
        &self,
        name: &str,
        arguments: impl IntoIterator<Item = (String, String)>,
    ) -> Result<GetPromptResult, CallError> {
        let mut params = GetPromptRequestParams::new(name);
        let args: alloc::collections::BTreeMap<String, String> = arguments.into_iter().collect();
        if !args.is_empty() {
            params.arguments = Some(args.into_iter().collect());
        }
        self.request(&params, CallOptions::default()).await
    }

    /// Asks for completions of a prompt or resource-template argument.
    pub async fn complete(
        &self,
        params: CompleteRequestParams,
    ) -> Result<CompleteResult, CallError> {
        self.request(&params, CallOptions::default()).await
    }

    /// Sets the server's log level (legacy `logging/setLevel`).
    pub async fn set_logging_level(&self, level: LoggingLevel) -> Result<(), CallError> {
        let params = RawJson::to_raw(&serde_json::json!({ "level": level }));
        self.request_raw(m::LOGGING_SET_LEVEL, Some(params), CallOptions::default())
            .await
            .map(|_| ())
    }

    /// Tells the server the client's roots changed (legacy).
    pub async fn notify_roots_list_changed(&self) -> Result<(), CallError> {
        let cmd =
            Command::Notify { method: m::ROOTS_LIST_CHANGED.into(), params: None, related: None };
        self.sink.send(cmd).await.map_err(|_| CallError::Closed)
    }

    /// Closes the connection.
    pub async fn close(&self) {
        let _ = self.sink.send(Command::Shutdown).await;
    }

    async fn list_all<T: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        field: &str,
    ) -> Result<Vec<T>, CallError> {
        let mut pages = Paginator::new(None, MAX_PAGES);
        let mut items = Vec::new();
        while let Some(params) = pages.next_params() {
            let params = params.map_err(|e| CallError::InvalidResult(e.to_string()))?;
            let result = self.request_raw(method, params, CallOptions::default()).await?;
            let page: JsonObject =
                result.parse_owned().map_err(|e| CallError::InvalidResult(e.to_string()))?;
            let list = page.get(field).cloned().unwrap_or(serde_json::Value::Array(Vec::new()));
            let mut list: Vec<T> = serde_json::from_value(list)
                .map_err(|e| CallError::InvalidResult(e.to_string()))?;
            items.append(&mut list);
            pages.record(&result).map_err(|e| CallError::InvalidResult(e.to_string()))?;
        }
        Ok(items)
    }
}
