//! Decoding one frame of JSON text into a [`Message`] (or a batch of them).
//!
//! The envelope is parsed with every member kept as raw JSON, so that a message that is valid
//! JSON but not valid JSON-RPC still yields its `id` for the error reply. `params` and `result`
//! are sliced out of the frame without copying.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use bytes::Bytes;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use super::{
    ErrorCode, ErrorObject, ErrorResponse, Message, Notification, RawJson, Request, RequestId,
    Response,
};
use crate::methods;

/// Why a frame could not be decoded.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DecodeError {
    /// [`ErrorCode::PARSE_ERROR`] for text that is not JSON, [`ErrorCode::INVALID_REQUEST`] for
    /// JSON that is not a JSON-RPC message.
    pub code: ErrorCode,
    /// The message's id, when it could be read.
    pub id: Option<RequestId>,
    /// Whether the offending message was a request (it had a `method` and an `id`), so that
    /// an error reply is due. Unreadable input is answered too, with a `null` id.
    pub reply_due: bool,
    /// A human-readable description.
    pub detail: String,
}

impl DecodeError {
    fn parse(detail: impl fmt::Display) -> Self {
        DecodeError {
            code: ErrorCode::PARSE_ERROR,
            id: None,
            reply_due: true,
            detail: alloc::format!("{detail}"),
        }
    }

    fn invalid(id: Option<RequestId>, reply_due: bool, detail: impl fmt::Display) -> Self {
        DecodeError {
            code: ErrorCode::INVALID_REQUEST,
            id,
            reply_due,
            detail: alloc::format!("{detail}"),
        }
    }

    /// The error response this failure calls for.
    pub fn to_error_response(&self) -> ErrorResponse {
        let error = if self.code == ErrorCode::PARSE_ERROR {
            ErrorObject::parse_error(&self.detail)
        } else {
            ErrorObject::invalid_request(&self.detail)
        };
        ErrorResponse { id: self.id.clone(), error }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what =
            if self.code == ErrorCode::PARSE_ERROR { "parse error" } else { "invalid message" };
        write!(f, "{what}: {}", self.detail)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for DecodeError {}

/// A decoded frame: one message, or a JSON-RPC batch.
#[derive(Debug)]
pub enum Decoded {
    /// A single message.
    Single(Message),
    /// A batch (a JSON array). Each element decodes on its own; only the 2025-03-26 revision
    /// allows batches, and the session rejects them elsewhere.
    Batch(Vec<Result<Message, DecodeError>>),
}

/// Decodes a frame holding one JSON text.
pub fn decode(frame: Bytes) -> Result<Decoded, DecodeError> {
    let text = core::str::from_utf8(&frame).map_err(DecodeError::parse)?;
    let first = text.bytes().find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    if first == Some(b'[') {
        let items: Vec<&RawValue> = serde_json::from_str(text).map_err(classify_batch)?;
        if items.is_empty() {
            return Err(DecodeError::invalid(None, true, "empty batch"));
        }
        let decoded = items.into_iter().map(|raw| decode_object(&frame, text, raw.get())).collect();
        return Ok(Decoded::Batch(decoded));
    }
    decode_object(&frame, text, text).map(Decoded::Single)
}

/// Decodes a frame that must hold exactly one message (not a batch).
pub fn decode_message(frame: Bytes) -> Result<Message, DecodeError> {
    match decode(frame)? {
        Decoded::Single(m) => Ok(m),
        Decoded::Batch(_) => Err(DecodeError::invalid(None, true, "batches are not supported")),
    }
}

fn classify_batch(e: serde_json::Error) -> DecodeError {
    match e.classify() {
        serde_json::error::Category::Data => DecodeError::invalid(None, true, e),
        _ => DecodeError::parse(e),
    }
}

/// Deserializes any member, `null` included, as raw JSON (plain `Option` would fold `null` into
/// "absent", and `"id": null` must not turn a request into a notification).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default, borrow, deserialize_with = "present")]
    jsonrpc: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    id: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    method: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    params: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    result: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    error: Option<&'a RawValue>,
}

/// The contents of `raw`, a JSON value already validated by the parser, if it is a string with
/// no escapes: the common case, read without a second parse.
fn plain_string(raw: &str) -> Option<&str> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then_some(inner)
}

/// `raw` (validated JSON) as a request id when it is a plain string or a small integer, the
/// forms peers send; anything else (escapes, floats, exponents) takes the full parse.
fn fast_id(raw: &str) -> Option<RequestId> {
    if let Some(s) = plain_string(raw) {
        return Some(RequestId::String(s.into()));
    }
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok().map(RequestId::Number)
}

/// Decodes the object in `json`, a slice of `text`, which is the UTF-8 view of `frame`.
fn decode_object(frame: &Bytes, text: &str, json: &str) -> Result<Message, DecodeError> {
    let env: Envelope<'_> = serde_json::from_str(json).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => {
            DecodeError::invalid(None, true, "a message must be a JSON object with unique members")
        }
        _ => DecodeError::parse(e),
    })?;

    let id = match env.id {
        None => None,
        Some(raw) if raw.get() == "null" => None,
        Some(raw) => match fast_id(raw.get())
            .map_or_else(|| serde_json::from_str::<RequestId>(raw.get()), Ok)
        {
            Ok(id) => Some(id),
            Err(_) => {
                return Err(DecodeError::invalid(None, true, "id must be a string or an integer"));
            }
        },
    };
    // Requests get an error reply; so does a message too broken to classify. A broken
    // notification or response gets none: nobody is waiting for one.
    let reply_due = match env.method {
        Some(_) => env.id.is_some(),
        None => env.result.is_none() && env.error.is_none(),
    };
    let invalid = |detail: &str| DecodeError::invalid(id.clone(), reply_due, detail);

    match env.jsonrpc.map(RawValue::get) {
        Some("\"2.0\"") => {}
        _ => return Err(invalid("jsonrpc must be \"2.0\"")),
    }

    let slice = |raw: &RawValue| -> RawJson {
        // `raw` borrows from `text`, which is `frame` viewed as UTF-8: its offset in `text` is its
        // offset in `frame`.
        let start = raw.get().as_ptr() as usize - text.as_ptr() as usize;
        RawJson::from_validated(frame.slice(start..start + raw.get().len()))
    };

    if let Some(method) = env.method {
        let method = match plain_string(method.get()) {
            Some(m) => methods::intern(m),
            None => match serde_json::from_str::<Cow<'_, str>>(method.get()) {
                Ok(m) => methods::intern(&m),
                Err(_) => return Err(invalid("method must be a string")),
            },
        };
        if env.result.is_some() || env.error.is_some() {
            return Err(invalid("a request or notification cannot carry result or error"));
        }
        let params = match env.params {
            None => None,
            Some(p) if p.get() == "null" => None,
            Some(p) if matches!(p.get().as_bytes()[0], b'{' | b'[') => Some(slice(p)),
            Some(_) => return Err(invalid("params must be an object or an array")),
        };
        return match (env.id, id.clone()) {
            (None, _) => Ok(Message::Notification(Notification { method, params })),
            (Some(_), Some(id)) => Ok(Message::Request(Request { id, method, params })),
            (Some(_), None) => Err(invalid("a request id cannot be null")),
        };
    }

    match (env.result, env.error) {
        (Some(result), None) => match id {
            Some(id) => Ok(Message::Response(Response { id, result: slice(result) })),
            None => Err(invalid("a result needs a non-null id")),
        },
        (None, Some(error)) => match serde_json::from_str::<ErrorObject>(error.get()) {
            Ok(error) => Ok(Message::Error(ErrorResponse { id, error })),
            Err(_) => {
                Err(invalid("error must be an object with an integer code and a string message"))
            }
        },
        (Some(_), Some(_)) => Err(invalid("a response cannot carry both result and error")),
        (None, None) => Err(invalid("a message needs a method, a result or an error")),
    }
}
