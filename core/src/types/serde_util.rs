//! Serde helpers shared by the type modules (crate-private).

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serializer};
use serde_json::Value;

use super::JsonObject;

/// Defines a zero-sized type that stands for one fixed string on the wire, such as the `"url"`
/// of `mode: "url"`: it serializes as that string and deserializes only from it.
macro_rules! string_tag {
    ($(#[$doc:meta])* $name:ident = $value:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
        pub struct $name;

        impl $name {
            /// The string this tag stands for.
            pub const VALUE: &'static str = $value;
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($value)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <alloc::borrow::Cow<'de, str>>::deserialize(d)?;
                if s == $value {
                    Ok($name)
                } else {
                    Err(serde::de::Error::invalid_value(
                        serde::de::Unexpected::Str(&s),
                        &concat!("\"", $value, "\""),
                    ))
                }
            }
        }
    };
}
pub(crate) use string_tag;

/// For `Option<Value>` fields whose value may itself be `null` (`structuredContent` in
/// 2026-07-28 is any JSON value): a present `null` becomes `Some(Value::Null)`, so it survives
/// a round trip. Use with `#[serde(default, deserialize_with = "...")]`.
pub(crate) fn some_value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// Serializes a JSON number held as `f64`, writing integral values without a fractional part
/// (`50`, not `50.0`), so that numbers a peer sent as integers go back out unchanged.
pub(crate) fn number<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    // 2^53: beyond it not every integer is representable, and the cast would not be exact.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    // (`f64::fract` needs std; the cast round trip tests integrality in `core`.)
    if (-EXACT..=EXACT).contains(v) && (*v as i64) as f64 == *v {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

/// [`number`] for optional fields (use with `skip_serializing_if = "Option::is_none"`).
pub(crate) fn opt_number<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => number(v, s),
        None => s.serialize_none(),
    }
}

/// Deserializes the JSON object a union is encoded as, so the caller can look at its members
/// before choosing the variant.
pub(crate) fn object<'de, D: Deserializer<'de>>(d: D, what: &str) -> Result<JsonObject, D::Error> {
    match Value::deserialize(d)? {
        Value::Object(map) => Ok(map),
        other => Err(D::Error::custom(alloc::format!(
            "{what} must be a JSON object, not {}",
            kind(&other)
        ))),
    }
}

/// Finishes deserializing a union variant from the object [`object`] returned.
pub(crate) fn variant<T: DeserializeOwned, E: serde::de::Error>(map: JsonObject) -> Result<T, E> {
    serde_json::from_value(Value::Object(map)).map_err(E::custom)
}

/// The string member `key` of `map`, if present and a string.
pub(crate) fn str_member<'a>(map: &'a JsonObject, key: &str) -> Option<&'a str> {
    map.get(key).and_then(Value::as_str)
}

/// A JSON value's kind, for error messages.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Serializes `value` to a JSON value; the MCP types cannot fail to serialize (every map in
/// them is keyed by strings), so a failure is a broken invariant.
pub(crate) fn to_value<T: serde::Serialize + ?Sized>(value: &T) -> Value {
    match serde_json::to_value(value) {
        Ok(v) => v,
        Err(e) => panic!("an MCP type failed to serialize: {e}"),
    }
}

/// Serializes `inner` with a `type` member added in front: the encoding of a union
/// discriminated on `type` whose variants do not carry the member themselves.
#[derive(serde::Serialize)]
pub(crate) struct Tagged<'a, T: serde::Serialize> {
    #[serde(rename = "type")]
    pub(crate) ty: &'static str,
    #[serde(flatten)]
    pub(crate) inner: &'a T,
}
