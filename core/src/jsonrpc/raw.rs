//! [`RawJson`]: a JSON value kept as text until someone asks for it typed.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use bytes::Bytes;
use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde::ser::{Serialize, Serializer};
use serde_json::value::RawValue;

/// One complete JSON value, stored as its UTF-8 text.
///
/// Decoding a message slices `params` and `result` out of the received frame without copying
/// them; [`RawJson::parse`] turns them into a typed value when (and if) they are needed. Cloning
/// is cheap: the text is reference-counted.
#[derive(Clone)]
pub struct RawJson(Bytes);

impl RawJson {
    /// Wraps bytes known to hold one valid UTF-8 JSON value.
    ///
    /// Only the decoder and the serializing constructors call this; every caller has either
    /// validated the text with serde_json or produced it with serde_json.
    pub(crate) fn from_validated(bytes: Bytes) -> Self {
        debug_assert!(core::str::from_utf8(&bytes).is_ok());
        RawJson(bytes)
    }

    /// Checks that `text` is one JSON value and keeps it.
    pub fn from_string(text: String) -> Result<Self, serde_json::Error> {
        let boxed = RawValue::from_string(text)?;
        Ok(Self::from_boxed(boxed))
    }

    /// Serializes `value` to JSON text.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        let text = serde_json::to_vec(value)?;
        Ok(RawJson(Bytes::from(text)))
    }

    /// Like [`RawJson::from_serialize`], for values whose serialization cannot fail (types
    /// with no maps keyed by non-strings and no failing `Serialize` impls, such as the MCP
    /// types in this crate).
    pub fn to_raw<T: Serialize + ?Sized>(value: &T) -> Self {
        match Self::from_serialize(value) {
            Ok(raw) => raw,
            Err(e) => panic!("serializing a value that cannot fail to serialize failed: {e}"),
        }
    }

    /// `{}`.
    pub fn empty_object() -> Self {
        RawJson(Bytes::from_static(b"{}"))
    }

    /// `null`.
    pub fn null() -> Self {
        RawJson(Bytes::from_static(b"null"))
    }

    fn from_boxed(boxed: alloc::boxed::Box<RawValue>) -> Self {
        let text: alloc::boxed::Box<str> = boxed.into();
        RawJson(Bytes::from(String::from(text)))
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        // SAFETY: every constructor stores text that is valid UTF-8 (checked by serde_json or
        // `str::from_utf8` before the bytes reach `from_validated`), and `Bytes` is immutable.
        unsafe { core::str::from_utf8_unchecked(&self.0) }
    }

    /// `part` of this text (a value serde borrowed from it) as a value of its own, sharing the
    /// buffer; copied when `part` lies elsewhere.
    pub fn slice_of(&self, part: &str) -> RawJson {
        let (start, end) = (self.0.as_ptr() as usize, self.0.as_ptr() as usize + self.0.len());
        let at = part.as_ptr() as usize;
        if at >= start && at + part.len() <= end {
            RawJson(self.0.slice_ref(part.as_bytes()))
        } else {
            RawJson(Bytes::copy_from_slice(part.as_bytes()))
        }
    }

    /// The JSON text as bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The shared buffer holding the text.
    pub fn to_bytes(&self) -> Bytes {
        self.0.clone()
    }

    /// Deserializes the value, borrowing from the text where `T` allows it.
    pub fn parse<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.as_str())
    }

    /// Deserializes into an owned value.
    pub fn parse_owned<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.as_str())
    }

    /// The first byte of the value tells its JSON type; `{` means an object.
    pub fn is_object(&self) -> bool {
        self.0.first() == Some(&b'{')
    }

    /// Whether the value is the JSON literal `null`.
    pub fn is_null(&self) -> bool {
        &self.0[..] == b"null"
    }

    /// Length of the text in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: a JSON value has at least one byte. Present for API symmetry with `len`.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Equality is textual: `{"a":1}` and `{ "a": 1 }` differ.
impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for RawJson {}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Re-borrow the text as a `RawValue` so serde_json writes it verbatim. The text was
        // validated when this value was made, so this cannot fail.
        let raw: &RawValue = serde_json::from_str(self.as_str())
            .map_err(|_| serde::ser::Error::custom("RawJson holds invalid JSON"))?;
        raw.serialize(s)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let boxed = alloc::boxed::Box::<RawValue>::deserialize(d)?;
        Ok(Self::from_boxed(boxed))
    }
}

impl From<RawJson> for Vec<u8> {
    fn from(raw: RawJson) -> Vec<u8> {
        raw.0.to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_values_pass_through_serde_verbatim() {
        let raw = RawJson::from_string(r#"{"b":1, "a":[true]}"#.into()).unwrap();
        let wrapped = serde_json::to_string(&alloc::vec![raw.clone()]).unwrap();
        assert_eq!(wrapped, r#"[{"b":1, "a":[true]}]"#);
        let back: alloc::vec::Vec<RawJson> = serde_json::from_str(&wrapped).unwrap();
        assert_eq!(back[0], raw);
        assert!(RawJson::from_string("{".into()).is_err());
    }
}
