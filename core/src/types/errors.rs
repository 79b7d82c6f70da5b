//! The `data` payloads of the errors MCP defines.
//!
//! Each payload type implements [`ErrorData`], which ties it to its code and converts to and
//! from an [`ErrorObject`].

use alloc::string::String;
use alloc::vec::Vec;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{ClientCapabilities, ElicitRequestURLParams, JsonObject};
use crate::jsonrpc::{ErrorCode, ErrorObject, RawJson};

/// An error `data` payload with a fixed error code.
pub trait ErrorData: Serialize + DeserializeOwned {
    /// The error code that carries this payload.
    const CODE: ErrorCode;

    /// An error object with this code, `message` and the payload as `data`.
    fn into_error(self, message: impl Into<String>) -> ErrorObject {
        ErrorObject::new(Self::CODE, message).with_data(RawJson::to_raw(&self))
    }

    /// The payload of `error`: `None` if the code differs or there is no data, `Some(Err)` if
    /// the data does not parse.
    fn from_error(error: &ErrorObject) -> Option<Result<Self, serde_json::Error>> {
        if error.code != Self::CODE {
            return None;
        }
        error.data.as_ref().map(RawJson::parse_owned)
    }
}

/// Data of `-32022` UnsupportedProtocolVersion (2026-07-28): the request's protocol version is
/// not one the server implements.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct UnsupportedProtocolVersionData {
    /// The versions the server supports; the client retries with one of them.
    pub supported: Vec<String>,
    /// The version the client asked for.
    pub requested: String,
}

impl ErrorData for UnsupportedProtocolVersionData {
    const CODE: ErrorCode = ErrorCode::UNSUPPORTED_PROTOCOL_VERSION;
}

/// Data of `-32021` MissingRequiredClientCapability (2026-07-28): the request needs client
/// capabilities the request did not declare.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MissingRequiredClientCapabilityData {
    /// The capabilities the server requires.
    pub required_capabilities: ClientCapabilities,
}

impl ErrorData for MissingRequiredClientCapabilityData {
    const CODE: ErrorCode = ErrorCode::MISSING_REQUIRED_CLIENT_CAPABILITY;
}

/// Data of `-32042` URLElicitationRequired (2025-11-25 only): the request can proceed only
/// after these URL elicitations complete.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct UrlElicitationRequiredData {
    /// The URL elicitations, each with an `elicitationId`.
    pub elicitations: Vec<ElicitRequestURLParams>,
    /// Members this model does not know (the payload is open).
    #[serde(flatten)]
    pub extra: JsonObject,
}

impl ErrorData for UrlElicitationRequiredData {
    const CODE: ErrorCode = ErrorCode::URL_ELICITATION_REQUIRED;
}

/// Data of a resource-not-found error: `-32002` up to 2025-11-25, `-32602` (invalid params)
/// in 2026-07-28. Not an [`ErrorData`], since the code depends on the revision.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ResourceNotFoundData {
    /// The URI that was not found.
    pub uri: String,
}
