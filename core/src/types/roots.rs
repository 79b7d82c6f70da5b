//! Roots: `roots/list`, the directories and files a client exposes to a server (deprecated in
//! 2026-07-28, where it appears only inside an `InputRequiredResult`).

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{JsonObject, Meta};

/// A root directory or file the server may operate on.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Root {
    /// The URI; a `file://` URI for now.
    pub uri: String,
    /// A display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Metadata (2025-06-18+).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl Root {
    /// A root at `uri` with no name.
    pub fn new(uri: impl Into<String>) -> Self {
        Root { uri: uri.into(), name: None, meta: None }
    }
}

/// Params of `roots/list`. Serializes as `{}` unless it carries `_meta`.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct ListRootsRequestParams {
    /// Request metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// Result of `roots/list`.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct ListRootsResult {
    /// The roots.
    pub roots: Vec<Root>,
    /// Metadata (legacy revisions, where this is a `Result`).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Members this model does not know (a legacy `Result` is an open object).
    #[serde(flatten)]
    pub extra: JsonObject,
}
