//! What a handler can do while it runs: report progress, log, ask the client for sampling,
//! elicitation or roots, check for cancellation, reach the application's shared state.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use core::any::Any;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use futures_channel::oneshot;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::driver::{CallError, CallId, Command, CommandSink};
use crate::jsonrpc::{RawJson, RequestId};
use crate::methods as m;
use crate::session::{RequestContext, RequestOptions};
use crate::types::{
    ClientCapabilities, CreateMessageRequestParams, CreateMessageResult, ElicitRequestParams,
    ElicitResult, Implementation, ListRootsResult, LoggingLevel,
};
use crate::version::{Era, ProtocolVersion};

/// Cancels a request to the client when the handler stops waiting for it.
struct CancelOnDrop<'a> {
    sink: &'a Arc<dyn CommandSink>,
    call: CallId,
    armed: bool,
}

impl Drop for CancelOnDrop<'_> {
    fn drop(&mut self) {
        if self.armed {
            let reason = Some("the server stopped waiting".into());
            let _ = self.sink.try_send(Command::Cancel { call: self.call, reason });
        }
    }
}

/// Input gathered across the rounds of a 2026-07-28 multi round-trip request, and the input
/// this round still needs.
#[derive(Default, Debug)]
pub(crate) struct InputReplay {
    /// Responses from earlier rounds and this retry, by key.
    pub responses: BTreeMap<String, Value>,
    /// Requests made this round that have no response yet, by key.
    pub missing: BTreeMap<String, Value>,
    /// How many input requests the handler has made this round (keys are `<kind>-<n>`).
    pub made: u32,
    /// A capability the handler needed that the client did not declare (2026-07-28 answers
    /// the request with `-32021`).
    pub missing_capability: Option<(&'static str, &'static str)>,
}

/// The handler's view of the request it is serving and its way back to the peer.
///
/// Cloning is cheap; clones share the request's state.
#[derive(Clone)]
pub struct Context {
    pub(crate) id: RequestId,
    pub(crate) request: RequestContext,
    pub(crate) sink: Arc<dyn CommandSink>,
    pub(crate) calls: Arc<AtomicU64>,
    pub(crate) state: Option<Arc<dyn Any + Send + Sync>>,
    pub(crate) replay: Arc<spin::Mutex<InputReplay>>,
    pub(crate) cancelled: Arc<AtomicBool>,
}

impl core::fmt::Debug for Context {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Context").field("id", &self.id).field("request", &self.request).finish()
    }
}

impl Context {
    /// The id of the request being served.
    pub fn request_id(&self) -> &RequestId {
        &self.id
    }

    /// The protocol revision of the request.
    pub fn protocol_version(&self) -> ProtocolVersion {
        self.request.protocol_version
    }

    /// The client's capabilities, when known.
    pub fn client_capabilities(&self) -> Option<&ClientCapabilities> {
        self.request.client_capabilities.as_deref()
    }

    /// The client's name and version, when known.
    pub fn client_info(&self) -> Option<&Implementation> {
        self.request.client_info.as_deref()
    }

    /// The application state given to the server builder, if it has type `T`.
    pub fn state<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        self.state.clone()?.downcast::<T>().ok()
    }

    /// The error for a resource this server does not have: `-32002` before 2026-07-28,
    /// `-32602` from it, with the URI in `data` either way.
    pub fn resource_not_found(&self, uri: &str) -> crate::jsonrpc::ErrorObject {
        super::resource::not_found(uri, self.request.protocol_version.era())
    }

    /// Whether the client cancelled the request. Runtimes also stop the handler's task, so
    /// this matters only for work that does not yield.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }

    /// Reports progress, if the client asked for it (otherwise does nothing). `progress` must
    /// grow with every call; a value that does not is dropped.
    pub async fn progress(&self, progress: f64, total: Option<f64>, message: Option<&str>) {
        if !self.request.wants_progress {
            return;
        }
        let cmd = Command::Progress {
            id: self.id.clone(),
            progress,
            total,
            message: message.map(String::from),
        };
        let _ = self.sink.send(cmd).await;
    }

    /// Sends a log message (`notifications/message`) with this request. The session drops it
    /// if the client asked for a higher level.
    pub async fn log(&self, level: LoggingLevel, data: impl Serialize) {
        self.log_to(level, None, data).await
    }

    /// Like [`Context::log`], naming the logger.
    pub async fn log_to(&self, level: LoggingLevel, logger: Option<&str>, data: impl Serialize) {
        let Ok(data) = RawJson::from_serialize(&data) else { return };
        let cmd = Command::Log {
            level,
            logger: logger.map(String::from),
            data,
            related: Some(self.id.clone()),
        };
        let _ = self.sink.send(cmd).await;
    }

    /// Asks the client's model for a completion (`sampling/createMessage`).
    pub async fn sample(
        &self,
        params: CreateMessageRequestParams,
    ) -> Result<CreateMessageResult, CallError> {
        self.ask(m::SAMPLING_CREATE_MESSAGE, None, &params).await
    }

    /// Asks the user for input (`elicitation/create`, form or URL mode).
    pub async fn elicit(&self, params: ElicitRequestParams) -> Result<ElicitResult, CallError> {
        self.ask(m::ELICITATION_CREATE, None, &params).await
    }

    /// Asks the client for its roots (`roots/list`).
    pub async fn list_roots(&self) -> Result<ListRootsResult, CallError> {
        self.ask(m::ROOTS_LIST, None, &serde_json::json!({})).await
    }

    /// Like [`Context::sample`], naming the request's key in a 2026-07-28 `inputRequests`
    /// (otherwise `sampling-<n>`).
    pub async fn sample_as(
        &self,
        key: &str,
        params: CreateMessageRequestParams,
    ) -> Result<CreateMessageResult, CallError> {
        self.ask(m::SAMPLING_CREATE_MESSAGE, Some(key), &params).await
    }

    /// Like [`Context::elicit`], naming the request's key (otherwise `elicitation-<n>`).
    pub async fn elicit_as(
        &self,
        key: &str,
        params: ElicitRequestParams,
    ) -> Result<ElicitResult, CallError> {
        self.ask(m::ELICITATION_CREATE, Some(key), &params).await
    }

    /// Like [`Context::list_roots`], naming the request's key (otherwise `roots-<n>`).
    pub async fn list_roots_as(&self, key: &str) -> Result<ListRootsResult, CallError> {
        self.ask(m::ROOTS_LIST, Some(key), &serde_json::json!({})).await
    }

    /// A handle on the server, to change what it offers while it runs (every session is told).
    pub fn server(&self) -> super::ServerHandle {
        super::ServerHandle::new(self.sink.clone())
    }

    /// A request to the client: a server→client request on legacy sessions; on 2026-07-28 an
    /// entry of the `input_required` result, answered when the client retries (the handler
    /// runs again from the start and this call then returns the client's answer).
    async fn ask<P: Serialize, R: DeserializeOwned>(
        &self,
        method: &'static str,
        key: Option<&str>,
        params: &P,
    ) -> Result<R, CallError> {
        let params =
            RawJson::from_serialize(params).map_err(|e| CallError::InvalidResult(e.to_string()))?;
        if self.request.protocol_version.era() == Era::Stateless {
            return self.ask_by_input(method, key, params);
        }
        let (reply, answer) = oneshot::channel();
        let call = CallId(self.calls.fetch_add(1, Ordering::Relaxed));
        let options =
            RequestOptions { related_request: Some(self.id.clone()), ..Default::default() };
        let cmd = Command::Request {
            call,
            method: method.into(),
            params: Some(params),
            options,
            on_progress: None,
            reply,
        };
        self.sink.send(cmd).await.map_err(|_| CallError::Closed)?;
        // If the handler stops waiting (its own request was cancelled), so does the client.
        let mut guard = CancelOnDrop { sink: &self.sink, call, armed: true };
        let answer = answer.await;
        guard.armed = false;
        let result = answer.map_err(|_| CallError::Closed)??;
        result.parse_owned().map_err(|e| CallError::InvalidResult(e.to_string()))
    }

    fn ask_by_input<R: DeserializeOwned>(
        &self,
        method: &'static str,
        key: Option<&str>,
        params: RawJson,
    ) -> Result<R, CallError> {
        let params_json = params.clone();
        let caps = self.request.client_capabilities.as_deref().cloned().unwrap_or_default();
        if let Err(capability) = crate::session::client_supports(&caps, method, Some(&params_json))
        {
            self.replay.lock().missing_capability = Some((method, capability));
            return Err(CallError::Rejected(crate::session::SendError::CapabilityNotDeclared {
                method: method.into(),
                capability,
            }));
        }
        let mut replay = self.replay.lock();
        let key = match key {
            Some(k) => String::from(k),
            None => {
                let kind = method.split('/').next().unwrap_or(method);
                alloc::format!("{kind}-{}", replay.made)
            }
        };
        replay.made += 1;
        // An answer that does not parse counts as no answer: the client is asked again.
        if let Some(answer) =
            replay.responses.get(&key).and_then(|a| serde_json::from_value(a.clone()).ok())
        {
            return Ok(answer);
        }
        let params: Value =
            params.parse_owned().map_err(|e| CallError::InvalidResult(e.to_string()))?;
        replay.missing.insert(key, serde_json::json!({"method": method, "params": params}));
        Err(CallError::InputRequired)
    }
}
