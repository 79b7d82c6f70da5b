//! Server-Sent Events: the event streams of the Streamable HTTP and legacy HTTP+SSE transports.
//!
//! [`SseDecoder`] interprets a stream by the rules of the WHATWG HTML standard ("Interpreting
//! an event stream"), as a browser's `EventSource` does:
//!
//! - a UTF-8 byte order mark at the very start of the stream is skipped;
//! - lines end with CRLF, LF or CR, and a CRLF split between two chunks is one line ending;
//! - a line starting with `:` is a comment and is ignored;
//! - `name:value` is a field, with one space after the colon removed if present; a line with
//!   no colon is a field whose value is empty; field names are case-sensitive;
//! - `event` sets the event type; `data` appends its value and a `\n` to the data; `id` sets
//!   the last event id, unless the value contains U+0000 (an empty value resets it); `retry`
//!   sets the reconnection time, if the value is only ASCII digits; other fields are ignored;
//! - a blank line commits the last event id, then dispatches the event, unless its data is
//!   empty (no `data` field at all), with one trailing `\n` removed from the data and the type
//!   `message` if none was given; the data and type then start afresh;
//! - an event left incomplete at the end of the stream is discarded;
//! - bytes that are not UTF-8 are decoded with U+FFFD replacement characters.
//!
//! The encoders ([`encode_event`], [`encode_retry`], [`encode_comment`]) write streams that
//! any such decoder reads back exactly.
//!
//! ```
//! use mcp_sansio::framing::{SseDecoder, encode_event};
//!
//! let mut out = Vec::new();
//! encode_event(&mut out, None, Some("7"), "{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}").unwrap();
//! assert_eq!(out, b"id: 7\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"ping\"}\n\n");
//!
//! let mut decoder = SseDecoder::default();
//! decoder.push(&out);
//! let event = decoder.next_event().unwrap().unwrap();
//! assert_eq!(event.event, "message");
//! assert_eq!(event.data, "{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}");
//! assert_eq!(event.id.as_deref(), Some("7"));
//! assert_eq!(decoder.last_event_id(), Some("7"));
//! ```

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::{fmt, mem};

use bytes::{Buf, BytesMut};

/// The default event size limit for [`SseDecoder`]: 4 MiB.
pub const DEFAULT_MAX_EVENT_LEN: usize = 4 * 1024 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One dispatched event.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SseEvent {
    /// The event type: the value of the last `event` field, or `"message"` if there was none
    /// or it was empty.
    pub event: String,
    /// The values of the `data` fields, joined with `\n`.
    pub data: String,
    /// The last event id in effect when the event was dispatched, as in
    /// `MessageEvent.lastEventId`: set by this event's `id` field or, failing that, by an
    /// earlier one. `None` if no id was ever set or it was reset by an empty `id` field.
    /// Shared rather than copied, since every later event carries it too.
    pub id: Option<Arc<str>>,
    /// The reconnection time in milliseconds in effect when the event was dispatched: the value
    /// of the latest valid `retry` field on the stream so far, in this event or before it.
    pub retry: Option<u64>,
}

/// Why the decoder could not produce an event.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum SseError {
    /// An event grew past the limit: its data and type, plus the line being read, exceeded
    /// `limit` bytes. The input up to the blank line that ends the event was dropped, and
    /// decoding resumes after it.
    EventTooLong {
        /// The decoder's `max_event_len`.
        limit: usize,
    },
}

impl fmt::Display for SseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SseError::EventTooLong { limit } => write!(f, "SSE event longer than {limit} bytes"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for SseError {}

/// Whether input is being dropped after an over-long event, and where in a line it is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Discard {
    /// Not discarding.
    Off,
    /// Discarding, at the start of a line: a line ending now ends a blank line.
    LineStart,
    /// Discarding, inside a line.
    MidLine,
}

/// An incremental decoder of one Server-Sent Events stream.
///
/// Feed it bytes with [`push`](Self::push), split anywhere, and drain it with
/// [`next_event`](Self::next_event) until that returns `None`; when the stream ends, call
/// [`finish`](Self::finish) and drain once more. The events and errors do not depend on how
/// the input was split. Lines are interpreted while draining, so
/// [`last_event_id`](Self::last_event_id) and [`retry`](Self::retry) describe the input drained
/// so far.
///
/// Memory: the limit given to [`new`](Self::new) caps the event being assembled (its data and
/// type) plus the line being read. After draining, [`buffered_len`](Self::buffered_len) is at
/// most the limit (or 2, the start of a byte order mark); a pushed chunk adds its own length
/// until it is drained. An event that grows past the limit is reported once with
/// [`SseError::EventTooLong`], and the input is dropped as it arrives up to the blank line that
/// ends the event. That blank line still commits the last event id, as every blank line does.
#[derive(Debug)]
pub struct SseDecoder {
    /// Input not yet interpreted; it starts at the beginning of a line (or of the stream).
    buf: BytesMut,
    /// How many bytes at the start of `buf` are known to hold no CR or LF, so that no byte is
    /// scanned twice however the input is split.
    scanned: usize,
    /// The cap on the data and type buffers plus the current line.
    max_event_len: usize,
    /// Nothing has been interpreted yet, so a byte order mark may still be skipped.
    at_stream_start: bool,
    /// The last line ended with CR: an LF that follows is part of that line ending.
    skip_lf: bool,
    /// Dropping input up to the end of an over-long event. While discarding inside a line,
    /// `buf` is empty.
    discard: Discard,
    /// [`finish`](Self::finish) was called: no more input will come.
    ended: bool,
    /// The data buffer.
    data: String,
    /// The event type buffer.
    event_type: String,
    /// The last event id buffer (`None` for empty), committed by the next blank line.
    id_buffer: Option<Arc<str>>,
    /// The last event id string, as committed by the latest blank line.
    last_event_id: Option<Arc<str>>,
    /// The reconnection time in milliseconds.
    retry: Option<u64>,
}

impl SseDecoder {
    /// A decoder that caps each event's data and type, plus the line being read, at
    /// `max_event_len` bytes.
    pub fn new(max_event_len: usize) -> Self {
        SseDecoder {
            buf: BytesMut::new(),
            scanned: 0,
            max_event_len,
            at_stream_start: true,
            skip_lf: false,
            discard: Discard::Off,
            ended: false,
            data: String::new(),
            event_type: String::new(),
            id_buffer: None,
            last_event_id: None,
            retry: None,
        }
    }

    /// A decoder for the next connection to the same event source: the same limit, with the
    /// last event id and reconnection time carried over, as an `EventSource` keeps them when it
    /// reconnects. The new stream may start with its own byte order mark.
    pub fn for_reconnection(&self) -> Self {
        let mut decoder = SseDecoder::new(self.max_event_len);
        decoder.id_buffer.clone_from(&self.last_event_id);
        decoder.last_event_id.clone_from(&self.last_event_id);
        decoder.retry = self.retry;
        decoder
    }

    /// The cap on an event's data and type plus the line being read, in bytes.
    pub fn max_event_len(&self) -> usize {
        self.max_event_len
    }

    /// The last event id, as committed by the latest blank line drained, or `None` if there is
    /// none (it is empty). This is the value to send as `Last-Event-ID` when reconnecting.
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_event_id.as_deref()
    }

    /// The reconnection time in milliseconds: the latest valid `retry` field drained, or `None`
    /// if there was none. A value too large for `u64` saturates at `u64::MAX`.
    pub fn retry(&self) -> Option<u64> {
        self.retry
    }

    /// How many bytes the decoder holds for the input not yet interpreted and the event being
    /// assembled (for observing its memory bound).
    pub fn buffered_len(&self) -> usize {
        self.buf.len() + self.event_len()
    }

    /// Appends a chunk of input. Call [`next_event`](Self::next_event) until it returns `None`
    /// before pushing more, or the chunks accumulate until they are drained. Input pushed after
    /// [`finish`](Self::finish) is ignored: a decoder reads one stream (see
    /// [`for_reconnection`](Self::for_reconnection)).
    pub fn push(&mut self, chunk: &[u8]) {
        if self.ended {
            return;
        }
        let mut chunk = chunk;
        if self.discard != Discard::Off && self.buf.is_empty() {
            // The rest of an over-long event is dropped on arrival, never buffered.
            match scan_discarded(chunk, &mut self.skip_lf, &mut self.discard) {
                Some(end) => {
                    chunk = &chunk[end..];
                    self.end_discarded_event();
                }
                None => return,
            }
        }
        self.buf.extend_from_slice(chunk);
    }

    /// Marks the end of the stream. The events still buffered are drained as usual; then the
    /// incomplete rest (a last line with no line ending, an event with no blank line after it)
    /// is discarded, as WHATWG requires. Fields on complete lines of that incomplete event have
    /// taken effect (`retry`), except that its `id` is not committed.
    pub fn finish(&mut self) {
        self.ended = true;
    }

    /// The next event, or the error for the next over-long event, or `None` when the input
    /// buffered holds no more.
    pub fn next_event(&mut self) -> Option<Result<SseEvent, SseError>> {
        loop {
            if self.at_stream_start {
                if self.buf.starts_with(BOM) {
                    self.buf.advance(BOM.len());
                } else if BOM.starts_with(&self.buf) && !self.ended {
                    // Perhaps the start of a byte order mark split across chunks.
                    return None;
                }
                self.at_stream_start = false;
            }
            if self.skip_lf && !self.buf.is_empty() {
                self.skip_lf = false;
                if self.buf[0] == b'\n' {
                    self.buf.advance(1);
                }
            }
            if self.discard != Discard::Off {
                match scan_discarded(&self.buf, &mut self.skip_lf, &mut self.discard) {
                    Some(end) => {
                        self.buf.advance(end);
                        self.end_discarded_event();
                        continue;
                    }
                    None => {
                        self.buf.clear();
                        self.scanned = 0;
                    }
                }
            } else if let Some(offset) = find_line_break(&self.buf[self.scanned..]) {
                let end = self.scanned + offset;
                self.skip_lf = self.buf[end] == b'\r';
                let line = self.buf.split_to(end);
                self.buf.advance(1);
                self.scanned = 0;
                match self.process_line(&line) {
                    Some(result) => return Some(result),
                    None => continue,
                }
            } else {
                self.scanned = self.buf.len();
                // The incomplete line counts already, so that it is never buffered whole.
                if self.event_len() + self.buf.len() > self.max_event_len {
                    self.buf = BytesMut::new();
                    self.scanned = 0;
                    return Some(Err(self.overflow(Discard::MidLine)));
                }
            }
            if self.ended {
                self.end_stream();
            }
            return None;
        }
    }

    /// Interprets one complete line (line ending excluded).
    fn process_line(&mut self, line: &[u8]) -> Option<Result<SseEvent, SseError>> {
        if line.is_empty() {
            return self.dispatch().map(Ok);
        }
        if self.event_len() + line.len() > self.max_event_len {
            return Some(Err(self.overflow(Discard::LineStart)));
        }
        let (name, value) = match line.iter().position(|&b| b == b':') {
            Some(0) => return None, // a comment
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        // Field names are ASCII, so comparing bytes is comparing the decoded text. Values are
        // decoded on their own: cutting at an ASCII colon cannot split a UTF-8 sequence.
        match name {
            b"event" => {
                let value = String::from_utf8_lossy(value);
                // Replacement characters can make text longer than its bytes.
                if self.data.len() + value.len() > self.max_event_len {
                    return Some(Err(self.overflow(Discard::LineStart)));
                }
                self.event_type.clear();
                self.event_type.push_str(&value);
            }
            b"data" => {
                let value = String::from_utf8_lossy(value);
                if self.event_len() + value.len() + 1 > self.max_event_len {
                    return Some(Err(self.overflow(Discard::LineStart)));
                }
                self.data.push_str(&value);
                self.data.push('\n');
            }
            // U+0000 is encoded as the byte 0, and no other sequence decodes to it.
            b"id" if !value.contains(&0) => {
                self.id_buffer =
                    (!value.is_empty()).then(|| Arc::from(&*String::from_utf8_lossy(value)));
            }
            b"retry" => self.retry = parse_retry(value).or(self.retry),
            _ => {}
        }
        None
    }

    /// Handles a blank line: commits the id and dispatches the event, if it has data.
    fn dispatch(&mut self) -> Option<SseEvent> {
        self.last_event_id.clone_from(&self.id_buffer);
        if self.data.is_empty() {
            self.event_type.clear();
            return None;
        }
        if self.data.ends_with('\n') {
            self.data.pop();
        }
        let event = if self.event_type.is_empty() {
            String::from("message")
        } else {
            mem::take(&mut self.event_type)
        };
        Some(SseEvent {
            event,
            data: mem::take(&mut self.data),
            id: self.last_event_id.clone(),
            retry: self.retry,
        })
    }

    /// Starts dropping an over-long event; `at` says where in a line the input stands.
    fn overflow(&mut self, at: Discard) -> SseError {
        self.discard = at;
        // Given back now rather than at the end of the event.
        self.data = String::new();
        self.event_type = String::new();
        SseError::EventTooLong { limit: self.max_event_len }
    }

    /// The blank line ending a dropped event: commits the id, dispatches nothing.
    fn end_discarded_event(&mut self) {
        self.discard = Discard::Off;
        self.last_event_id.clone_from(&self.id_buffer);
        self.data.clear();
        self.event_type.clear();
    }

    /// The end of the stream, once every complete line is interpreted: the rest is discarded.
    fn end_stream(&mut self) {
        self.buf.clear();
        self.scanned = 0;
        self.discard = Discard::Off;
        self.data.clear();
        self.event_type.clear();
        self.id_buffer.clone_from(&self.last_event_id);
    }

    /// The size of the event being assembled.
    fn event_len(&self) -> usize {
        self.data.len() + self.event_type.len()
    }
}

impl Default for SseDecoder {
    /// A decoder with the [`DEFAULT_MAX_EVENT_LEN`] limit.
    fn default() -> Self {
        SseDecoder::new(DEFAULT_MAX_EVENT_LEN)
    }
}

fn find_line_break(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\r' || b == b'\n')
}

/// Scans input that is being dropped for the blank line ending the over-long event. Returns
/// the length up to the end of that blank line, or `None` if all of `bytes` is dropped; keeps
/// the line-ending state up to date either way.
fn scan_discarded(bytes: &[u8], skip_lf: &mut bool, discard: &mut Discard) -> Option<usize> {
    for (i, &b) in bytes.iter().enumerate() {
        if mem::take(skip_lf) && b == b'\n' {
            continue;
        }
        if b == b'\r' || b == b'\n' {
            *skip_lf = b == b'\r';
            if *discard == Discard::LineStart {
                return Some(i + 1);
            }
            *discard = Discard::LineStart;
        } else {
            *discard = Discard::MidLine;
        }
    }
    None
}

/// A `retry` value: ASCII digits only, at least one, read in base ten.
fn parse_retry(value: &[u8]) -> Option<u64> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        value
            .iter()
            .fold(0u64, |n, &digit| n.saturating_mul(10).saturating_add(u64::from(digit - b'0'))),
    )
}

/// Why an event could not be encoded. Each case would otherwise produce a stream that decodes
/// to something else.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum SseEncodeError {
    /// The event type has a CR or LF at byte `offset`.
    LineBreakInEventType {
        /// The position of the first CR or LF byte.
        offset: usize,
    },
    /// The id has a CR or LF at byte `offset`.
    LineBreakInId {
        /// The position of the first CR or LF byte.
        offset: usize,
    },
    /// The id has a U+0000 at byte `offset`; a receiver would ignore the id.
    NulInId {
        /// The position of the first NUL byte.
        offset: usize,
    },
}

impl fmt::Display for SseEncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SseEncodeError::LineBreakInEventType { offset } => {
                write!(f, "SSE event type contains a line break at byte {offset}")
            }
            SseEncodeError::LineBreakInId { offset } => {
                write!(f, "SSE event id contains a line break at byte {offset}")
            }
            SseEncodeError::NulInId { offset } => {
                write!(f, "SSE event id contains U+0000 at byte {offset}")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for SseEncodeError {}

/// Appends one event to `out`: an `event` line if `event_type` is given, an `id` line if `id`
/// is given, one `data` line per line of `data`, and the blank line that dispatches it.
///
/// - `data` is split at CRLF, CR and LF; the receiver joins the lines with LF, so CR and CRLF
///   come back as LF. Empty data still gives one `data` line, so the event is dispatched (as
///   the priming event of an MCP stream needs).
/// - `id: None` writes no `id` line: the receiver's last event id stays as it was.
///   `Some("")` resets it.
/// - `event_type: None` (or `Some("")`) gives the type `message`.
///
/// An event type with CR or LF, or an id with CR, LF or NUL, is refused, and `out` is left
/// unchanged.
pub fn encode_event(
    out: &mut Vec<u8>,
    event_type: Option<&str>,
    id: Option<&str>,
    data: &str,
) -> Result<(), SseEncodeError> {
    if let Some(offset) = event_type.and_then(|t| find_line_break(t.as_bytes())) {
        return Err(SseEncodeError::LineBreakInEventType { offset });
    }
    if let Some(id) = id {
        if let Some(offset) = find_line_break(id.as_bytes()) {
            return Err(SseEncodeError::LineBreakInId { offset });
        }
        if let Some(offset) = id.bytes().position(|b| b == 0) {
            return Err(SseEncodeError::NulInId { offset });
        }
    }
    // Field names, separators and a few line breaks on top of the values.
    out.reserve(data.len() + event_type.map_or(0, str::len) + id.map_or(0, str::len) + 32);
    if let Some(event_type) = event_type {
        write_field(out, "event", event_type);
    }
    if let Some(id) = id {
        write_field(out, "id", id);
    }
    for line in lines(data) {
        write_field(out, "data", line);
    }
    out.push(b'\n');
    Ok(())
}

/// Appends a `retry` field setting the receiver's reconnection time to `millis`
/// milliseconds, followed by a blank line so that it stands alone (it dispatches no event).
pub fn encode_retry(out: &mut Vec<u8>, millis: u64) {
    write_field(out, "retry", itoa::Buffer::new().format(millis));
    out.push(b'\n');
}

/// Appends a comment, which receivers ignore: a keep-alive. `text` is split at CRLF, CR and
/// LF into one comment line each; an empty `text` gives a lone `:` line. A comment is not an
/// event, so no blank line follows.
pub fn encode_comment(out: &mut Vec<u8>, text: &str) {
    for line in lines(text) {
        out.push(b':');
        if !line.is_empty() {
            out.push(b' ');
            out.extend_from_slice(line.as_bytes());
        }
        out.push(b'\n');
    }
}

/// Writes `name: value` and an LF. The space is always written, so that a value that starts
/// with a space keeps it (the receiver removes exactly one).
fn write_field(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
    out.push(b'\n');
}

/// The lines of `text`, split at CRLF, CR and LF. There is always at least one, and a line
/// break at the end is followed by an empty line.
fn lines(text: &str) -> Lines<'_> {
    Lines { rest: Some(text) }
}

struct Lines<'a> {
    /// The text after the last line break yielded; `None` once the last line is out.
    rest: Option<&'a str>,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match rest.find(['\r', '\n']) {
            Some(end) => {
                let break_len = if rest[end..].starts_with("\r\n") { 2 } else { 1 };
                self.rest = Some(&rest[end + break_len..]);
                Some(&rest[..end])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}
