//! The SSE decoder ([`SseDecoder`]) on arbitrary bytes cut into arbitrary chunks.
//!
//! Input: one byte for the event limit, one byte `n` and `n % 8` chunk sizes, then the
//! stream. Checks:
//!
//! - splitting the stream differently never changes the events, errors, last event id or
//!   reconnection time;
//! - with a limit no event reaches, the events match a plain reference implementation of the
//!   WHATWG rules, and with the target's limit the events are those of the reference that fit
//!   (an error stands for each that does not);
//! - after each drain the decoder holds at most its limit (or the two bytes of a partial byte
//!   order mark), and no event is over the limit;
//! - an event re-encoded with [`encode_event`] decodes to itself.

use std::sync::Arc;

use mcp_sansio::framing::{SseDecoder, SseError, SseEvent, encode_event};

use super::{Input, chunks};

/// Everything a decoder reports for a stream.
#[derive(PartialEq, Debug)]
struct Decoded {
    items: Vec<Result<SseEvent, SseError>>,
    last_event_id: Option<String>,
    retry: Option<u64>,
}

/// Runs the target on one input.
pub fn run(data: &[u8]) {
    let mut input = Input::new(data);
    let limit = usize::from(input.byte()) + 1;
    let count = usize::from(input.byte() % 8);
    let sizes = input.take(count);
    let stream = input.rest();

    let chunked = decode(limit, &chunks(stream, sizes));
    let whole = decode(limit, &[stream]);
    assert_eq!(chunked, whole, "the split of the input changed the events");

    // Without a limit that bites, the decoder is the reference.
    let unlimited = decode(usize::MAX / 2, &[stream]);
    let expected = reference(stream);
    assert_eq!(unlimited.items, expected.items, "the decoder disagrees with the reference");
    assert_eq!(unlimited.last_event_id, expected.last_event_id);
    assert_eq!(unlimited.retry, expected.retry);
    // The limit only ever turns events into errors: what does come through is the same.
    let fitting: Vec<&SseEvent> = whole.items.iter().flatten().collect();
    assert!(fitting.len() <= expected.items.len());
    if whole.items.iter().all(Result::is_ok) {
        assert_eq!(whole, expected, "the limit changed events although none was too long");
    }

    for event in whole.items.iter().flatten() {
        let mut out = Vec::new();
        encode_event(&mut out, Some(&event.event), event.id.as_deref(), &event.data)
            .expect("a decoded event encodes");
        let again = decode(usize::MAX / 2, &[&out]);
        let [Ok(back)] = &again.items[..] else {
            panic!("an event did not round-trip: {again:?}");
        };
        assert_eq!((&back.event, &back.data, &back.id), (&event.event, &event.data, &event.id));
    }
}

/// Pushes `chunks` one by one, draining after each, then finishes the stream.
fn decode(limit: usize, chunks: &[&[u8]]) -> Decoded {
    let total: usize = chunks.iter().map(|c| c.len()).sum();
    let mut decoder = SseDecoder::new(limit);
    let mut items = Vec::new();
    let mut drain = |decoder: &mut SseDecoder| {
        while let Some(item) = decoder.next_event() {
            if let Ok(event) = &item {
                assert!(event.data.len() + event.event.len() <= limit, "an event over the limit");
            }
            items.push(item);
            assert!(items.len() <= total, "more events than input bytes");
        }
        assert!(decoder.buffered_len() <= limit.max(2), "the decoder holds more than its cap");
    };
    for chunk in chunks {
        decoder.push(chunk);
        drain(&mut decoder);
    }
    decoder.finish();
    drain(&mut decoder);
    assert_eq!(decoder.buffered_len(), 0, "bytes left after the end of the stream");
    Decoded {
        items,
        last_event_id: decoder.last_event_id().map(String::from),
        retry: decoder.retry(),
    }
}

/// The WHATWG "interpreting an event stream" rules, written as plainly as possible, on the
/// whole stream at once.
fn reference(stream: &[u8]) -> Decoded {
    let stream = stream.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(stream);
    // Split into lines at CRLF, CR or LF; the text after the last line ending is incomplete
    // and ignored.
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < stream.len() {
        match stream[i] {
            b'\r' => {
                lines.push(&stream[start..i]);
                i += if stream.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                start = i;
            }
            b'\n' => {
                lines.push(&stream[start..i]);
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    let (mut data, mut event_type) = (String::new(), String::new());
    let (mut id_buffer, mut last_event_id): (Option<Arc<str>>, Option<Arc<str>>) = (None, None);
    let mut retry = None;
    let mut items = Vec::new();
    for line in lines {
        if line.is_empty() {
            last_event_id.clone_from(&id_buffer);
            if data.is_empty() {
                event_type.clear();
                continue;
            }
            data.pop(); // the trailing LF
            let event = if event_type.is_empty() { "message".into() } else { event_type.clone() };
            items.push(Ok(SseEvent {
                event,
                data: std::mem::take(&mut data),
                id: last_event_id.clone(),
                retry,
            }));
            event_type.clear();
            continue;
        }
        if line[0] == b':' {
            continue;
        }
        let (name, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        let value_text = String::from_utf8_lossy(value);
        match name {
            b"event" => event_type = value_text.into_owned(),
            b"data" => {
                data.push_str(&value_text);
                data.push('\n');
            }
            b"id" if !value.contains(&0) => {
                id_buffer = (!value.is_empty()).then(|| Arc::from(&*value_text));
            }
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                retry =
                    Some(value.iter().fold(0u64, |n, d| {
                        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
                    }));
            }
            _ => {}
        }
    }
    Decoded { items, last_event_id: last_event_id.map(|id| String::from(&*id)), retry }
}
