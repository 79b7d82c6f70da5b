//! Request ids and progress tokens: a JSON string or integer, never null.

use alloc::string::String;
use core::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

macro_rules! string_or_integer {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
        pub enum $name {
            /// An integer.
            Number(i64),
            /// A string.
            String(String),
        }

        impl From<i64> for $name {
            fn from(n: i64) -> Self {
                $name::Number(n)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name::String(s.into())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name::String(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $name::Number(n) => write!(f, "{n}"),
                    $name::String(s) => write!(f, "{s:?}"),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    $name::Number(n) => s.serialize_i64(*n),
                    $name::String(v) => s.serialize_str(v),
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$name, E> {
                        Ok($name::Number(v))
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$name, E> {
                        i64::try_from(v)
                            .map($name::Number)
                            .map_err(|_| E::custom(concat!($what, " out of range")))
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$name, E> {
                        // Some peers write integral ids as floats (`1.0`); accept those exactly.
                        let n = v as i64;
                        if n as f64 == v && v >= i64::MIN as f64 && v < i64::MAX as f64 {
                            Ok($name::Number(n))
                        } else {
                            Err(E::invalid_type(de::Unexpected::Float(v), &self))
                        }
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok($name::String(v.into()))
                    }
                    fn visit_string<E: de::Error>(self, v: String) -> Result<$name, E> {
                        Ok($name::String(v))
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

string_or_integer!(
    /// A JSON-RPC request id. The spec allows a string or an integer and forbids `null`.
    RequestId,
    "a string or integer request id"
);

string_or_integer!(
    /// A progress token (`_meta.progressToken`): a string or an integer chosen by the requester.
    ProgressToken,
    "a string or integer progress token"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_null_is_refused() {
        let n: RequestId = serde_json::from_str("7").unwrap();
        assert_eq!(n, RequestId::Number(7));
        let s: RequestId = serde_json::from_str("\"a\"").unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"a\"");
        assert!(serde_json::from_str::<RequestId>("null").is_err());
        assert!(serde_json::from_str::<RequestId>("1.5").is_err());
        assert!(serde_json::from_str::<RequestId>("18446744073709551615").is_err());
        assert_eq!(serde_json::from_str::<RequestId>("2.0").unwrap(), RequestId::Number(2));
    }
}
