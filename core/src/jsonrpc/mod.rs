//! JSON-RPC 2.0: ids, messages, error objects, and the decoder and encoder.
//!
//! ```
//! use mcp_sansio::jsonrpc::{decode_message, Message};
//!
//! let frame = bytes::Bytes::from_static(br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#);
//! let msg = decode_message(frame).unwrap();
//! assert_eq!(msg.method(), Some("ping"));
//! assert_eq!(msg.to_bytes(), br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#[..]);
//! ```

mod decode;
mod error;
mod id;
pub(crate) mod message;
pub(crate) mod object;
mod raw;

pub use decode::{DecodeError, Decoded, decode, decode_message};
pub use error::{ErrorCode, ErrorObject};
pub use id::{ProgressToken, RequestId};
pub use message::{ErrorResponse, Message, Method, Notification, Request, Response};
pub use raw::RawJson;

#[cfg(test)]
mod tests;
