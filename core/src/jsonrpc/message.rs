//! JSON-RPC messages and their encoding.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use bytes::Bytes;

use super::{ErrorObject, RawJson, RequestId};

/// A method name. Names the spec defines are borrowed from static strings, so decoding them
/// allocates nothing.
pub type Method = Cow<'static, str>;

/// A JSON-RPC request: a method call that expects exactly one response.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Request {
    /// The id the response will carry.
    pub id: RequestId,
    /// The method called.
    pub method: Method,
    /// The parameters, as received (an object for every MCP method).
    pub params: Option<RawJson>,
}

/// A JSON-RPC notification: a one-way message with no id and no response.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Notification {
    /// The notification's method.
    pub method: Method,
    /// The parameters, as received.
    pub params: Option<RawJson>,
}

/// A successful JSON-RPC response.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Response {
    /// The id of the request answered.
    pub id: RequestId,
    /// The result, as received.
    pub result: RawJson,
}

/// A JSON-RPC error response.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ErrorResponse {
    /// The id of the request answered; `None` when the request was so malformed that its id
    /// could not be read (received as `"id": null` or no id; sent without an id).
    pub id: Option<RequestId>,
    /// What went wrong.
    pub error: ErrorObject,
}

/// Any JSON-RPC 2.0 message.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Message {
    /// A request.
    Request(Request),
    /// A notification.
    Notification(Notification),
    /// A successful response.
    Response(Response),
    /// An error response.
    Error(ErrorResponse),
}

impl Message {
    /// The method, for requests and notifications.
    pub fn method(&self) -> Option<&str> {
        match self {
            Message::Request(r) => Some(&r.method),
            Message::Notification(n) => Some(&n.method),
            Message::Response(_) | Message::Error(_) => None,
        }
    }

    /// The id, for requests and responses.
    pub fn id(&self) -> Option<&RequestId> {
        match self {
            Message::Request(r) => Some(&r.id),
            Message::Response(r) => Some(&r.id),
            Message::Error(e) => e.id.as_ref(),
            Message::Notification(_) => None,
        }
    }

    /// Appends the message's JSON text to `out`, with no trailing newline.
    ///
    /// The envelope's members are fixed, so they are written in order around the values that
    /// serde_json serializes; `params` and `result` are copied verbatim.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(br#"{"jsonrpc":"2.0""#);
        match self {
            Message::Request(r) => {
                write_id(out, Some(&r.id));
                write_method(out, &r.method);
                write_params(out, r.params.as_ref());
            }
            Message::Notification(n) => {
                write_method(out, &n.method);
                write_params(out, n.params.as_ref());
            }
            Message::Response(r) => {
                write_id(out, Some(&r.id));
                out.extend_from_slice(br#","result":"#);
                out.extend_from_slice(r.result.as_bytes());
            }
            Message::Error(e) => {
                // An error about a request whose id could not be read has no id. JSON-RPC 2.0
                // writes `"id": null`; MCP's schema (2025-11-25 onward) omits the member
                // instead and rejects `null`, so the member is left out.
                if let Some(id) = &e.id {
                    write_id(out, Some(id));
                }
                out.extend_from_slice(br#","error":"#);
                write_json(out, &e.error);
            }
        }
        out.push(b'}');
    }

    /// The message's JSON text.
    pub fn to_bytes(&self) -> Bytes {
        let mut out = Vec::with_capacity(self.encoded_len_hint());
        self.encode_into(&mut out);
        Bytes::from(out)
    }

    /// A cheap upper-bound guess of the encoded size, for preallocation.
    pub fn encoded_len_hint(&self) -> usize {
        let payload = match self {
            Message::Request(r) => r.params.as_ref().map_or(0, RawJson::len) + r.method.len(),
            Message::Notification(n) => n.params.as_ref().map_or(0, RawJson::len) + n.method.len(),
            Message::Response(r) => r.result.len(),
            Message::Error(e) => {
                e.error.message.len() + e.error.data.as_ref().map_or(0, RawJson::len)
            }
        };
        payload + 64
    }
}

pub(crate) fn write_json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Serializing strings and error objects cannot fail: none of them holds a map with
    // non-string keys. (`to_writer` needs std, so this goes through a temporary buffer; it only
    // runs for error objects and strings that need escaping.)
    if let Ok(bytes) = serde_json::to_vec(value) {
        out.extend_from_slice(&bytes);
    }
}

/// Writes a JSON string, copying it straight through when it needs no escaping (every method
/// name the spec defines, and most ids).
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        write_json(out, s);
    }
}

fn write_id(out: &mut Vec<u8>, id: Option<&RequestId>) {
    out.extend_from_slice(br#","id":"#);
    match id {
        Some(RequestId::Number(n)) => {
            out.extend_from_slice(itoa::Buffer::new().format(*n).as_bytes())
        }
        Some(RequestId::String(s)) => write_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

fn write_method(out: &mut Vec<u8>, method: &str) {
    out.extend_from_slice(br#","method":"#);
    write_str(out, method);
}

fn write_params(out: &mut Vec<u8>, params: Option<&RawJson>) {
    if let Some(p) = params {
        out.extend_from_slice(br#","params":"#);
        out.extend_from_slice(p.as_bytes());
    }
}
