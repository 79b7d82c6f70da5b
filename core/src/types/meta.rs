//! `_meta`: the metadata object on params, results and many data types, and the keys the
//! specification reserves in it.
//!
//! [`Meta`] is a JSON object (a newtype over [`JsonObject`] that derefs to it), with typed
//! accessors for the reserved keys. Keys are kept in sorted order, so serialization is
//! deterministic.

use alloc::string::String;
use core::ops::{Deref, DerefMut};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::serde_util::to_value;
use super::{ClientCapabilities, Implementation, JsonObject, LoggingLevel, RelatedTaskMetadata};
use crate::jsonrpc::{ProgressToken, RequestId};

/// `progressToken` (request `_meta`, every revision): asks the receiver for
/// `notifications/progress` carrying this token.
pub const PROGRESS_TOKEN: &str = "progressToken";
/// `io.modelcontextprotocol/protocolVersion` (request `_meta`, 2026-07-28, required): the
/// protocol revision of this request.
pub const PROTOCOL_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
/// `io.modelcontextprotocol/clientInfo` (request `_meta`, 2026-07-28): the client's
/// [`Implementation`].
pub const CLIENT_INFO: &str = "io.modelcontextprotocol/clientInfo";
/// `io.modelcontextprotocol/clientCapabilities` (request `_meta`, 2026-07-28, required): the
/// client's [`ClientCapabilities`] for this request.
pub const CLIENT_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";
/// `io.modelcontextprotocol/logLevel` (request `_meta`, 2026-07-28): the lowest
/// [`LoggingLevel`] the client wants `notifications/message` for; absent means no log messages.
pub const LOG_LEVEL: &str = "io.modelcontextprotocol/logLevel";
/// `io.modelcontextprotocol/subscriptionId` (notification and `subscriptions/listen` result
/// `_meta`, 2026-07-28): the id of the `subscriptions/listen` request whose stream carries it.
pub const SUBSCRIPTION_ID: &str = "io.modelcontextprotocol/subscriptionId";
/// `io.modelcontextprotocol/serverInfo` (result `_meta`, 2026-07-28): the server's
/// [`Implementation`].
pub const SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";
/// `io.modelcontextprotocol/related-task` (2025-11-25 tasks): a [`RelatedTaskMetadata`] tying a
/// message to a task.
pub const RELATED_TASK: &str = "io.modelcontextprotocol/related-task";
/// `io.modelcontextprotocol/model-immediate-response` (2025-11-25 tasks, `CreateTaskResult`
/// `_meta`): a string to hand the model at once while the task runs.
pub const MODEL_IMMEDIATE_RESPONSE: &str = "io.modelcontextprotocol/model-immediate-response";
/// `traceparent` (2026-07-28): W3C trace context, for OpenTelemetry propagation.
pub const TRACEPARENT: &str = "traceparent";
/// `tracestate` (2026-07-28): W3C trace context, for OpenTelemetry propagation.
pub const TRACESTATE: &str = "tracestate";
/// `baggage` (2026-07-28): W3C baggage, for OpenTelemetry propagation.
pub const BAGGAGE: &str = "baggage";

/// The contents of a `_meta` member: a JSON object whose keys follow the spec's naming rules
/// (an optional reverse-DNS prefix ending in `/`, then a name). Prefixes whose second label is
/// `modelcontextprotocol` or `mcp` are reserved; the reserved keys are the constants of this
/// module.
///
/// It derefs to the underlying [`JsonObject`], so `get`, `insert`, iteration and the rest are
/// available directly. The typed getters return `None` when the key is absent and
/// `Some(Err(_))` when it is present but malformed (a 2026-07-28 server answers that with
/// `-32602`).
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Meta(pub JsonObject);

impl Meta {
    /// An empty `_meta` object.
    pub fn new() -> Self {
        Meta(JsonObject::new())
    }

    /// The underlying object.
    pub fn into_inner(self) -> JsonObject {
        self.0
    }

    /// The value at `key`, deserialized: `None` if absent, `Some(Err)` if it does not parse.
    pub fn get_as<T: DeserializeOwned>(&self, key: &str) -> Option<Result<T, serde_json::Error>> {
        self.0.get(key).map(|v| T::deserialize(v))
    }

    /// Sets `key` to the serialization of `value`, returning `self` for chaining.
    pub fn set<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> &mut Self {
        self.0.insert(String::from(key), to_value(value));
        self
    }

    /// Like [`Meta::set`], by value, for building a `_meta` in one expression.
    pub fn with<T: Serialize + ?Sized>(mut self, key: &str, value: &T) -> Self {
        self.set(key, value);
        self
    }

    /// [`PROGRESS_TOKEN`].
    pub fn progress_token(&self) -> Option<Result<ProgressToken, serde_json::Error>> {
        self.get_as(PROGRESS_TOKEN)
    }

    /// Sets [`PROGRESS_TOKEN`].
    pub fn set_progress_token(&mut self, token: &ProgressToken) -> &mut Self {
        self.set(PROGRESS_TOKEN, token)
    }

    /// [`PROTOCOL_VERSION`], as sent (it may name a revision this crate does not know).
    pub fn protocol_version(&self) -> Option<Result<&str, serde_json::Error>> {
        self.0.get(PROTOCOL_VERSION).map(|v| {
            v.as_str().ok_or_else(|| {
                <serde_json::Error as serde::de::Error>::custom(
                    "io.modelcontextprotocol/protocolVersion must be a string",
                )
            })
        })
    }

    /// Sets [`PROTOCOL_VERSION`].
    pub fn set_protocol_version(&mut self, version: &str) -> &mut Self {
        self.0.insert(String::from(PROTOCOL_VERSION), Value::String(String::from(version)));
        self
    }

    /// [`CLIENT_INFO`].
    pub fn client_info(&self) -> Option<Result<Implementation, serde_json::Error>> {
        self.get_as(CLIENT_INFO)
    }

    /// Sets [`CLIENT_INFO`].
    pub fn set_client_info(&mut self, info: &Implementation) -> &mut Self {
        self.set(CLIENT_INFO, info)
    }

    /// [`CLIENT_CAPABILITIES`].
    pub fn client_capabilities(&self) -> Option<Result<ClientCapabilities, serde_json::Error>> {
        self.get_as(CLIENT_CAPABILITIES)
    }

    /// Sets [`CLIENT_CAPABILITIES`].
    pub fn set_client_capabilities(&mut self, capabilities: &ClientCapabilities) -> &mut Self {
        self.set(CLIENT_CAPABILITIES, capabilities)
    }

    /// [`LOG_LEVEL`].
    pub fn log_level(&self) -> Option<Result<LoggingLevel, serde_json::Error>> {
        self.get_as(LOG_LEVEL)
    }

    /// Sets [`LOG_LEVEL`].
    pub fn set_log_level(&mut self, level: LoggingLevel) -> &mut Self {
        self.set(LOG_LEVEL, &level)
    }

    /// [`SUBSCRIPTION_ID`].
    pub fn subscription_id(&self) -> Option<Result<RequestId, serde_json::Error>> {
        self.get_as(SUBSCRIPTION_ID)
    }

    /// Sets [`SUBSCRIPTION_ID`].
    pub fn set_subscription_id(&mut self, id: &RequestId) -> &mut Self {
        self.set(SUBSCRIPTION_ID, id)
    }

    /// [`SERVER_INFO`].
    pub fn server_info(&self) -> Option<Result<Implementation, serde_json::Error>> {
        self.get_as(SERVER_INFO)
    }

    /// Sets [`SERVER_INFO`].
    pub fn set_server_info(&mut self, info: &Implementation) -> &mut Self {
        self.set(SERVER_INFO, info)
    }

    /// [`RELATED_TASK`].
    pub fn related_task(&self) -> Option<Result<RelatedTaskMetadata, serde_json::Error>> {
        self.get_as(RELATED_TASK)
    }

    /// Sets [`RELATED_TASK`].
    pub fn set_related_task(&mut self, task: &RelatedTaskMetadata) -> &mut Self {
        self.set(RELATED_TASK, task)
    }
}

impl Deref for Meta {
    type Target = JsonObject;
    fn deref(&self) -> &JsonObject {
        &self.0
    }
}

impl DerefMut for Meta {
    fn deref_mut(&mut self) -> &mut JsonObject {
        &mut self.0
    }
}

impl From<JsonObject> for Meta {
    fn from(map: JsonObject) -> Self {
        Meta(map)
    }
}

impl From<Meta> for JsonObject {
    fn from(meta: Meta) -> Self {
        meta.0
    }
}

impl FromIterator<(String, Value)> for Meta {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Meta(iter.into_iter().collect())
    }
}

impl Extend<(String, Value)> for Meta {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}
