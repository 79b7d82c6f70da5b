//! Framing of JSON-RPC messages on byte streams: newline-delimited JSON and Server-Sent Events.
//!
//! - [`ndjson`]: the stdio transport's framing, one JSON-RPC message per line.
//! - [`sse`]: Server-Sent Events for the HTTP transports, decoded by the WHATWG rules.
//!
//! Both decoders have the same shape. Bytes go in through `push`, in chunks of any size split
//! at any byte; results come out of `next_frame` / `next_event`, which is called until it
//! returns `None`. Splitting the input differently never changes the results. The work is done
//! while draining and every input byte is examined a bounded number of times, so decoding is
//! linear in the input. Memory is capped by a limit given at construction: once drained, a
//! decoder holds at most about that many bytes, and while a chunk waits to be drained, at most
//! that chunk on top. Input over the limit is reported once as an error and then dropped as it
//! arrives, and decoding resumes after it.
//!
//! ```
//! use mcp_sansio::framing::{LineDecoder, encode_frame};
//!
//! let mut out = Vec::new();
//! encode_frame(br#"{"jsonrpc":"2.0","method":"ping","id":1}"#, &mut out).unwrap();
//!
//! let mut decoder = LineDecoder::default();
//! for chunk in out.chunks(7) {
//!     decoder.push(chunk);
//!     while let Some(frame) = decoder.next_frame() {
//!         assert_eq!(&frame.unwrap()[..], br#"{"jsonrpc":"2.0","method":"ping","id":1}"#);
//!     }
//! }
//! ```

pub mod ndjson;
pub mod sse;

pub use ndjson::{DEFAULT_MAX_FRAME_LEN, FrameEncodeError, FrameError, LineDecoder, encode_frame};
pub use sse::{
    DEFAULT_MAX_EVENT_LEN, SseDecoder, SseEncodeError, SseError, SseEvent, encode_comment,
    encode_event, encode_retry,
};

#[cfg(test)]
mod tests;
