//! The MCP data model: one set of Rust types for every revision from 2024-11-05 to
//! 2026-07-28.
//!
//! Type and field names follow the spec's `schema.ts` (fields in snake_case, `_meta` as
//! `meta`). Each type is the field-wise union of its revisions: a member that not every
//! revision has is an `Option`, omitted when `None`, so that every revision's messages
//! round-trip. Objects the spec leaves open (every result, the capability objects) keep the
//! members this model does not know in a flattened `extra` map; the other types drop them.
//! Which members a given revision may send is the session's business, not the types'.
//!
//! Unions are Rust enums. Where the spec discriminates by a member (`type` of content blocks
//! and form fields, `method` of input requests), the enum owns that member and the variant
//! structs do not repeat it, except where a struct also stands alone in the schema
//! ([`ElicitRequestURLParams`] keeps its `mode`).
//!
//! Every request's params type implements [`McpRequest`] (method name and result type) and
//! every notification's params type implements [`McpNotification`]. Where the schema shares one
//! params type between methods (paginated lists), each method has its own copy here, so the
//! method follows from the type.
//!
//! Numbers the spec types as `number` are `f64` and serialize without a fractional part when
//! integral (`50`, not `50.0`); integers are `u64`. Maps are `BTreeMap`s, so serialization is
//! deterministic.

/// Defines a paginated-list params type (the members of the schema's
/// `PaginatedRequestParams`) under its own name.
macro_rules! paginated_params {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Debug, Default, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            /// Request metadata.
            #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
            pub meta: Option<$crate::types::Meta>,
            /// Where to continue from: the `nextCursor` of the previous page.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub cursor: Option<$crate::types::Cursor>,
        }

        impl $name {
            /// The page after `cursor`.
            pub fn after(cursor: impl Into<$crate::types::Cursor>) -> Self {
                $name { meta: None, cursor: Some(cursor.into()) }
            }
        }

        impl From<$crate::types::PaginatedRequestParams> for $name {
            fn from(p: $crate::types::PaginatedRequestParams) -> Self {
                $name { meta: p.meta, cursor: p.cursor }
            }
        }

        impl From<$name> for $crate::types::PaginatedRequestParams {
            fn from(p: $name) -> Self {
                $crate::types::PaginatedRequestParams { meta: p.meta, cursor: p.cursor }
            }
        }
    };
}

/// Defines the result of a cacheable paginated list (`tools/list`, `prompts/list`,
/// `resources/list`, `resources/templates/list`): one page of `$items`, the next cursor, and
/// the 2026-07-28 caching hints.
macro_rules! cached_list_result {
    ($(#[$doc:meta])* $name:ident { $(#[$field_doc:meta])* $field:ident: $item:ty }) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            /// The result type (2026-07-28).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub result_type: Option<$crate::types::ResultType>,
            $(#[$field_doc])*
            pub $field: alloc::vec::Vec<$item>,
            /// Present if there may be more pages.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub next_cursor: Option<$crate::types::Cursor>,
            /// How long the client may cache this result, in milliseconds (2026-07-28).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub ttl_ms: Option<u64>,
            /// Who may reuse the cached result (2026-07-28).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub cache_scope: Option<$crate::types::CacheScope>,
            /// Result metadata.
            #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
            pub meta: Option<$crate::types::Meta>,
            /// Members this model does not know (results are open objects).
            #[serde(flatten)]
            pub extra: $crate::types::JsonObject,
        }
    };
}

mod serde_util;

mod capabilities;
mod common;
mod completion;
mod content;
mod elicitation;
mod errors;
mod lifecycle;
mod logging;
pub mod meta;
mod method;
mod mrtr;
mod notifications;
mod prompts;
mod resources;
mod roots;
mod sampling;
mod subscriptions;
mod tasks;
mod tools;

#[cfg(test)]
mod tests;

pub use capabilities::*;
pub use common::*;
pub use completion::*;
pub use content::*;
pub use elicitation::*;
pub use errors::*;
pub use lifecycle::*;
pub use logging::*;
pub use meta::Meta;
pub use method::*;
pub use mrtr::*;
pub use notifications::*;
pub use prompts::*;
pub use resources::*;
pub use roots::*;
pub use sampling::*;
pub use subscriptions::*;
pub use tasks::*;
pub use tools::*;

/// A JSON object (`serde_json::Map`, sorted by key in this crate's configuration).
pub type JsonObject = serde_json::Map<alloc::string::String, serde_json::Value>;
