//! The parts of an HTTP request the MCP transports look at.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// Headers a machine asks to send: names in lower case, values borrowed where they are fixed
/// text, so the common ones cost no allocation.
pub type HeaderPairs = Vec<(&'static str, Cow<'static, str>)>;

/// The request methods the transports handle; everything else is refused with 405.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS` (answered with the allowed methods).
    Options,
    /// Any other method.
    Other,
}

impl HttpMethod {
    /// Classifies a method name.
    pub fn parse(name: &str) -> HttpMethod {
        match name {
            "GET" => HttpMethod::Get,
            "POST" => HttpMethod::Post,
            "DELETE" => HttpMethod::Delete,
            "OPTIONS" => HttpMethod::Options,
            _ => HttpMethod::Other,
        }
    }
}

/// Request or response headers: names lower-cased, in arrival order.
///
/// All names and values share one buffer, so a request's headers cost two allocations, not
/// two per header.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Headers {
    text: String,
    /// Per header, where its name and then its value end in `text`; each name starts where
    /// the header before it ended.
    ends: Vec<(usize, usize)>,
}

impl Headers {
    /// Room for `count` headers of `bytes` bytes in all, names and values.
    pub fn with_capacity(count: usize, bytes: usize) -> Headers {
        Headers { text: String::with_capacity(bytes), ends: Vec::with_capacity(count) }
    }

    /// Adds a header (the name is lower-cased).
    pub fn push(&mut self, name: &str, value: &str) {
        let start = self.text.len();
        self.text.push_str(name);
        self.text[start..].make_ascii_lowercase();
        let name_end = self.text.len();
        self.text.push_str(value);
        self.ends.push((name_end, self.text.len()));
    }

    /// The headers as `(name, value)` pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&(name_end, value_end)| {
            let pair = (&self.text[start..name_end], &self.text[name_end..value_end]);
            start = value_end;
            pair
        })
    }

    /// How many headers there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The first value of a header (name in lower case).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Every value of a header, comma-separated lists split.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.iter().filter(move |(n, _)| *n == name).flat_map(|(_, v)| v.split(',')).map(str::trim)
    }

    /// Keeps only the headers `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &str) -> bool) {
        let mut kept = Headers::with_capacity(self.len(), self.text.len());
        for (n, v) in self.iter().filter(|(n, v)| keep(n, v)) {
            kept.push(n, v);
        }
        *self = kept;
    }

    /// Builds headers from `(name, value)` pairs.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Headers {
        let mut h = Headers::default();
        for (n, v) in pairs {
            h.push(n, v);
        }
        h
    }
}

impl core::fmt::Debug for Headers {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A request's method, target and headers: everything known before the body arrives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestHead {
    /// The method.
    pub method: HttpMethod,
    /// The path, without the query.
    pub path: String,
    /// The query string, without the `?`.
    pub query: Option<String>,
    /// The headers.
    pub headers: Headers,
}

impl RequestHead {
    /// A value of the query string.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query.as_deref()?.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k == name).then_some(v)
        })
    }
}

/// Whether a media-type list accepts `wanted` (`*/*` and `type/*` count).
pub(crate) fn accepts(headers: &Headers, wanted: &str) -> bool {
    let main = wanted.split('/').next().unwrap_or("");
    headers.get_all("accept").any(|item| {
        let media = item.split(';').next().unwrap_or("").trim();
        media.eq_ignore_ascii_case(wanted)
            || media == "*/*"
            || media.strip_suffix("/*").is_some_and(|m| m.eq_ignore_ascii_case(main))
    })
}

/// Whether the content type is `application/json` (parameters allowed).
pub(crate) fn is_json(headers: &Headers) -> bool {
    headers
        .get("content-type")
        .map(|ct| {
            ct.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/json")
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_accept_list_accepts_the_type_its_wildcards_and_any_case() {
        let with = |accept: &str| Headers::from_pairs([("Accept", accept)]);
        let json = "application/json";
        assert!(accepts(&with("application/json, text/event-stream"), json));
        assert!(accepts(&with("Application/JSON;q=0.9"), json));
        assert!(accepts(&with("*/*"), json));
        assert!(accepts(&with("text/html, APPLICATION/*"), json));
        assert!(!accepts(&with("text/event-stream"), json));
        assert!(!accepts(&with("text/*, application"), json));
        assert!(!accepts(&with("é/*"), json));
        assert!(!accepts(&Headers::default(), json));
    }

    #[test]
    fn headers_keep_their_order_and_lower_case_their_names() {
        let mut h = Headers::with_capacity(1, 8);
        h.push("Accept", "text/event-stream");
        h.push("MCP-Session-Id", "AbC");
        h.push("accept", "application/json");
        let pairs: Vec<_> = h.iter().collect();
        assert_eq!(
            pairs,
            [
                ("accept", "text/event-stream"),
                ("mcp-session-id", "AbC"),
                ("accept", "application/json")
            ]
        );
        assert_eq!(h.get("mcp-session-id"), Some("AbC"));
        assert_eq!(h.get("MCP-Session-Id"), None);
        assert_eq!(
            h.get_all("accept").collect::<Vec<_>>(),
            ["text/event-stream", "application/json"]
        );
        h.retain(|n, _| n != "accept");
        assert_eq!(h.iter().collect::<Vec<_>>(), [("mcp-session-id", "AbC")]);
        assert_eq!(h.len(), 1);
        assert!(!h.is_empty());
    }
}
