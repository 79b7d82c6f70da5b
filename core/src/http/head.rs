//! The parts of an HTTP request the MCP transports look at.

use alloc::string::String;
use alloc::vec::Vec;

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

/// Request headers, names lower-cased, in arrival order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headers(pub Vec<(String, String)>);

impl Headers {
    /// Adds a header (the name is lower-cased).
    pub fn push(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((name.to_ascii_lowercase(), value.into()));
    }

    /// The first value of a header (name in lower case).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Every value of a header, comma-separated lists split.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(n, _)| n == name).flat_map(|(_, v)| v.split(',')).map(str::trim)
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
}
