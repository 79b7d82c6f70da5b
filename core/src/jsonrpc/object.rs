//! Reading and rewriting the top-level members of a JSON object without parsing their values.
//!
//! The session adds protocol members to payloads it did not build (`_meta` entries on request
//! params, `resultType` on results). Parsing a 64 KiB result into a `serde_json::Value` to add
//! one key would cost more than the rest of the round trip, so the object is split into
//! `(key, raw value)` pairs by serde_json and written back around the new members.

use alloc::borrow::Cow;
use alloc::vec::Vec;
use core::fmt;

use bytes::Bytes;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::RawJson;
use super::message::write_str;

/// The members of a JSON object, in order, with their values left as raw JSON.
pub(crate) struct RawObject<'a> {
    members: Vec<(Cow<'a, str>, &'a RawValue)>,
}

struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.into())))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for RawObject<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawObject<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawObject<'de>, A::Error> {
                let mut members = Vec::new();
                while let Some((k, v)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
                    members.push((k.0, v));
                }
                Ok(RawObject { members })
            }
        }
        d.deserialize_map(V)
    }
}

impl<'a> RawObject<'a> {
    /// Splits `json`, which must be an object, into its members.
    pub(crate) fn parse(json: &'a str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The raw value of member `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.members.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// Writes the object back with the members named in `remove` dropped and `add` appended
    /// (each value is JSON text).
    pub(crate) fn rewrite(&self, remove: &[&str], add: &[(&str, &str)]) -> RawJson {
        let mut out = Vec::with_capacity(self.len_hint(add));
        self.write(&mut out, remove, add);
        RawJson::from_validated(Bytes::from(out))
    }

    /// About how long [`RawObject::rewrite`] makes it (escapes aside).
    fn len_hint(&self, add: &[(&str, &str)]) -> usize {
        let members = self.members.iter().map(|(k, v)| (&**k, v.get()));
        members.chain(add.iter().copied()).map(|(k, v)| k.len() + v.len() + 4).sum::<usize>() + 2
    }

    /// [`RawObject::rewrite`] into `out`.
    fn write(&self, out: &mut Vec<u8>, remove: &[&str], add: &[(&str, &str)]) {
        out.push(b'{');
        let kept = self
            .members
            .iter()
            .filter(|(k, _)| !remove.contains(&&**k) && !add.iter().any(|(a, _)| a == k));
        let mut first = true;
        for (k, v) in kept.map(|(k, v)| (&**k, v.get())).chain(add.iter().copied()) {
            write_member(out, &mut first, k);
            out.extend_from_slice(v.as_bytes());
        }
        out.push(b'}');
    }
}

/// Writes `"key":`, after a comma unless it is the `first` member.
fn write_member(out: &mut Vec<u8>, first: &mut bool, key: &str) {
    if !*first {
        out.push(b',');
    }
    *first = false;
    write_str(out, key);
    out.push(b':');
}

/// Returns `object` (or `{}` when absent) with `entries` set inside its `_meta` member,
/// replacing entries of the same name and keeping every other member. One pass writes both
/// objects, the `_meta` member last.
pub(crate) fn with_meta_entries(
    object: Option<&RawJson>,
    entries: &[(&str, &str)],
) -> Result<RawJson, serde_json::Error> {
    let text = object.map_or("{}", RawJson::as_str);
    let outer = RawObject::parse(text)?;
    let meta = match outer.get("_meta") {
        Some(raw) if raw.get() != "null" => RawObject::parse(raw.get())?,
        _ => RawObject { members: Vec::new() },
    };
    let mut out = Vec::with_capacity(outer.len_hint(&[]) + meta.len_hint(entries) + 10);
    out.push(b'{');
    let mut first = true;
    for (k, v) in outer.members.iter().filter(|(k, _)| k != "_meta") {
        write_member(&mut out, &mut first, k);
        out.extend_from_slice(v.get().as_bytes());
    }
    write_member(&mut out, &mut first, "_meta");
    meta.write(&mut out, &[], entries);
    out.push(b'}');
    Ok(RawJson::from_validated(Bytes::from(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_replaced_and_added_in_order() {
        let raw = RawJson::from_string(r#"{"a":1,"b":{"x":[1,2]},"c\n":"s"}"#.into()).unwrap();
        let obj = RawObject::parse(raw.as_str()).unwrap();
        assert_eq!(obj.get("b").unwrap().get(), r#"{"x":[1,2]}"#);
        let out = obj.rewrite(&["a"], &[("z", "true"), ("b", "0")]);
        assert_eq!(out.as_str(), r#"{"c\n":"s","z":true,"b":0}"#);
    }

    #[test]
    fn meta_entries_merge_into_existing_meta() {
        let params =
            RawJson::from_string(r#"{"name":"t","_meta":{"k":1,"progressToken":0}}"#.into())
                .unwrap();
        let out = with_meta_entries(Some(&params), &[("progressToken", "5")]).unwrap();
        assert_eq!(out.as_str(), r#"{"name":"t","_meta":{"k":1,"progressToken":5}}"#);
        let out = with_meta_entries(None, &[("p", "\"v\"")]).unwrap();
        assert_eq!(out.as_str(), r#"{"_meta":{"p":"v"}}"#);
        let first = RawJson::from_string(r#"{"_meta":{"a":1},"name":"t"}"#.into()).unwrap();
        let out = with_meta_entries(Some(&first), &[("p", "2")]).unwrap();
        assert_eq!(out.as_str(), r#"{"name":"t","_meta":{"a":1,"p":2}}"#);
        let null = RawJson::from_string(r#"{"_meta":null,"x":[]}"#.into()).unwrap();
        let out = with_meta_entries(Some(&null), &[("p", "2")]).unwrap();
        assert_eq!(out.as_str(), r#"{"x":[],"_meta":{"p":2}}"#);
        assert!(with_meta_entries(Some(&RawJson::null()), &[]).is_err());
    }
}
