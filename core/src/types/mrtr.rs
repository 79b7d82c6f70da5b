//! Multi round-trip requests (2026-07-28 MRTR): instead of sending requests of its own, a
//! server answers `tools/call`, `prompts/get` or `resources/read` with an
//! [`InputRequiredResult`]; the client fulfils its [`InputRequests`] and retries the original
//! request, with a new id, carrying [`InputResponses`] and the echoed `requestState`.

use alloc::collections::BTreeMap;
use alloc::string::String;

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::serde_util::{object, str_member, variant};
use super::{
    CreateMessageRequestParams, CreateMessageResult, ElicitRequestParams, ElicitResult, JsonObject,
    ListRootsRequestParams, ListRootsResult, Meta, ResultType,
};
use crate::methods;

/// Requests the server needs the client to fulfil, by server-chosen key.
pub type InputRequests = BTreeMap<String, InputRequest>;

/// The client's answers to [`InputRequests`], under the same keys.
pub type InputResponses = BTreeMap<String, InputResponse>;

/// A request inside an [`InputRequiredResult`]: `{method, params}`, with no JSON-RPC
/// envelope.
#[derive(Clone, PartialEq, Debug)]
pub enum InputRequest {
    /// `sampling/createMessage`.
    CreateMessage(CreateMessageRequestParams),
    /// `roots/list`; its params are optional (`None` when absent).
    ListRoots(Option<ListRootsRequestParams>),
    /// `elicitation/create`.
    Elicit(ElicitRequestParams),
}

impl InputRequest {
    /// The method of the request.
    pub fn method(&self) -> &'static str {
        match self {
            InputRequest::CreateMessage(_) => methods::SAMPLING_CREATE_MESSAGE,
            InputRequest::ListRoots(_) => methods::ROOTS_LIST,
            InputRequest::Elicit(_) => methods::ELICITATION_CREATE,
        }
    }
}

impl Serialize for InputRequest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let has_params = !matches!(self, InputRequest::ListRoots(None));
        let mut map = s.serialize_map(Some(1 + usize::from(has_params)))?;
        map.serialize_entry("method", self.method())?;
        match self {
            InputRequest::CreateMessage(p) => map.serialize_entry("params", p)?,
            InputRequest::ListRoots(Some(p)) => map.serialize_entry("params", p)?,
            InputRequest::ListRoots(None) => {}
            InputRequest::Elicit(p) => map.serialize_entry("params", p)?,
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for InputRequest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut map = object(d, "an input request")?;
        let method = match map.remove("method") {
            Some(serde_json::Value::String(m)) => m,
            _ => return Err(D::Error::custom("an input request needs a string `method`")),
        };
        let params = map.remove("params");
        let params_of = |what: &str| match params.clone() {
            Some(serde_json::Value::Object(p)) => Ok(p),
            Some(_) => Err(D::Error::custom(alloc::format!("{what} params must be an object"))),
            None => Err(D::Error::custom(alloc::format!("{what} needs params"))),
        };
        match method.as_str() {
            methods::SAMPLING_CREATE_MESSAGE => {
                variant(params_of(&method)?).map(InputRequest::CreateMessage)
            }
            methods::ELICITATION_CREATE => variant(params_of(&method)?).map(InputRequest::Elicit),
            methods::ROOTS_LIST => match params {
                None => Ok(InputRequest::ListRoots(None)),
                Some(_) => variant(params_of(&method)?).map(|p| InputRequest::ListRoots(Some(p))),
            },
            other => Err(D::Error::custom(alloc::format!(
                "{other:?} cannot be an input request (only sampling/createMessage, \
                 elicitation/create and roots/list)"
            ))),
        }
    }
}

/// The client's answer to one [`InputRequest`]: the result the request would have had.
/// Told apart by their members (`action` for elicitation, `roots` for roots, otherwise a
/// sampled message).
#[derive(Clone, PartialEq, Debug, Serialize)]
#[serde(untagged)]
pub enum InputResponse {
    /// Answers `sampling/createMessage`.
    CreateMessage(CreateMessageResult),
    /// Answers `roots/list`.
    ListRoots(ListRootsResult),
    /// Answers `elicitation/create`.
    Elicit(ElicitResult),
}

impl<'de> Deserialize<'de> for InputResponse {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = object(d, "an input response")?;
        if map.contains_key("action") {
            variant(map).map(InputResponse::Elicit)
        } else if map.contains_key("roots") {
            variant(map).map(InputResponse::ListRoots)
        } else {
            variant(map).map(InputResponse::CreateMessage)
        }
    }
}

impl From<CreateMessageResult> for InputResponse {
    fn from(r: CreateMessageResult) -> Self {
        InputResponse::CreateMessage(r)
    }
}

impl From<ListRootsResult> for InputResponse {
    fn from(r: ListRootsResult) -> Self {
        InputResponse::ListRoots(r)
    }
}

impl From<ElicitResult> for InputResponse {
    fn from(r: ElicitResult) -> Self {
        InputResponse::Elicit(r)
    }
}

fn input_required<'de, D: Deserializer<'de>>(d: D) -> Result<ResultType, D::Error> {
    match ResultType::deserialize(d)? {
        ResultType::InputRequired => Ok(ResultType::InputRequired),
        other => Err(D::Error::custom(alloc::format!(
            "an InputRequiredResult has resultType \"input_required\", not {:?}",
            other.as_str()
        ))),
    }
}

/// The server needs more input before it can complete the request (2026-07-28). At least
/// one of `input_requests` and `request_state` is present.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InputRequiredResult {
    /// Always [`ResultType::InputRequired`]; deserializing any other value fails.
    #[serde(deserialize_with = "input_required")]
    pub result_type: ResultType,
    /// What the client must fulfil before retrying.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_requests: Option<InputRequests>,
    /// Opaque state the client echoes verbatim on the retry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_state: Option<String>,
    /// Result metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Members this model does not know (results are open objects).
    #[serde(flatten)]
    pub extra: JsonObject,
}

impl Default for InputRequiredResult {
    fn default() -> Self {
        InputRequiredResult {
            meta: None,
            result_type: ResultType::InputRequired,
            input_requests: None,
            request_state: None,
            extra: JsonObject::new(),
        }
    }
}

impl InputRequiredResult {
    /// A result asking for these inputs.
    pub fn new(input_requests: InputRequests) -> Self {
        InputRequiredResult { input_requests: Some(input_requests), ..Default::default() }
    }

    /// Sets the request state.
    pub fn with_request_state(mut self, state: impl Into<String>) -> Self {
        self.request_state = Some(state.into());
        self
    }
}

/// The result of a request that may answer with an [`InputRequiredResult`] (`tools/call`,
/// `prompts/get`, `resources/read` in 2026-07-28), chosen by `resultType`.
#[derive(Clone, PartialEq, Debug, Serialize)]
#[serde(untagged)]
pub enum MaybeInputRequired<T> {
    /// The final result (`resultType` absent or `complete`).
    Complete(T),
    /// More input is needed.
    InputRequired(InputRequiredResult),
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for MaybeInputRequired<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = object(d, "a result")?;
        if str_member(&map, "resultType") == Some("input_required") {
            variant(map).map(MaybeInputRequired::InputRequired)
        } else {
            variant(map).map(MaybeInputRequired::Complete)
        }
    }
}
