//! Newline-delimited JSON: the stdio transport's framing.
//!
//! Each JSON-RPC message is sent as UTF-8 JSON text with no line break inside it, followed by
//! `\n`. The decoder also accepts `\r\n`, and skips lines that are empty or hold only JSON
//! whitespace (space, tab, CR), since they carry no message. It checks nothing else: a frame is
//! handed over as bytes, and the JSON-RPC decoder judges whether it is UTF-8 JSON.
//!
//! ```
//! use mcp_sansio::framing::{FrameError, LineDecoder};
//!
//! let mut decoder = LineDecoder::new(16);
//! decoder.push(b"{\"a\":1}\r\n\n{\"much\":\"too long\"}\n{\"b\"");
//! decoder.push(b":2}");
//! decoder.finish(); // the last line has no newline: it still counts
//!
//! assert_eq!(&decoder.next_frame().unwrap().unwrap()[..], b"{\"a\":1}");
//! assert_eq!(decoder.next_frame(), Some(Err(FrameError::TooLong { limit: 16 })));
//! assert_eq!(&decoder.next_frame().unwrap().unwrap()[..], b"{\"b\":2}");
//! assert_eq!(decoder.next_frame(), None);
//! ```

use alloc::vec::Vec;
use core::fmt;

use bytes::{Buf, Bytes, BytesMut};

/// The default frame size limit for [`LineDecoder`]: 4 MiB.
pub const DEFAULT_MAX_FRAME_LEN: usize = 4 * 1024 * 1024;

/// Why the decoder could not produce a frame.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum FrameError {
    /// A line was longer than the limit (not counting its line ending). Its bytes were
    /// dropped, and decoding resumes with the next line.
    TooLong {
        /// The decoder's `max_frame_len`.
        limit: usize,
    },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::TooLong { limit } => write!(f, "frame longer than {limit} bytes"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for FrameError {}

/// An incremental decoder of newline-delimited frames.
///
/// Feed it bytes with [`push`](Self::push), split anywhere, and drain it with
/// [`next_frame`](Self::next_frame) until that returns `None`; at the end of the input call
/// [`finish`](Self::finish) and drain once more. The frames and errors do not depend on how
/// the input was split.
///
/// Frames are handed out as [`Bytes`] sharing the decoder's buffer, without copying. A frame
/// excludes its line ending (`\n` or `\r\n`).
///
/// Memory: after draining, the decoder buffers at most `max_frame_len + 1` bytes (an
/// incomplete line, perhaps with a `\r` that may begin a `\r\n`); a pushed chunk adds its own
/// length until it is drained. A line that grows past the limit is reported once with
/// [`FrameError::TooLong`] and its bytes are dropped as they arrive, up to its newline.
#[derive(Debug)]
pub struct LineDecoder {
    /// Input not yet handed out; it always starts at the beginning of a line.
    buf: BytesMut,
    /// How many bytes at the start of `buf` are known to hold no `\n`, so that no byte is
    /// scanned twice however the input is split.
    scanned: usize,
    /// The longest frame accepted, line ending excluded.
    max_frame_len: usize,
    /// The current line was reported too long; input is dropped up to its `\n`. While this is
    /// set, `buf` is empty.
    discarding: bool,
}

impl LineDecoder {
    /// A decoder that accepts frames of up to `max_frame_len` bytes, line ending excluded.
    pub fn new(max_frame_len: usize) -> Self {
        LineDecoder { buf: BytesMut::new(), scanned: 0, max_frame_len, discarding: false }
    }

    /// The longest frame this decoder accepts, line ending excluded.
    pub fn max_frame_len(&self) -> usize {
        self.max_frame_len
    }

    /// How many input bytes the decoder holds (for observing its memory bound).
    pub fn buffered_len(&self) -> usize {
        self.buf.len()
    }

    /// Appends a chunk of input. Call [`next_frame`](Self::next_frame) until it returns `None`
    /// before pushing more, or the chunks accumulate until they are drained.
    pub fn push(&mut self, chunk: &[u8]) {
        let mut chunk = chunk;
        if self.discarding {
            // The rest of an over-long line is dropped on arrival, never buffered.
            match chunk.iter().position(|&b| b == b'\n') {
                Some(newline) => {
                    chunk = &chunk[newline + 1..];
                    self.discarding = false;
                }
                None => return,
            }
        }
        self.buf.extend_from_slice(chunk);
    }

    /// Marks the end of the input: a last line without a newline is complete and becomes a
    /// frame (if it is not blank). Drain with [`next_frame`](Self::next_frame) afterwards.
    ///
    /// This acts exactly like pushing a `\n`, so input pushed later is decoded as new lines.
    pub fn finish(&mut self) {
        self.push(b"\n");
    }

    /// The next frame, or the error for the next over-long line, or `None` when no complete
    /// line is buffered.
    pub fn next_frame(&mut self) -> Option<Result<Bytes, FrameError>> {
        loop {
            let Some(offset) = self.buf[self.scanned..].iter().position(|&b| b == b'\n') else {
                self.scanned = self.buf.len();
                // A trailing `\r` may be half of a `\r\n`, so it does not count yet.
                let len = self.buf.len() - usize::from(self.buf.last() == Some(&b'\r'));
                if len > self.max_frame_len {
                    // A fresh buffer rather than `clear`, to give back the memory.
                    self.buf = BytesMut::new();
                    self.scanned = 0;
                    self.discarding = true;
                    return Some(Err(self.too_long()));
                }
                return None;
            };
            let mut line = self.buf.split_to(self.scanned + offset);
            self.buf.advance(1);
            self.scanned = 0;
            if line.last() == Some(&b'\r') {
                line.truncate(line.len() - 1);
            }
            if line.len() > self.max_frame_len {
                return Some(Err(self.too_long()));
            }
            if line.iter().all(|&b| matches!(b, b' ' | b'\t' | b'\r')) {
                continue;
            }
            return Some(Ok(line.freeze()));
        }
    }

    fn too_long(&self) -> FrameError {
        FrameError::TooLong { limit: self.max_frame_len }
    }
}

impl Default for LineDecoder {
    /// A decoder with the [`DEFAULT_MAX_FRAME_LEN`] limit.
    fn default() -> Self {
        LineDecoder::new(DEFAULT_MAX_FRAME_LEN)
    }
}

/// Why a message could not be framed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum FrameEncodeError {
    /// The message has a CR or LF byte at `offset`, which would split it into two lines.
    /// (Compact JSON from `serde_json` never does: line breaks in strings are escaped.)
    LineBreak {
        /// The position of the first CR or LF byte.
        offset: usize,
    },
    /// The message is empty or only whitespace; a receiver skips such a line.
    Blank,
}

impl fmt::Display for FrameEncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameEncodeError::LineBreak { offset } => {
                write!(f, "message contains a line break at byte {offset}")
            }
            FrameEncodeError::Blank => f.write_str("message is empty or only whitespace"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for FrameEncodeError {}

/// Appends one frame to `out`: the message's bytes and a `\n`.
///
/// `message_json` should be one JSON-RPC message serialized as compact UTF-8 JSON; only what
/// would break the framing is checked. On error `out` is left unchanged.
pub fn encode_frame(message_json: &[u8], out: &mut Vec<u8>) -> Result<(), FrameEncodeError> {
    if let Some(offset) = message_json.iter().position(|&b| b == b'\n' || b == b'\r') {
        return Err(FrameEncodeError::LineBreak { offset });
    }
    if message_json.iter().all(|&b| matches!(b, b' ' | b'\t')) {
        return Err(FrameEncodeError::Blank);
    }
    out.reserve(message_json.len() + 1);
    out.extend_from_slice(message_json);
    out.push(b'\n');
    Ok(())
}
