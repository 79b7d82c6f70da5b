//! Types shared by every feature: implementation info, icons, annotations, roles, cursors,
//! the result type and cache hints, the empty result, pagination params.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::serde_util::opt_number;
use super::{JsonObject, Meta};

/// "An opaque token used to represent a cursor for pagination." An empty string is a valid
/// cursor.
pub type Cursor = String;

/// The sender or recipient of messages and data in a conversation.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// `"user"`.
    User,
    /// `"assistant"`.
    Assistant,
}

/// Optional annotations for the client, to inform how objects are used or displayed.
///
/// 2024-11-05 nests the same `{audience, priority}` object under `Annotated.annotations`;
/// `lastModified` arrived in 2025-06-18.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Annotations {
    /// Who the intended audience of this object or data is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Vec<Role>>,
    /// How important this data is, from 0 (entirely optional) to 1 (effectively required).
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "opt_number")]
    pub priority: Option<f64>,
    /// When the resource was last modified, as an ISO 8601 string (2025-06-18+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// The background an [`Icon`] is designed for.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IconTheme {
    /// Designed for a light background.
    Light,
    /// Designed for a dark background.
    Dark,
}

/// An optionally-sized icon that can be displayed in a user interface (2025-11-25+).
///
/// Consumers should accept only `https:` and `data:` URIs and fetch them without credentials.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Icon {
    /// A URI pointing to the icon: an HTTP(S) URL or a `data:` URI.
    pub src: String,
    /// A MIME type override, if the source's type is missing or generic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Sizes the icon can be used at, as `WxH` (`"48x48"`) or `"any"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sizes: Option<Vec<String>>,
    /// The theme this icon is designed for; absent means any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<IconTheme>,
}

impl Icon {
    /// An icon at `src` with no other properties.
    pub fn new(src: impl Into<String>) -> Self {
        Icon { src: src.into(), mime_type: None, sizes: None, theme: None }
    }
}

/// Describes an MCP implementation (`clientInfo`, `serverInfo`).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Implementation {
    /// The programmatic name.
    pub name: String,
    /// A display name (2025-06-18+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The version of the implementation.
    pub version: String,
    /// A human-readable description (2025-11-25+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The implementation's website (2025-11-25+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website_url: Option<String>,
    /// Icons to display (2025-11-25+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icons: Option<Vec<Icon>>,
}

impl Implementation {
    /// An implementation with just a name and a version.
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        Implementation {
            name: name.into(),
            title: None,
            version: version.into(),
            description: None,
            website_url: None,
            icons: None,
        }
    }
}

/// The `resultType` of a 2026-07-28 result: how to parse the rest of it.
///
/// Results from earlier revisions carry none; a missing `resultType` means
/// [`ResultType::Complete`]. Extensions add values (the tasks extension's `"task"`), kept as
/// [`ResultType::Other`] so they survive a round trip.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub enum ResultType {
    /// `"complete"`: the request completed and the result holds the final content.
    #[default]
    Complete,
    /// `"input_required"`: the result is an `InputRequiredResult`; the client provides the
    /// input and retries the request.
    InputRequired,
    /// Any other value, defined by an extension.
    Other(String),
}

impl ResultType {
    /// The wire string.
    pub fn as_str(&self) -> &str {
        match self {
            ResultType::Complete => "complete",
            ResultType::InputRequired => "input_required",
            ResultType::Other(s) => s,
        }
    }

    /// Parses a wire string; every string is accepted.
    pub fn parse(s: &str) -> Self {
        match s {
            "complete" => ResultType::Complete,
            "input_required" => ResultType::InputRequired,
            other => ResultType::Other(String::from(other)),
        }
    }

    /// The result type of a received result object, read without parsing the rest:
    /// `Complete` when the member is absent (results from earlier revisions), `None` when the
    /// text is not an object or `resultType` is not a string.
    pub fn of_result(result: &str) -> Option<ResultType> {
        #[derive(Deserialize)]
        struct Peek<'a> {
            #[serde(default, borrow, rename = "resultType")]
            result_type: Option<alloc::borrow::Cow<'a, str>>,
        }
        // A derived struct would also accept an array; a result must be an object.
        if !result.trim_start().starts_with('{') {
            return None;
        }
        let peek: Peek<'_> = serde_json::from_str(result).ok()?;
        Some(peek.result_type.map_or(ResultType::Complete, |s| ResultType::parse(&s)))
    }
}

impl From<&str> for ResultType {
    fn from(s: &str) -> Self {
        ResultType::parse(s)
    }
}

impl fmt::Display for ResultType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ResultType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ResultType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <alloc::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(ResultType::parse(&s))
    }
}

/// Who may reuse a cached result (2026-07-28 `cacheScope`), like HTTP `Cache-Control`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CacheScope {
    /// No user-specific data: any client or intermediary may cache and share it.
    Public,
    /// Reusable only within the same authorization context.
    Private,
}

/// A result that carries no data: the answer to `ping`, `logging/setLevel`,
/// `resources/subscribe` and `resources/unsubscribe`. `{}` in the legacy revisions,
/// `{"resultType": "complete"}` in 2026-07-28.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmptyResult {
    /// The result type (2026-07-28).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_type: Option<ResultType>,
    /// Result metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Members this model does not know (results are open objects).
    #[serde(flatten)]
    pub extra: JsonObject,
}

impl EmptyResult {
    /// `{"resultType": "complete"}`, the 2026-07-28 empty result.
    pub fn complete() -> Self {
        EmptyResult { result_type: Some(ResultType::Complete), ..Default::default() }
    }
}

/// Common params for paginated requests (the schema's `PaginatedRequestParams`). Each
/// paginated method has its own params type with the same members (`ListToolsRequestParams`
/// and so on), so that the method follows from the type.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaginatedRequestParams {
    /// Where to continue from: the `nextCursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<Cursor>,
    /// Request metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}
