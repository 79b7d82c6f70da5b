//! The newline framer ([`LineDecoder`]) on arbitrary bytes cut into arbitrary chunks.
//!
//! Input: one byte for the frame limit, one byte `n` and `n % 8` chunk sizes, then the
//! stream. Checks:
//!
//! - splitting the stream differently never changes the frames and errors (the same stream
//!   pushed whole gives the same results as pushed in chunks);
//! - the results match a plain reference (split at `\n`, drop one trailing `\r`, skip blank
//!   lines, refuse lines over the limit);
//! - after each drain the decoder holds at most `limit + 1` bytes, and the frames it hands out
//!   add up to no more than the input;
//! - a frame re-encoded with [`encode_frame`] decodes to itself.

use mcp_sansio::framing::{FrameError, LineDecoder, encode_frame};

use super::{Input, chunks};

/// One decoder result, owned, for comparisons.
type Item = Result<Vec<u8>, FrameError>;

/// Runs the target on one input.
pub fn run(data: &[u8]) {
    let mut input = Input::new(data);
    let limit = usize::from(input.byte() % 64) + 1;
    let count = usize::from(input.byte() % 8);
    let sizes = input.take(count);
    let stream = input.rest();

    let chunked = decode(limit, &chunks(stream, sizes));
    let whole = decode(limit, &[stream]);
    assert_eq!(chunked, whole, "the split of the input changed the frames");
    assert_eq!(whole, reference(limit, stream), "the decoder disagrees with the reference");

    let framed: usize = whole.iter().map(|r| r.as_ref().map_or(0, Vec::len)).sum();
    assert!(framed <= stream.len(), "more bytes framed than received");
    for frame in whole.iter().flatten() {
        if frame.contains(&b'\r') {
            continue; // encode_frame refuses CR; the decoder passes a CR inside a line through
        }
        let mut out = Vec::new();
        encode_frame(frame, &mut out).expect("a decoded frame encodes");
        assert_eq!(decode(limit, &[&out]), [Ok(frame.clone())], "a frame did not round-trip");
    }
}

/// Pushes `chunks` one by one, draining after each, then finishes the stream.
fn decode(limit: usize, chunks: &[&[u8]]) -> Vec<Item> {
    let mut decoder = LineDecoder::new(limit);
    let mut items = Vec::new();
    let mut drain = |decoder: &mut LineDecoder| {
        while let Some(item) = decoder.next_frame() {
            let item = item.map(|frame| frame.to_vec());
            if let Ok(frame) = &item {
                assert!(frame.len() <= limit, "a frame is over the limit");
                assert!(!frame.contains(&b'\n'), "a frame holds a line feed");
            }
            items.push(item);
            assert!(items.len() <= 1 + chunks.iter().map(|c| c.len()).sum::<usize>());
        }
        assert!(decoder.buffered_len() <= limit + 1, "the decoder holds more than its cap");
    };
    for chunk in chunks {
        decoder.push(chunk);
        drain(&mut decoder);
    }
    decoder.finish();
    drain(&mut decoder);
    assert_eq!(decoder.buffered_len(), 0, "bytes left after the end of the input");
    items
}

/// The framing rules, written as plainly as possible.
fn reference(limit: usize, stream: &[u8]) -> Vec<Item> {
    stream
        .split(|&b| b == b'\n')
        .filter_map(|line| {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.len() > limit {
                Some(Err(FrameError::TooLong { limit }))
            } else if line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
                None
            } else {
                Some(Ok(line.to_vec()))
            }
        })
        .collect()
}
