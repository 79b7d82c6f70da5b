//! What the HTTP layer reads from a 2026-07-28 request's params before the session sees it:
//! the name or URI `Mcp-Name` must match, and the `_meta` protocol version and client
//! capabilities the request must carry. One pass over the params, borrowing the strings.
//!
//! Each member is read on its own terms: a member of the wrong type reads as absent without
//! spoiling the others (the check that needs it then fails with its own error).

use alloc::borrow::Cow;
use core::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::http::param_headers::{NameMember, name_member};
use crate::jsonrpc::Message;

/// The params members the HTTP layer routes and checks a request by.
#[derive(Deserialize, Default)]
pub(super) struct Routing<'a> {
    #[serde(borrow, default)]
    name: OrNone<Cow<'a, str>>,
    #[serde(borrow, default)]
    uri: OrNone<Cow<'a, str>>,
    #[serde(rename = "_meta", borrow, default)]
    meta: OrNone<Meta<'a>>,
}

impl<'a> Routing<'a> {
    /// The routing members of `message`'s params; all absent when there are no params or they
    /// are not an object.
    pub(super) fn of(message: &'a Message) -> Self {
        let params = match message {
            Message::Request(r) => r.params.as_ref(),
            Message::Notification(n) => n.params.as_ref(),
            _ => None,
        };
        params.and_then(|p| p.parse().ok()).unwrap_or_default()
    }

    /// The tool or prompt name, or the resource URI, that `Mcp-Name` must equal for `method`.
    pub(super) fn target(&self, method: &str) -> Option<&str> {
        match name_member(method)? {
            NameMember::Name => self.name.0.as_deref(),
            NameMember::Uri => self.uri.0.as_deref(),
        }
    }

    /// The tool or prompt name the params carry.
    pub(super) fn name(&self) -> Option<&str> {
        self.name.0.as_deref()
    }

    /// `_meta` `io.modelcontextprotocol/protocolVersion`.
    pub(super) fn protocol_version(&self) -> Option<&str> {
        self.meta.0.as_ref().and_then(|m| m.version.0.as_deref())
    }

    /// Whether `_meta` carries `io.modelcontextprotocol/clientCapabilities` (not `null`).
    pub(super) fn has_client_capabilities(&self) -> bool {
        self.meta.0.as_ref().is_some_and(|m| m.caps.is_some())
    }
}

/// The reserved `_meta` members.
#[derive(Deserialize, Default)]
struct Meta<'a> {
    #[serde(rename = "io.modelcontextprotocol/protocolVersion", borrow, default)]
    version: OrNone<Cow<'a, str>>,
    /// Present unless absent or `null`.
    #[serde(rename = "io.modelcontextprotocol/clientCapabilities", default)]
    caps: Option<IgnoredAny>,
}

/// A member that is read from one JSON shape only (a string, or an object); a value of any
/// other shape is skipped and reads as `None`.
trait OneShape<'de>: Sized {
    fn from_str(_: Cow<'de, str>) -> Option<Self> {
        None
    }

    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

impl<'de: 'a, 'a> OneShape<'de> for Cow<'a, str> {
    fn from_str(s: Cow<'de, str>) -> Option<Self> {
        Some(s)
    }
}

impl<'de: 'a, 'a> OneShape<'de> for Meta<'a> {
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        Meta::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
    }
}

/// `T` when the member has `T`'s shape, else `None`.
struct OrNone<T>(Option<T>);

impl<T> Default for OrNone<T> {
    fn default() -> Self {
        OrNone(None)
    }
}

impl<'de, T: OneShape<'de>> Deserialize<'de> for OrNone<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(core::marker::PhantomData<T>);
        impl<'de, T: OneShape<'de>> Visitor<'de> for V<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(T::from_str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(T::from_str(Cow::Owned(v.into())))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::from_map(map)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(None)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
        }
        d.deserialize_any(V(core::marker::PhantomData)).map(OrNone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonrpc;
    use crate::methods as m;

    fn routing_of(params: &str) -> Message {
        let text =
            alloc::format!(r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{params}}}"#);
        match jsonrpc::decode(bytes::Bytes::from(text)) {
            Ok(jsonrpc::Decoded::Single(m)) => m,
            _ => panic!("a request"),
        }
    }

    #[test]
    fn the_members_a_modern_request_is_checked_by_are_read_in_one_pass() {
        let m = routing_of(
            r#"{"name":"echo","arguments":{"name":"not this"},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}"#,
        );
        let r = Routing::of(&m);
        assert_eq!(r.target(m::TOOLS_CALL), Some("echo"));
        assert_eq!(r.target(m::RESOURCES_READ), None);
        assert_eq!(r.protocol_version(), Some("2026-07-28"));
        assert!(r.has_client_capabilities());
    }

    #[test]
    fn a_member_of_the_wrong_type_reads_as_absent_and_spares_the_others() {
        let m = routing_of(
            r#"{"name":7,"uri":"a\"b","_meta":{"io.modelcontextprotocol/protocolVersion":[1],"io.modelcontextprotocol/clientCapabilities":null}}"#,
        );
        let r = Routing::of(&m);
        assert_eq!(r.name(), None);
        assert_eq!(r.target(m::RESOURCES_READ), Some("a\"b"));
        assert_eq!(r.protocol_version(), None);
        assert!(!r.has_client_capabilities());

        let m = routing_of(r#"{"name":"x","_meta":"no"}"#);
        let r = Routing::of(&m);
        assert_eq!(r.name(), Some("x"));
        assert_eq!(r.protocol_version(), None);
        let m = routing_of("[1,2]");
        let r = Routing::of(&m);
        assert_eq!(r.name(), None);
        assert!(!r.has_client_capabilities());
    }
}
