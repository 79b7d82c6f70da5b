//! The reserved `_meta` members a request's params carry, read without parsing the rest.

use alloc::string::String;

use serde::Deserialize;

use crate::jsonrpc::{ProgressToken, RawJson};
use crate::types::{ClientCapabilities, Implementation, LoggingLevel};

/// `_meta` key of the request's protocol revision (2026-07-28).
pub const PROTOCOL_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
/// `_meta` key of the client's capabilities (2026-07-28).
pub const CLIENT_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";
/// `_meta` key of the client's name and version (2026-07-28).
pub const CLIENT_INFO: &str = "io.modelcontextprotocol/clientInfo";
/// `_meta` key of the request's log level (2026-07-28).
pub const LOG_LEVEL: &str = "io.modelcontextprotocol/logLevel";
/// `_meta` key tying a notification to a `subscriptions/listen` stream (2026-07-28).
pub const SUBSCRIPTION_ID: &str = "io.modelcontextprotocol/subscriptionId";
/// `_meta` key of the server's name and version on results (2026-07-28).
pub const SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";
/// `_meta` key of a request's progress token.
pub const PROGRESS_TOKEN: &str = "progressToken";

#[derive(Deserialize, Default)]
pub(crate) struct RequestMeta {
    #[serde(rename = "io.modelcontextprotocol/protocolVersion", default)]
    pub protocol_version: Option<String>,
    #[serde(rename = "io.modelcontextprotocol/clientCapabilities", default)]
    pub client_capabilities: Option<ClientCapabilities>,
    #[serde(rename = "io.modelcontextprotocol/clientInfo", default)]
    pub client_info: Option<Implementation>,
    #[serde(rename = "io.modelcontextprotocol/logLevel", default)]
    pub log_level: Option<LoggingLevel>,
    #[serde(rename = "progressToken", default)]
    pub progress_token: Option<ProgressToken>,
}

#[derive(Deserialize)]
struct ParamsWithMeta {
    #[serde(rename = "_meta", default)]
    meta: Option<RequestMeta>,
}

/// Reads the reserved `_meta` members of request params (an empty view when there are none).
pub(crate) fn read(params: Option<&RawJson>) -> Result<RequestMeta, serde_json::Error> {
    match params {
        Some(p) if p.is_object() => Ok(p.parse::<ParamsWithMeta>()?.meta.unwrap_or_default()),
        _ => Ok(RequestMeta::default()),
    }
}
