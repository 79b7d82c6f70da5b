//! Property tests of the framing layer: newline-delimited JSON and Server-Sent Events.
//!
//! For each decoder: any split of any input into chunks, drained after any of them, gives the
//! same results as the whole input at once and as one byte at a time, and the memory held
//! stays within the limit; and what the encoders write decodes back to what was encoded.

use mcp_sansio::framing::{
    FrameEncodeError, FrameError, LineDecoder, SseDecoder, SseEncodeError, SseError, SseEvent,
    encode_comment, encode_event, encode_frame, encode_retry,
};
use proptest::prelude::*;
use proptest::sample::Index;

/// CI requires at least this many cases for the framer and for the SSE decoder.
const CASES: u32 = 10_000;

/// How the input is fed: cut points, and after which chunks the decoder is drained.
#[derive(Clone, Debug)]
struct Feeding {
    cuts: Vec<Index>,
    drains: Vec<bool>,
}

fn feeding() -> impl Strategy<Value = Feeding> {
    (prop::collection::vec(any::<Index>(), 0..12), prop::collection::vec(any::<bool>(), 12))
        .prop_map(|(cuts, drains)| Feeding { cuts, drains })
}

/// `input` cut into chunks (some perhaps empty) at the points `cuts` choose.
fn chunks<'a>(input: &'a [u8], cuts: &[Index]) -> Vec<&'a [u8]> {
    let mut points: Vec<usize> = cuts.iter().map(|cut| cut.index(input.len() + 1)).collect();
    points.sort_unstable();
    let mut out = Vec::with_capacity(points.len() + 1);
    let mut start = 0;
    for point in points {
        out.push(&input[start..point]);
        start = point;
    }
    out.push(&input[start..]);
    out
}

/// Byte strings built mostly from the given tokens, sometimes from arbitrary bytes.
fn tokens(tokens: &'static [&'static [u8]], max_tokens: usize) -> BoxedStrategy<Vec<u8>> {
    let token = prop_oneof![
        4 => prop::sample::select(tokens).prop_map(<[u8]>::to_vec),
        1 => any::<u8>().prop_map(|b| vec![b]),
    ];
    prop_oneof![
        4 => prop::collection::vec(token, 0..max_tokens).prop_map(|t| t.concat()),
        1 => prop::collection::vec(any::<u8>(), 0..300),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------------
// ndjson

type Frames = Vec<Result<Vec<u8>, FrameError>>;

/// Decodes `chunks`, draining after chunk `i` if `drain(i)` (and always at the end), then
/// finishes if asked. Checks the memory bound all along.
fn run_lines(max: usize, chunks: &[&[u8]], drain: impl Fn(usize) -> bool, finish: bool) -> Frames {
    let mut decoder = LineDecoder::new(max);
    let mut out = Vec::new();
    // Input pushed since the decoder was last drained.
    let mut pending = 0;
    let drain_into = |decoder: &mut LineDecoder, out: &mut Frames, pending: &mut usize| {
        while let Some(frame) = decoder.next_frame() {
            out.push(frame.map(|f| f.to_vec()));
        }
        *pending = 0;
        // An incomplete line of up to `max` bytes, and a CR that may begin its CRLF.
        assert!(decoder.buffered_len() <= max + 1, "{} > {max} + 1", decoder.buffered_len());
    };
    for (i, chunk) in chunks.iter().enumerate() {
        decoder.push(chunk);
        pending += chunk.len();
        assert!(decoder.buffered_len() <= max + 1 + pending);
        if drain(i) || i + 1 == chunks.len() {
            drain_into(&mut decoder, &mut out, &mut pending);
        }
    }
    if finish {
        decoder.finish();
        drain_into(&mut decoder, &mut out, &mut pending);
    }
    out
}

/// Decodes `input` whole, one byte at a time, and in the chunks `feeding` chooses; asserts
/// that all three agree, and returns the frames.
fn lines_split_invariant(max: usize, input: &[u8], feeding: &Feeding, finish: bool) -> Frames {
    let whole = run_lines(max, &[input], |_| true, finish);
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    let bytewise = run_lines(max, &bytes, |_| true, finish);
    assert_eq!(bytewise, whole, "byte at a time");
    let chunks = chunks(input, &feeding.cuts);
    let chunked = run_lines(max, &chunks, |i| feeding.drains[i % feeding.drains.len()], finish);
    assert_eq!(chunked, whole, "chunks {chunks:?}");
    whole
}

const LINE_TOKENS: &[&[u8]] =
    &[b"\n", b"\r", b"\r\n", b" ", b"\t", b"{}", b"{\"a\":1}", b"x", b"xyz", b"0123456789"];

/// Messages that the encoder refuses.
const AWKWARD_MESSAGES: &[&[u8]] = &[b"", b" ", b" \t", b"a\nb", b"\r", b"{}\r"];

fn message() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => "[ -~]{0,30}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..30),
        1 => prop::sample::select(AWKWARD_MESSAGES).prop_map(<[u8]>::to_vec),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// Arbitrary input: every split gives the same frames and errors, within the memory bound.
    #[test]
    fn lines_arbitrary_input_split_invariant(
        input in tokens(LINE_TOKENS, 60),
        max in 0usize..24,
        feeding in feeding(),
        finish in any::<bool>(),
    ) {
        lines_split_invariant(max, &input, &feeding, finish);
    }

    /// Encoded frames, with blank lines between them, decode to what was encoded, however
    /// they are split; frames over the limit come back as one error each.
    #[test]
    fn lines_encode_decode_round_trip(
        messages in prop::collection::vec((message(), 0usize..4), 0..10),
        max in 0usize..40,
        feeding in feeding(),
    ) {
        let mut stream = Vec::new();
        let mut expected = Vec::new();
        for (message, blank) in &messages {
            let before = stream.clone();
            match encode_frame(message, &mut stream) {
                Ok(()) => expected.push(if message.len() > max {
                    Err(FrameError::TooLong { limit: max })
                } else {
                    Ok(message.clone())
                }),
                Err(FrameEncodeError::LineBreak { offset }) => {
                    prop_assert!(matches!(message[offset], b'\r' | b'\n'));
                    prop_assert!(!message[..offset].contains(&b'\n'));
                    prop_assert!(!message[..offset].contains(&b'\r'));
                    prop_assert_eq!(&stream, &before);
                }
                Err(error) => {
                    prop_assert_eq!(error, FrameEncodeError::Blank);
                    prop_assert!(message.iter().all(|b| matches!(b, b' ' | b'\t')));
                    prop_assert_eq!(&stream, &before);
                }
            }
            // Blank lines between messages are skipped (if within the limit: the limit is
            // checked first, so that it holds however the input is split).
            for line in &[&b"\n"[..], b"\r\n", b" \t\r\n"][..*blank] {
                if line.len() <= max + 2 {
                    stream.extend_from_slice(line);
                }
            }
        }
        let frames = lines_split_invariant(max, &stream, &feeding, false);
        prop_assert_eq!(frames, expected);
    }
}

// ---------------------------------------------------------------------------------------------
// SSE

type Events = Vec<Result<SseEvent, SseError>>;

/// What the decoder reports: its events and errors, and the last event id and reconnection
/// time at the end.
type SseOutcome = (Events, Option<String>, Option<u64>);

/// Decodes `chunks`, draining after chunk `i` if `drain(i)` (and always at the end), then
/// finishes if asked. Checks the memory bound all along.
fn run_sse(
    max: usize,
    chunks: &[&[u8]],
    drain: impl Fn(usize) -> bool,
    finish: bool,
) -> SseOutcome {
    let mut decoder = SseDecoder::new(max);
    let mut out = Vec::new();
    let mut pending = 0;
    let drain_into = |decoder: &mut SseDecoder, out: &mut Events, pending: &mut usize| {
        while let Some(event) = decoder.next_event() {
            out.push(event);
        }
        *pending = 0;
        // The event and the incomplete line within `max`; or the first two bytes of a BOM.
        assert!(decoder.buffered_len() <= max.max(2), "{} > {max}", decoder.buffered_len());
    };
    for (i, chunk) in chunks.iter().enumerate() {
        decoder.push(chunk);
        pending += chunk.len();
        assert!(decoder.buffered_len() <= max.max(2) + pending);
        if drain(i) || i + 1 == chunks.len() {
            drain_into(&mut decoder, &mut out, &mut pending);
        }
    }
    if finish {
        decoder.finish();
        drain_into(&mut decoder, &mut out, &mut pending);
        assert_eq!(decoder.buffered_len(), 0);
    }
    (out, decoder.last_event_id().map(String::from), decoder.retry())
}

/// Decodes `input` whole, one byte at a time, and in the chunks `feeding` chooses; asserts
/// that all three agree, and returns what they report.
fn sse_split_invariant(max: usize, input: &[u8], feeding: &Feeding, finish: bool) -> SseOutcome {
    let whole = run_sse(max, &[input], |_| true, finish);
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    let bytewise = run_sse(max, &bytes, |_| true, finish);
    assert_eq!(bytewise, whole, "byte at a time");
    let chunks = chunks(input, &feeding.cuts);
    let chunked = run_sse(max, &chunks, |i| feeding.drains[i % feeding.drains.len()], finish);
    assert_eq!(chunked, whole, "chunks {chunks:?}");
    whole
}

const SSE_TOKENS: &[&[u8]] = &[
    b"data",
    b"data:",
    b"data: ",
    b"event:",
    b"event: ",
    b"id:",
    b"id: ",
    b"id",
    b"retry:",
    b"retry: ",
    b"12",
    b"7",
    b":",
    b" ",
    b"\r",
    b"\n",
    b"\r\n",
    b"\n\n",
    b"\xEF\xBB\xBF",
    b"\xEF",
    b"\xEF\xBB",
    b"\0",
    b"x",
    b"abc",
    b"\xC3\xA9",
    b"\xFF",
    b"foo",
    b"\xE2\x82",
];

/// Text for event fields, rich in what needs care: line breaks, spaces, colons, NUL, BOM.
fn text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(&['\r', '\n', ' ', ':', '\0', '\u{FEFF}', 'é'][..]);
    prop::collection::vec(
        prop_oneof![2 => special, 2 => prop::char::range('a', 'z'), 1 => any::<char>()],
        0..12,
    )
    .prop_map(String::from_iter)
}

#[derive(Clone, Debug)]
enum Item {
    Event { event_type: Option<String>, id: Option<String>, data: String },
    Retry(u64),
    Comment(String),
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        4 => (prop::option::of(text()), prop::option::of(text()), text())
            .prop_map(|(event_type, id, data)| Item::Event { event_type, id, data }),
        1 => any::<u64>().prop_map(Item::Retry),
        1 => text().prop_map(Item::Comment),
    ]
}

/// CR and CRLF as LF: how data comes back after being split into lines.
fn normalize_line_breaks(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// Arbitrary input: every split gives the same events, errors, last event id and
    /// reconnection time, within the memory bound.
    #[test]
    fn sse_arbitrary_input_split_invariant(
        input in tokens(SSE_TOKENS, 80),
        max in 0usize..48,
        feeding in feeding(),
        finish in any::<bool>(),
    ) {
        sse_split_invariant(max, &input, &feeding, finish);
    }

    /// Encoded events, retries and comments decode to what was encoded, however they are
    /// split; with a small limit, the split still does not matter.
    #[test]
    fn sse_encode_decode_round_trip(
        bom in any::<bool>(),
        items in prop::collection::vec(item(), 0..8),
        small_max in 0usize..64,
        feeding in feeding(),
    ) {
        let mut stream = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
        let mut expected = Vec::new();
        let mut id_in_effect: Option<String> = None;
        let mut retry_in_effect = None;
        for item in &items {
            match item {
                Item::Event { event_type, id, data } => {
                    let before = stream.clone();
                    match encode_event(&mut stream, event_type.as_deref(), id.as_deref(), data) {
                        Ok(()) => {
                            if let Some(id) = id {
                                id_in_effect = Some(id.clone()).filter(|id| !id.is_empty());
                            }
                            let event = event_type.clone().filter(|t| !t.is_empty());
                            expected.push(Ok(SseEvent {
                                event: event.unwrap_or_else(|| "message".into()),
                                data: normalize_line_breaks(data),
                                id: id_in_effect.as_deref().map(Into::into),
                                retry: retry_in_effect,
                            }));
                        }
                        Err(error) => {
                            prop_assert_eq!(&stream, &before);
                            let (field, offset, bad): (&str, usize, &[u8]) = match error {
                                SseEncodeError::LineBreakInEventType { offset } =>
                                    (event_type.as_deref().unwrap(), offset, b"\r\n"),
                                SseEncodeError::LineBreakInId { offset } =>
                                    (id.as_deref().unwrap(), offset, b"\r\n"),
                                SseEncodeError::NulInId { offset } =>
                                    (id.as_deref().unwrap(), offset, b"\0"),
                                _ => unreachable!("{error:?}"),
                            };
                            prop_assert!(bad.contains(&field.as_bytes()[offset]));
                        }
                    }
                }
                Item::Retry(millis) => {
                    encode_retry(&mut stream, *millis);
                    retry_in_effect = Some(*millis);
                }
                Item::Comment(text) => encode_comment(&mut stream, text),
            }
        }
        let (events, last_event_id, retry) = sse_split_invariant(1 << 12, &stream, &feeding, true);
        prop_assert_eq!(events, expected);
        prop_assert_eq!(last_event_id, id_in_effect);
        prop_assert_eq!(retry, retry_in_effect);

        sse_split_invariant(small_max, &stream, &feeding, true);
    }
}
