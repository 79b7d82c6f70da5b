//! The client's side of server-initiated work: sampling, elicitation and roots handlers (for
//! legacy server→client requests and for 2026-07-28 `input_required` rounds alike), and
//! callbacks for notifications.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use core::future::Future;

use serde_json::Value;

use crate::driver::{BoxFuture, CallError};
use crate::jsonrpc::{ErrorObject, RawJson};
use crate::methods as m;
use crate::server::Dispatch;
use crate::session::IncomingRequest;
use crate::types::{
    ClientCapabilities, CreateMessageRequestParams, CreateMessageResult, ElicitRequestParams,
    ElicitResult, ElicitationCapability, JsonObject, ListRootsResult,
    LoggingMessageNotificationParams, RootsCapability, SamplingCapability,
};

type Handler<P, R> = Arc<dyn Fn(P) -> BoxFuture<'static, Result<R, ErrorObject>> + Send + Sync>;

/// Called for every notification the server sends (method, params).
pub type NotificationFn = Arc<dyn Fn(&str, Option<&RawJson>) + Send + Sync>;

/// Called for every log message the server sends.
pub type LogFn = Arc<dyn Fn(LoggingMessageNotificationParams) + Send + Sync>;

/// How the client answers what the server asks of it. Declaring a handler declares the
/// matching capability.
#[derive(Clone, Default)]
pub struct ClientHandlers {
    sampling: Option<Handler<CreateMessageRequestParams, CreateMessageResult>>,
    sampling_tools: bool,
    elicitation: Option<Handler<ElicitRequestParams, ElicitResult>>,
    elicitation_url: bool,
    roots: Option<Handler<(), ListRootsResult>>,
    roots_list_changed: bool,
    on_log: Option<LogFn>,
    on_notification: Option<NotificationFn>,
}

impl core::fmt::Debug for ClientHandlers {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClientHandlers")
            .field("sampling", &self.sampling.is_some())
            .field("elicitation", &self.elicitation.is_some())
            .field("roots", &self.roots.is_some())
            .finish()
    }
}

impl ClientHandlers {
    /// No handlers: the client declares no capabilities.
    pub fn new() -> Self {
        ClientHandlers::default()
    }

    /// Answers `sampling/createMessage`. `with_tools` declares `sampling.tools`.
    pub fn on_sampling<F, Fut>(mut self, with_tools: bool, f: F) -> Self
    where
        F: Fn(CreateMessageRequestParams) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<CreateMessageResult, ErrorObject>> + Send + 'static,
    {
        self.sampling = Some(Arc::new(move |p| Box::pin(f(p))));
        self.sampling_tools = with_tools;
        self
    }

    /// Answers `elicitation/create`. Form mode is always declared; `with_url` declares URL mode
    /// too. Fields left out of an accepted form are filled with the schema's defaults.
    pub fn on_elicitation<F, Fut>(mut self, with_url: bool, f: F) -> Self
    where
        F: Fn(ElicitRequestParams) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<ElicitResult, ErrorObject>> + Send + 'static,
    {
        self.elicitation = Some(Arc::new(move |p| Box::pin(f(p))));
        self.elicitation_url = with_url;
        self
    }

    /// Answers `roots/list`. `list_changed` declares `roots.listChanged`.
    pub fn on_roots<F, Fut>(mut self, list_changed: bool, f: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<ListRootsResult, ErrorObject>> + Send + 'static,
    {
        self.roots = Some(Arc::new(move |()| Box::pin(f())));
        self.roots_list_changed = list_changed;
        self
    }

    /// Receives log messages (`notifications/message`).
    pub fn on_log(
        mut self,
        f: impl Fn(LoggingMessageNotificationParams) + Send + Sync + 'static,
    ) -> Self {
        self.on_log = Some(Arc::new(f));
        self
    }

    /// Receives every notification from the server (log messages included).
    pub fn on_notification(
        mut self,
        f: impl Fn(&str, Option<&RawJson>) + Send + Sync + 'static,
    ) -> Self {
        self.on_notification = Some(Arc::new(f));
        self
    }

    /// Adds the capabilities the handlers provide.
    pub(crate) fn declare(&self, caps: &mut ClientCapabilities) {
        if self.sampling.is_some() {
            let mut s = caps.sampling.take().unwrap_or_default();
            if self.sampling_tools {
                s.tools.get_or_insert_with(JsonObject::new);
            }
            caps.sampling = Some(SamplingCapability { ..s });
        }
        if self.elicitation.is_some() {
            let mut e = caps.elicitation.take().unwrap_or_default();
            e.form.get_or_insert_with(JsonObject::new);
            if self.elicitation_url {
                e.url.get_or_insert_with(JsonObject::new);
            }
            caps.elicitation = Some(ElicitationCapability { ..e });
        }
        if self.roots.is_some() {
            let mut r = caps.roots.take().unwrap_or_default();
            if self.roots_list_changed {
                r.list_changed = Some(true);
            }
            caps.roots = Some(RootsCapability { ..r });
        }
    }

    pub(crate) fn notify(&self, method: &str, params: Option<&RawJson>) {
        if method == m::MESSAGE {
            if let (Some(f), Some(p)) = (&self.on_log, params) {
                if let Ok(p) = p.parse_owned::<LoggingMessageNotificationParams>() {
                    f(p);
                }
            }
        }
        if let Some(f) = &self.on_notification {
            f(method, params);
        }
    }

    /// Answers one server→client request.
    pub(crate) fn dispatch(&self, req: IncomingRequest) -> Dispatch {
        match self.answer(&req.method, req.params.unwrap_or_else(RawJson::empty_object)) {
            Some(fut) => Dispatch::Run(fut),
            None => Dispatch::Ready(Err(ErrorObject::method_not_found(&req.method))),
        }
    }

    /// The future answering `method` with `params`, if there is a handler for it.
    fn answer(
        &self,
        method: &str,
        params: RawJson,
    ) -> Option<BoxFuture<'static, Result<RawJson, ErrorObject>>> {
        match method {
            m::SAMPLING_CREATE_MESSAGE => {
                let h = self.sampling.clone()?;
                Some(Box::pin(async move {
                    let p = params.parse_owned().map_err(ErrorObject::invalid_params)?;
                    h(p).await.map(|r| RawJson::to_raw(&r))
                }))
            }
            m::ELICITATION_CREATE => {
                let h = self.elicitation.clone()?;
                Some(Box::pin(async move {
                    let p: ElicitRequestParams =
                        params.parse_owned().map_err(ErrorObject::invalid_params)?;
                    let schema = params.parse_owned::<Value>().ok();
                    let result = h(p).await?;
                    let mut result =
                        serde_json::to_value(&result).map_err(ErrorObject::internal_error)?;
                    if let Some(schema) = schema {
                        fill_defaults(&schema, &mut result);
                    }
                    Ok(RawJson::to_raw(&result))
                }))
            }
            m::ROOTS_LIST => {
                let h = self.roots.clone()?;
                Some(Box::pin(async move { h(()).await.map(|r| RawJson::to_raw(&r)) }))
            }
            _ => None,
        }
    }

    /// Answers every entry of an `inputRequests` object; the result is the `inputResponses`.
    pub(crate) fn gather_input(
        &self,
        input_requests: Option<RawJson>,
    ) -> BoxFuture<'static, Result<RawJson, CallError>> {
        #[derive(serde::Deserialize)]
        struct Req {
            method: String,
            #[serde(default)]
            params: Option<RawJson>,
        }
        let requests: BTreeMap<String, Req> = match input_requests.map(|r| r.parse_owned()) {
            Some(Ok(r)) => r,
            Some(Err(e)) => {
                return Box::pin(async move { Err(CallError::InvalidResult(e.to_string())) });
            }
            None => BTreeMap::new(),
        };
        let mut answers = alloc::vec::Vec::new();
        for (key, req) in requests {
            let params = req.params.unwrap_or_else(RawJson::empty_object);
            match self.answer(&req.method, params) {
                Some(f) => answers.push((key, f)),
                None => {
                    let method = req.method;
                    return Box::pin(async move {
                        Err(CallError::InvalidResult(alloc::format!(
                            "the server asked for {method}, which this client does not handle"
                        )))
                    });
                }
            }
        }
        Box::pin(async move {
            let mut out = serde_json::Map::new();
            for (key, f) in answers {
                let r = f.await.map_err(CallError::Error)?;
                let v = r
                    .parse_owned::<Value>()
                    .map_err(|e| CallError::InvalidResult(e.to_string()))?;
                out.insert(key, v);
            }
            Ok(RawJson::to_raw(&out))
        })
    }
}

/// Fills the fields an accepted form left out with the defaults of the requested schema
/// (SEP-1034).
fn fill_defaults(params: &Value, result: &mut Value) {
    if result.get("action").and_then(Value::as_str) != Some("accept") {
        return;
    }
    let Some(props) = params.pointer("/requestedSchema/properties").and_then(Value::as_object)
    else {
        return;
    };
    let Some(obj) = result.as_object_mut() else { return };
    let content = obj.entry("content").or_insert_with(|| Value::Object(Default::default()));
    let Some(content) = content.as_object_mut() else { return };
    for (name, schema) in props {
        if let Some(default) = schema.get("default") {
            content.entry(name.clone()).or_insert_with(|| default.clone());
        }
    }
}
