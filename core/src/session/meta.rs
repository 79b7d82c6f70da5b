//! Reading the reserved `_meta` members of request params in one pass, without parsing the
//! rest of the params.

use alloc::string::String;

use serde::Deserialize;

use crate::jsonrpc::{ProgressToken, RawJson};
use crate::types::{ClientCapabilities, Implementation, LoggingLevel};

pub(crate) use crate::types::meta::{
    CLIENT_CAPABILITIES, CLIENT_INFO, LOG_LEVEL, PROGRESS_TOKEN, PROTOCOL_VERSION, SERVER_INFO,
    SUBSCRIPTION_ID,
};

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
