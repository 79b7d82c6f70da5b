//! Moving headers between the core's types and hyper's without a copy per header where the
//! text is fixed: the core names headers with static strings and borrows its fixed values, so
//! those become `HeaderName`/`HeaderValue`s that point at the same static text.

use std::borrow::Cow;

use bytes::Bytes;
use http::header::InvalidHeaderValue;
use http::{HeaderMap, HeaderName, HeaderValue};
use mcp_sansio::http::Headers;

/// Whether `name` is a valid header name already in lower case, which
/// [`HeaderName::from_static`] takes without a check that could panic.
fn is_lower_token(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b"!#$%&'*+-.^_`|~".contains(&b)
        })
}

/// The header name `name`: pointing at the static text itself (no allocation) when it is a
/// lower-case token, as every name the core writes is.
pub(crate) fn name(name: &'static str) -> Result<HeaderName, http::Error> {
    if is_lower_token(name) {
        Ok(HeaderName::from_static(name))
    } else {
        Ok(HeaderName::from_bytes(name.as_bytes())?)
    }
}

/// The header value `value`: pointing at borrowed static text or taking an owned string's
/// buffer, so no bytes are copied. An error for text a header cannot hold.
pub(crate) fn value(value: Cow<'static, str>) -> Result<HeaderValue, InvalidHeaderValue> {
    match value {
        Cow::Borrowed(v) => HeaderValue::from_maybe_shared(Bytes::from_static(v.as_bytes())),
        Cow::Owned(v) => HeaderValue::from_maybe_shared(Bytes::from(v)),
    }
}

/// hyper's headers as the core's, in one buffer sized for them; values that are not text
/// are left out.
pub(crate) fn to_core(map: &HeaderMap) -> Headers {
    let bytes = map.iter().map(|(n, v)| n.as_str().len() + v.len()).sum();
    let mut headers = Headers::with_capacity(map.len(), bytes);
    for (n, v) in map {
        if let Ok(v) = v.to_str() {
            headers.push(n.as_str(), v);
        }
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_names_and_values_keep_their_text() {
        assert_eq!(name("mcp-session-id").unwrap(), "mcp-session-id");
        assert_eq!(name("content-type").unwrap(), http::header::CONTENT_TYPE);
        // Not lower case: checked the slow way instead of panicking.
        assert_eq!(name("X-Odd").unwrap(), "x-odd");
        assert!(name("bad name").is_err());
        assert_eq!(value("application/json".into()).unwrap(), "application/json");
        assert_eq!(value(String::from("abc").into()).unwrap(), "abc");
        assert!(value("line\nbreak".into()).is_err());
    }

    #[test]
    fn hyper_headers_become_core_headers_in_order() {
        let mut map = HeaderMap::new();
        map.append("accept", HeaderValue::from_static("text/event-stream"));
        map.append("mcp-session-id", HeaderValue::from_static("s1"));
        map.append("x-bin", HeaderValue::from_bytes(b"\xff").unwrap());
        let h = to_core(&map);
        assert_eq!(h.get("accept"), Some("text/event-stream"));
        assert_eq!(h.get("mcp-session-id"), Some("s1"));
        assert_eq!(h.len(), 2);
    }
}
