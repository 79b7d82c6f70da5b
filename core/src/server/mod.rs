//! The high-level server: register tools, resources and prompts as async functions; the
//! [`Driver`](crate::driver::Driver) runs them as requests arrive.
//!
//! ```
//! use mcp_sansio::server::{Context, Json, ServerBuilder};
//! use schemars::JsonSchema;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Deserialize, JsonSchema)]
//! struct AddArgs {
//!     /// The first number.
//!     a: i64,
//!     /// The second number.
//!     b: i64,
//! }
//!
//! #[derive(Serialize, JsonSchema)]
//! struct Sum {
//!     result: i64,
//! }
//!
//! let server = ServerBuilder::new("calculator", "1.0.0")
//!     .instructions("Adds numbers.")
//!     .tool("add", "Add two numbers", |args: AddArgs, _ctx: Context| async move {
//!         Json(Sum { result: args.a + args.b })
//!     })
//!     .build()
//!     .unwrap();
//! assert!(server.capabilities().tools.is_some());
//! ```

mod completion;
mod context;
mod handle;
mod prompt;
mod registry;
mod request_state;
mod resource;
mod tool;

use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::any::Any;
use core::future::Future;

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use completion::CompletionRequest;
pub use context::Context;
pub(crate) use context::InputReplay;
pub use handle::ServerHandle;
pub use prompt::IntoPromptResult;
pub use registry::{Changed, PromptDef, Registry};
use request_state::Binding;
pub use request_state::StateKey;
pub use resource::{Blob, IntoResourceContents, ResourceDef};
pub use tool::{IntoToolResult, Json, NoArguments, schema_object};

use crate::driver::BoxFuture;
use crate::jsonrpc::{ErrorObject, RawJson};
use crate::methods as m;
use crate::session::pagination::paginate;
use crate::session::{IncomingRequest, ServerConfig};
use crate::types::{
    CacheScope, CompleteReference, CompleteRequestParams, GetPromptRequestParams, Icon,
    Implementation, InputRequiredResult, JsonObject, PromptsCapability, ReadResourceRequestParams,
    ResourcesCapability, ServerCapabilities, ToolAnnotations, ToolsCapability,
};
use crate::version::Era;

/// How long a sealed `requestState` stays valid.
const REQUEST_STATE_TTL_MS: u64 = 10 * 60 * 1000;

/// A tool's description: its name and what clients show about it. The input schema is
/// generated from the argument type unless given here.
#[derive(Clone, Debug, Default)]
pub struct ToolDef {
    /// The tool's name (1–128 characters of `A-Za-z0-9_-.`).
    pub name: String,
    /// A display name.
    pub title: Option<String>,
    /// What the tool does, for the model.
    pub description: Option<String>,
    /// Hints about the tool's behaviour.
    pub annotations: Option<ToolAnnotations>,
    /// Icons.
    pub icons: Option<Vec<Icon>>,
    /// An input schema to advertise instead of the generated one.
    pub input_schema: Option<JsonObject>,
    /// An output schema to advertise instead of the one the result type implies.
    pub output_schema: Option<JsonObject>,
}

impl ToolDef {
    /// A tool with a name and a description.
    pub fn new(name: impl Into<String>, description: impl Into<String>) -> Self {
        ToolDef { name: name.into(), description: Some(description.into()), ..Default::default() }
    }
}

/// Builds a [`Server`].
pub struct ServerBuilder {
    info: Implementation,
    instructions: Option<String>,
    registry: Registry,
    state: Option<Arc<dyn Any + Send + Sync>>,
    page_size: Option<usize>,
    key: Option<StateKey>,
    capabilities: Option<ServerCapabilities>,
    errors: Vec<String>,
}

impl ServerBuilder {
    /// A server with a name and a version.
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        ServerBuilder {
            info: Implementation::new(name, version),
            instructions: None,
            registry: Registry::default(),
            state: None,
            page_size: None,
            key: None,
            capabilities: None,
            errors: Vec::new(),
        }
    }

    /// A display name.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.info.title = Some(title.into());
        self
    }

    /// A description of the server.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.info.description = Some(description.into());
        self
    }

    /// Instructions for the model, sent with the capabilities.
    pub fn instructions(mut self, instructions: impl Into<String>) -> Self {
        self.instructions = Some(instructions.into());
        self
    }

    /// Icons for the server.
    pub fn icons(mut self, icons: Vec<Icon>) -> Self {
        self.info.icons = Some(icons);
        self
    }

    /// The server's website.
    pub fn website_url(mut self, url: impl Into<String>) -> Self {
        self.info.website_url = Some(url.into());
        self
    }

    /// Application state every handler can reach with [`Context::state`] (what the Python
    /// SDK calls the lifespan context).
    pub fn state<T: Any + Send + Sync>(mut self, state: Arc<T>) -> Self {
        self.state = Some(state);
        self
    }

    /// Splits `*/list` results into pages of this many items (default: one page).
    pub fn page_size(mut self, n: usize) -> Self {
        self.page_size = Some(n.max(1));
        self
    }

    /// The secret that seals 2026-07-28 `requestState`s. Runtimes set a random one when none
    /// is given; set it yourself when several server processes share the retries.
    pub fn request_state_key(mut self, key: [u8; 32]) -> Self {
        self.key = Some(StateKey(key));
        self
    }

    /// Adds a tool: `handler` receives the arguments deserialized as `A` (whose JSON Schema
    /// becomes the tool's input schema) and a [`Context`].
    pub fn tool<A, R, F, Fut>(self, name: &str, description: &str, handler: F) -> Self
    where
        A: DeserializeOwned + JsonSchema + Send + 'static,
        R: IntoToolResult,
        F: Fn(A, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = R> + Send + 'static,
    {
        self.tool_with(ToolDef::new(name, description), handler)
    }

    /// Adds a tool described by `def` (title, annotations, icons, a hand-written schema).
    pub fn tool_with<A, R, F, Fut>(mut self, def: ToolDef, handler: F) -> Self
    where
        A: DeserializeOwned + JsonSchema + Send + 'static,
        R: IntoToolResult,
        F: Fn(A, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = R> + Send + 'static,
    {
        if let Err(e) = self.registry.add_tool(def, handler) {
            self.errors.push(e);
        }
        self
    }

    /// Adds a resource at a fixed URI; `handler` returns its contents (a `String` for text,
    /// a [`Blob`] for bytes, or [`ResourceContents`](crate::types::ResourceContents)).
    pub fn resource<R, F, Fut>(mut self, def: ResourceDef, handler: F) -> Self
    where
        R: IntoResourceContents,
        F: Fn(Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, ErrorObject>> + Send + 'static,
    {
        self.registry.add_resource(def, handler);
        self
    }

    /// Adds a resource template (`def.uri` is an RFC 6570 template); `handler` receives the
    /// variables of the URI read, deserialized as `A`.
    pub fn resource_template<A, R, F, Fut>(mut self, def: ResourceDef, handler: F) -> Self
    where
        A: DeserializeOwned + Send + 'static,
        R: IntoResourceContents,
        F: Fn(A, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, ErrorObject>> + Send + 'static,
    {
        if let Err(e) = self.registry.add_resource_template(def, handler) {
            self.errors.push(e);
        }
        self
    }

    /// Adds a prompt; its arguments are the properties of `A` (required unless `Option`).
    pub fn prompt<A, R, F, Fut>(mut self, def: PromptDef, handler: F) -> Self
    where
        A: DeserializeOwned + JsonSchema + Send + 'static,
        R: IntoPromptResult,
        F: Fn(A, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, ErrorObject>> + Send + 'static,
    {
        self.registry.add_prompt(def, handler);
        self
    }

    /// Completes an argument of a prompt.
    pub fn complete_prompt_argument<F, Fut>(
        mut self,
        prompt: &str,
        argument: &str,
        handler: F,
    ) -> Self
    where
        F: Fn(CompletionRequest, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Vec<String>> + Send + 'static,
    {
        self.registry.complete_prompt_argument(prompt, argument, handler);
        self
    }

    /// Completes a variable of a resource template.
    pub fn complete_template_argument<F, Fut>(
        mut self,
        template: &str,
        argument: &str,
        handler: F,
    ) -> Self
    where
        F: Fn(CompletionRequest, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Vec<String>> + Send + 'static,
    {
        self.registry.complete_template_argument(template, argument, handler);
        self
    }

    /// Advertises exactly these capabilities instead of the ones derived from what was
    /// registered (for a server that adds tools, resources or prompts only later).
    pub fn capabilities(mut self, capabilities: ServerCapabilities) -> Self {
        self.capabilities = Some(capabilities);
        self
    }

    /// Checks the definitions and builds the server.
    pub fn build(mut self) -> Result<Server, BuildError> {
        if !self.errors.is_empty() {
            return Err(BuildError(self.errors));
        }
        self.registry.changed = Default::default();
        let capabilities =
            self.capabilities.unwrap_or_else(|| derived_capabilities(&self.registry));
        let mut sessions = ServerConfig::new(self.info);
        sessions.capabilities = capabilities;
        sessions.instructions = self.instructions;
        Ok(Server {
            registry: self.registry,
            state: self.state,
            page_size: self.page_size,
            key: self.key,
            sessions: Arc::new(sessions),
        })
    }
}

/// What was wrong with the server's definitions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError(pub Vec<String>);

impl core::fmt::Display for BuildError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0.join("; "))
    }
}

#[cfg(feature = "std")]
impl std::error::Error for BuildError {}

/// A server: its description and its registry. A [`Driver`](crate::driver::Driver) runs it.
pub struct Server {
    pub(crate) registry: Registry,
    pub(crate) state: Option<Arc<dyn Any + Send + Sync>>,
    page_size: Option<usize>,
    key: Option<StateKey>,
    /// The server's info, capabilities and instructions, as every session of it is configured;
    /// shared, as a stateless HTTP server starts a session per request.
    sessions: Arc<ServerConfig>,
}

impl core::fmt::Debug for Server {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Server")
            .field("info", &self.sessions.info)
            .field("registry", &self.registry)
            .finish()
    }
}

/// A server shared by several drivers (HTTP sessions); one lock, taken briefly per request.
pub type SharedServer = alloc::sync::Arc<spin::RwLock<Server>>;

/// How the driver must answer a request.
pub(crate) enum Dispatch {
    /// At once.
    Ready(Result<RawJson, ErrorObject>),
    /// When this future (spawned as a task) completes.
    Run(BoxFuture<'static, Result<RawJson, ErrorObject>>),
}

/// The capabilities that follow from what is registered: every list can change while the
/// server runs; logging is always offered.
fn derived_capabilities(r: &Registry) -> ServerCapabilities {
    let has_resources = !r.resources.is_empty() || !r.templates.is_empty();
    ServerCapabilities {
        tools: (!r.tools.is_empty())
            .then(|| ToolsCapability { list_changed: Some(true), ..Default::default() }),
        resources: has_resources.then(|| ResourcesCapability {
            subscribe: Some(true),
            list_changed: Some(true),
            ..Default::default()
        }),
        prompts: (!r.prompts.is_empty())
            .then(|| PromptsCapability { list_changed: Some(true), ..Default::default() }),
        completions: (!r.completions.is_empty()).then(JsonObject::new),
        logging: Some(JsonObject::new()),
        ..Default::default()
    }
}

impl Server {
    /// What the server advertises.
    pub fn capabilities(&self) -> &ServerCapabilities {
        &self.sessions.capabilities
    }

    /// The session configuration for this server.
    pub fn session_config(&self) -> ServerConfig {
        (*self.sessions).clone()
    }

    /// The session configuration, shared rather than copied.
    pub(crate) fn shared_session_config(&self) -> Arc<ServerConfig> {
        self.sessions.clone()
    }

    /// Sets the `requestState` key if none was given (runtimes call this with fresh random
    /// bytes).
    pub fn ensure_request_state_key(&mut self, entropy: [u8; 32]) {
        if self.key.is_none() {
            self.key = Some(StateKey(entropy));
        }
    }

    /// The registry, to change what the server offers before it runs.
    pub fn registry_mut(&mut self) -> &mut Registry {
        &mut self.registry
    }

    /// The registry.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub(crate) fn dispatch(&self, req: IncomingRequest, ctx: Context, now_ms: u64) -> Dispatch {
        let era = req.context.era();
        let r = &self.registry;
        match &*req.method {
            m::TOOLS_LIST => Dispatch::Ready(self.list(&req, r.tools(), "tools")),
            m::RESOURCES_LIST => Dispatch::Ready(self.list(&req, r.resources(), "resources")),
            m::RESOURCES_TEMPLATES_LIST => {
                Dispatch::Ready(self.list(&req, r.resource_templates(), "resourceTemplates"))
            }
            m::PROMPTS_LIST => Dispatch::Ready(self.list(&req, r.prompts(), "prompts")),
            m::TOOLS_CALL => {
                self.call_tool(req, ctx, now_ms).unwrap_or_else(|e| Dispatch::Ready(Err(e)))
            }
            m::RESOURCES_READ => self
                .read_resource(req, ctx, now_ms, era)
                .unwrap_or_else(|e| Dispatch::Ready(Err(e))),
            m::PROMPTS_GET => {
                self.get_prompt(req, ctx, now_ms).unwrap_or_else(|e| Dispatch::Ready(Err(e)))
            }
            m::COMPLETION_COMPLETE => {
                self.complete(req, ctx).unwrap_or_else(|e| Dispatch::Ready(Err(e)))
            }
            other => Dispatch::Ready(Err(ErrorObject::method_not_found(other))),
        }
    }

    /// A page of a `*/list` result.
    fn list<'a, T: Serialize + Clone + 'a>(
        &self,
        req: &IncomingRequest,
        items: impl Iterator<Item = &'a T>,
        field: &str,
    ) -> Result<RawJson, ErrorObject> {
        let cursor = cursor_of(req)?;
        let items: Vec<T> = items.cloned().collect();
        let (page, next) =
            paginate(&items, cursor.as_deref(), self.page_size.unwrap_or(usize::MAX))?;
        let mut result = JsonObject::new();
        result
            .insert(field.into(), serde_json::to_value(page).map_err(ErrorObject::internal_error)?);
        if let Some(next) = next {
            result.insert("nextCursor".into(), next.into());
        }
        if req.context.era() == Era::Stateless {
            // Lists can change while the server runs, so clients must not cache them.
            result.insert("ttlMs".into(), 0.into());
            result.insert(
                "cacheScope".into(),
                serde_json::to_value(CacheScope::Public).map_err(ErrorObject::internal_error)?,
            );
        }
        Ok(RawJson::to_raw(&result))
    }

    fn call_tool(
        &self,
        req: IncomingRequest,
        ctx: Context,
        now_ms: u64,
    ) -> Result<Dispatch, ErrorObject> {
        // The arguments stay the text the client sent: the handler parses them into its own
        // type, and the binding digests them only if a request state is sealed or opened.
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Params<'a> {
            #[serde(borrow)]
            name: alloc::borrow::Cow<'a, str>,
            #[serde(borrow, default)]
            arguments: Option<&'a serde_json::value::RawValue>,
            // Read only so that a malformed `task` is refused, as the typed params refuse it.
            #[serde(default, rename = "task")]
            _task: Option<crate::types::TaskMetadata>,
            #[serde(default)]
            input_responses: Option<crate::types::InputResponses>,
            #[serde(default)]
            request_state: Option<String>,
        }
        let raw = req
            .params
            .as_ref()
            .ok_or_else(|| ErrorObject::invalid_params("tools/call needs a name"))?;
        let params: Params<'_> = raw.parse().map_err(ErrorObject::invalid_params)?;
        let args = match params.arguments {
            Some(a) if !a.get().starts_with('{') => {
                return Err(ErrorObject::invalid_params("tool arguments must be a JSON object"));
            }
            Some(a) => Some(raw.slice_of(a.get())),
            None => None,
        };
        let entry =
            self.registry.tools.iter().find(|t| t.tool.name == params.name).ok_or_else(|| {
                ErrorObject::invalid_params(alloc::format!("Unknown tool: {}", params.name))
            })?;
        let binding = Binding::raw(m::TOOLS_CALL, &params.name, args.clone());
        self.prepare_replay(
            &ctx,
            &binding,
            params.request_state.as_deref(),
            params.input_responses,
            now_ms,
        )?;
        let handler = entry.handler.clone();
        Ok(self.run_with_replay(ctx, binding, now_ms, move |ctx| async move {
            handler(args, ctx).await.map(|r| RawJson::to_raw(&r))
        }))
    }

    fn read_resource(
        &self,
        req: IncomingRequest,
        ctx: Context,
        now_ms: u64,
        era: Era,
    ) -> Result<Dispatch, ErrorObject> {
        let params: ReadResourceRequestParams = parse_params(&req, "resources/read needs a uri")?;
        let uri = params.uri;
        let found = match self.registry.resources.iter().find(|r| r.resource.uri == uri) {
            Some(r) => Some((r.read.clone(), RawJson::empty_object())),
            None => self.registry.templates.iter().find_map(|t| {
                t.parsed.matches(&uri).map(|vars| (t.read.clone(), RawJson::to_raw(&vars)))
            }),
        };
        let (read, vars) = found.ok_or_else(|| resource::not_found(&uri, era))?;
        let binding = Binding::new(m::RESOURCES_READ, &uri, None);
        self.prepare_replay(
            &ctx,
            &binding,
            params.request_state.as_deref(),
            params.input_responses,
            now_ms,
        )?;
        Ok(self.run_with_replay(ctx, binding, now_ms, move |ctx| async move {
            let contents = read(uri, vars, ctx).await?;
            Ok(RawJson::to_raw(&resource::read_result(contents, era)))
        }))
    }

    fn get_prompt(
        &self,
        req: IncomingRequest,
        ctx: Context,
        now_ms: u64,
    ) -> Result<Dispatch, ErrorObject> {
        let params: GetPromptRequestParams = parse_params(&req, "prompts/get needs a name")?;
        let entry =
            self.registry.prompts.iter().find(|p| p.prompt.name == params.name).ok_or_else(
                || ErrorObject::invalid_params(alloc::format!("Unknown prompt: {}", params.name)),
            )?;
        let arguments = params.arguments.unwrap_or_default();
        let binding = Binding::new(
            m::PROMPTS_GET,
            &params.name,
            serde_json::to_value(&arguments).ok().as_ref(),
        );
        self.prepare_replay(
            &ctx,
            &binding,
            params.request_state.as_deref(),
            params.input_responses,
            now_ms,
        )?;
        let args = RawJson::to_raw(&arguments);
        let handler = entry.handler.clone();
        Ok(self.run_with_replay(ctx, binding, now_ms, move |ctx| async move {
            handler(args, ctx).await.map(|r| RawJson::to_raw(&r))
        }))
    }

    fn complete(&self, req: IncomingRequest, ctx: Context) -> Result<Dispatch, ErrorObject> {
        let params: CompleteRequestParams =
            parse_params(&req, "completion/complete needs ref and argument")?;
        let (kind, target) = match &params.reference {
            CompleteReference::Prompt(p) => ("prompt", p.name.clone()),
            CompleteReference::Resource(r) => ("resource", r.uri.clone()),
        };
        let known = match kind {
            "prompt" => self.registry.prompts.iter().any(|p| p.prompt.name == target),
            _ => {
                self.registry.templates.iter().any(|t| t.template.uri_template == target)
                    || self.registry.resources.iter().any(|r| r.resource.uri == target)
            }
        };
        if !known {
            return Err(ErrorObject::invalid_params(alloc::format!("Unknown {kind}: {target}")));
        }
        let key = (kind, target, params.argument.name.clone());
        let Some(handler) = self.registry.completions.get(&key).cloned() else {
            // Nothing to suggest for this argument.
            return Ok(Dispatch::Ready(Ok(RawJson::to_raw(&completion::result(Vec::new())))));
        };
        let request = CompletionRequest {
            argument: params.argument.name,
            value: params.argument.value,
            context: params.context.and_then(|c| c.arguments).unwrap_or_default(),
        };
        Ok(Dispatch::Run(Box::pin(async move {
            Ok(RawJson::to_raw(&completion::result(handler(request, ctx).await)))
        })))
    }

    /// Runs a handler that may ask for input; on 2026-07-28 an unanswered request turns the
    /// result into `input_required`.
    fn run_with_replay<F, Fut>(
        &self,
        ctx: Context,
        binding: Binding,
        now_ms: u64,
        run: F,
    ) -> Dispatch
    where
        F: FnOnce(Context) -> Fut + Send + 'static,
        Fut: Future<Output = Result<RawJson, ErrorObject>> + Send + 'static,
    {
        let key = self.key.clone();
        Dispatch::Run(Box::pin(async move {
            let outcome = run(ctx.clone()).await;
            if let Some(input) = input_required(&ctx, key.as_ref(), &binding, now_ms) {
                return input;
            }
            outcome
        }))
    }

    /// Loads the input a retried 2026-07-28 request carries into the handler's context: the
    /// sealed state's responses, plus the new responses: with a state only to the keys it
    /// asked for, without one (the spec's basic flow) as they come.
    fn prepare_replay(
        &self,
        ctx: &Context,
        binding: &Binding,
        state: Option<&str>,
        responses: Option<crate::types::InputResponses>,
        now_ms: u64,
    ) -> Result<(), ErrorObject> {
        if ctx.request.protocol_version.era() != Era::Stateless {
            return Ok(());
        }
        let opened = match state {
            Some(state) => {
                let key = self
                    .key
                    .as_ref()
                    .ok_or_else(|| ErrorObject::internal_error("no requestState key"))?;
                Some(request_state::open(key, state, binding, now_ms, REQUEST_STATE_TTL_MS)?)
            }
            None => None,
        };
        let mut replay = ctx.replay.lock();
        let asked = match opened {
            Some(o) => {
                replay.responses = o.responses;
                Some(o.asked)
            }
            // The spec's basic flow sends no state; the answers stand on their own.
            None => None,
        };
        for (k, v) in responses.unwrap_or_default() {
            // With a state, only the keys it asked for count; extra keys are ignored.
            if asked.as_ref().is_none_or(|a| a.contains(&k)) {
                let v = serde_json::to_value(v).map_err(ErrorObject::invalid_params)?;
                replay.responses.insert(k, v);
            }
        }
        Ok(())
    }
}

/// After a handler ran on 2026-07-28: if it asked for input the client has not given yet, the
/// `input_required` result that asks for it.
fn input_required(
    ctx: &Context,
    key: Option<&StateKey>,
    binding: &Binding,
    now_ms: u64,
) -> Option<Result<RawJson, ErrorObject>> {
    let mut replay = ctx.replay.lock();
    if let Some((method, capability)) = replay.missing_capability {
        // The spec's MUST for a request that needs an undeclared client capability.
        let mut required = serde_json::Map::new();
        required.insert(
            capability.split('.').next().unwrap_or(capability).into(),
            serde_json::json!({}),
        );
        let data = serde_json::json!({ "requiredCapabilities": required });
        let e = ErrorObject::new(
            crate::jsonrpc::ErrorCode::MISSING_REQUIRED_CLIENT_CAPABILITY,
            alloc::format!("{method} needs the client capability {capability}"),
        )
        .with_data(RawJson::to_raw(&data));
        return Some(Err(e));
    }
    if replay.missing.is_empty() {
        return None;
    }
    let Some(key) = key else {
        return Some(Err(ErrorObject::internal_error("the server has no requestState key")));
    };
    let requests = core::mem::take(&mut replay.missing);
    let responses = core::mem::take(&mut replay.responses);
    let asked = requests.keys().cloned().collect();
    let state = request_state::seal(key, binding, now_ms, responses, asked);
    let requests: Result<crate::types::InputRequests, _> =
        serde_json::from_value(serde_json::Value::Object(requests.into_iter().collect()));
    Some(match requests {
        Ok(requests) => {
            let result = InputRequiredResult {
                input_requests: Some(requests),
                request_state: Some(state),
                ..Default::default()
            };
            Ok(RawJson::to_raw(&result))
        }
        Err(e) => Err(ErrorObject::internal_error(e.to_string())),
    })
}

fn cursor_of(req: &IncomingRequest) -> Result<Option<String>, ErrorObject> {
    #[derive(serde::Deserialize)]
    struct Cursor {
        #[serde(default)]
        cursor: Option<String>,
    }
    match &req.params {
        Some(p) => p.parse_owned::<Cursor>().map(|c| c.cursor).map_err(ErrorObject::invalid_params),
        None => Ok(None),
    }
}

fn parse_params<T: DeserializeOwned>(
    req: &IncomingRequest,
    missing: &str,
) -> Result<T, ErrorObject> {
    match req.params.as_ref() {
        Some(p) => p.parse_owned().map_err(ErrorObject::invalid_params),
        None => Err(ErrorObject::invalid_params(missing)),
    }
}
