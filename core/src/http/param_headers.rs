//! `x-mcp-header` (2026-07-28, SEP-2243): tool parameters mirrored into `Mcp-Param-{Name}`
//! headers, and the header-value encoding shared with `Mcp-Name`.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::methods as m;
use crate::types::JsonObject;

/// One annotated parameter: the header's name part and the property path to the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamHeader {
    /// `{Name}` of `Mcp-Param-{Name}`.
    pub name: String,
    /// The chain of `properties` keys from the schema root.
    pub path: Vec<String>,
}

/// Safe integers in IEEE 754 doubles.
const MAX_SAFE: i64 = (1 << 53) - 1;

/// RFC 9110 `tchar`.
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// The annotations of a tool's input schema, or why the tool must be rejected.
pub fn param_headers(input_schema: &JsonObject) -> Result<Vec<ParamHeader>, String> {
    let mut out = Vec::new();
    walk_object(input_schema, &mut Vec::new(), true, &mut out, 0)?;
    let mut seen: Vec<String> = Vec::new();
    for h in &out {
        let lower = h.name.to_ascii_lowercase();
        if seen.contains(&lower) {
            return Err(format!("x-mcp-header {:?} is used twice", h.name));
        }
        seen.push(lower);
    }
    Ok(out)
}

fn walk<'a>(
    schema: &'a Value,
    path: &mut Vec<&'a str>,
    reachable: bool,
    out: &mut Vec<ParamHeader>,
    depth: usize,
) -> Result<(), String> {
    if depth > 64 {
        return Err("the input schema is nested too deeply".into());
    }
    match schema {
        Value::Object(obj) => walk_object(obj, path, reachable, out, depth),
        Value::Array(items) => {
            for item in items {
                walk(item, path, false, out, depth + 1)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// [`walk`] of a schema object, borrowed (a tool's schema is walked on every call).
fn walk_object<'a>(
    obj: &'a JsonObject,
    path: &mut Vec<&'a str>,
    reachable: bool,
    out: &mut Vec<ParamHeader>,
    depth: usize,
) -> Result<(), String> {
    if let Some(name) = obj.get("x-mcp-header") {
        if !reachable || path.is_empty() {
            return Err(
                "x-mcp-header must sit on a property reachable through `properties` only".into()
            );
        }
        let name = name.as_str().ok_or("x-mcp-header must be a string")?;
        if name.is_empty() || !name.chars().all(is_tchar) {
            return Err(format!("x-mcp-header {name:?} is not an HTTP token"));
        }
        match obj.get("type").and_then(Value::as_str) {
            Some("string" | "integer" | "boolean") => {}
            other => {
                return Err(format!(
                    "x-mcp-header {name:?} is on a {} parameter; only string, integer and boolean are allowed",
                    other.unwrap_or("non-primitive")
                ));
            }
        }
        out.push(ParamHeader { name: name.into(), path: path.iter().map(|&p| p.into()).collect() });
    }
    for (key, value) in obj {
        if key == "properties" {
            if let Value::Object(props) = value {
                for (prop, sub) in props {
                    path.push(prop);
                    walk(sub, path, reachable, out, depth + 1)?;
                    path.pop();
                }
            }
        } else if matches!(value, Value::Object(_) | Value::Array(_)) && key != "x-mcp-header" {
            // Any other keyword (items, anyOf, if, $defs, …) leaves the static chain.
            walk(value, path, false, out, depth + 1)?;
        }
    }
    Ok(())
}

/// The value at `path` in the call arguments, encoded for a header; `None` when absent (or not
/// a string, integer or boolean).
pub fn header_value(arguments: &Value, path: &[String]) -> Option<String> {
    plain_value(arguments, path).map(|v| encode(&v))
}

/// The value at `path` as the text a header carries before encoding: a string as it is, an
/// integer in decimal, a boolean as `true`/`false`.
pub fn plain_value(arguments: &Value, path: &[String]) -> Option<String> {
    let mut v = arguments;
    for key in path {
        v = v.get(key)?;
    }
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(String::from(if *b { "true" } else { "false" })),
        Value::Number(n) => {
            n.as_i64().filter(|i| (-MAX_SAFE..=MAX_SAFE).contains(i)).map(|i| format!("{i}"))
        }
        _ => None,
    }
}

/// A header value as-is when it is plain visible ASCII without surrounding whitespace, else
/// `=?base64?…?=` of its UTF-8 (also when it looks like that sentinel itself).
pub fn encode(value: &str) -> String {
    let printable = value.bytes().all(|b| (0x20..=0x7e).contains(&b));
    let padded = value.starts_with([' ', '\t']) || value.ends_with([' ', '\t']);
    let sentinel = value.starts_with("=?base64?") && value.ends_with("?=");
    let plain = printable && !padded && !sentinel;
    if plain { String::from(value) } else { format!("=?base64?{}?=", STANDARD.encode(value)) }
}

/// The params member whose value a 2026-07-28 request's `Mcp-Name` header carries.
pub(crate) enum NameMember {
    /// `name`: the tool of `tools/call`, the prompt of `prompts/get`.
    Name,
    /// `uri`: the resource of `resources/read`.
    Uri,
}

/// Which params member `Mcp-Name` carries for `method`; `None` for methods without the header.
pub(crate) fn name_member(method: &str) -> Option<NameMember> {
    match method {
        m::TOOLS_CALL | m::PROMPTS_GET => Some(NameMember::Name),
        m::RESOURCES_READ => Some(NameMember::Uri),
        _ => None,
    }
}

/// Decodes a header value written by [`encode`]; `None` for a malformed one.
pub fn decode(value: &str) -> Option<Cow<'_, str>> {
    match value.strip_prefix("=?base64?").and_then(|v| v.strip_suffix("?=")) {
        Some(b64) => String::from_utf8(STANDARD.decode(b64).ok()?).ok().map(Cow::Owned),
        None if value.bytes().all(|b| b == b'\t' || (0x20..=0x7e).contains(&b)) => {
            Some(Cow::Borrowed(value))
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(v: Value) -> JsonObject {
        match v {
            Value::Object(o) => o,
            _ => unreachable!(),
        }
    }

    #[test]
    fn the_spec_encoding_examples() {
        assert_eq!(encode("us-west1"), "us-west1");
        assert_eq!(encode("Hello, 世界"), "=?base64?SGVsbG8sIOS4lueVjA==?=");
        assert_eq!(encode(" padded "), "=?base64?IHBhZGRlZCA=?=");
        assert_eq!(encode("line1\nline2"), "=?base64?bGluZTEKbGluZTI=?=");
        assert_eq!(encode("=?base64?literal?="), "=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=");
        for v in ["us-west1", "Hello, 世界", " padded ", "=?base64?literal?=", ""] {
            assert_eq!(decode(&encode(v)).as_deref(), Some(v));
        }
    }

    #[test]
    fn annotations_are_checked() {
        let ok = schema(json!({"type": "object", "properties": {
            "region": {"type": "string", "x-mcp-header": "Region"},
            "nested": {"type": "object", "properties": {"n": {"type": "integer", "x-mcp-header": "N"}}}}}));
        let h = param_headers(&ok).unwrap();
        let n = h.iter().find(|h| h.name == "N").unwrap();
        assert_eq!(n.path, ["nested", "n"]);
        let args = json!({"region": "eu", "nested": {"n": 7}});
        assert_eq!(header_value(&args, &n.path).as_deref(), Some("7"));
        for bad in [
            json!({"properties": {"v": {"type": "string", "x-mcp-header": ""}}}),
            json!({"properties": {"v": {"type": "number", "x-mcp-header": "V"}}}),
            json!({"properties": {"v": {"type": "object", "x-mcp-header": "V"}}}),
            json!({"properties": {"v": {"type": "string", "x-mcp-header": "A B"}}}),
            json!({"properties": {"a": {"type": "string", "x-mcp-header": "X"}, "b": {"type": "string", "x-mcp-header": "x"}}}),
            json!({"properties": {"a": {"type": "array", "items": {"type": "string", "x-mcp-header": "X"}}}}),
            json!({"anyOf": [{"properties": {"a": {"type": "string", "x-mcp-header": "X"}}}]}),
        ] {
            assert!(param_headers(&schema(bad.clone())).is_err(), "{bad}");
        }
    }
}
