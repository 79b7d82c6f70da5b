use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::*;

// ---------------------------------------------------------------------------------------------
// ndjson

/// Pushes `chunks` (draining after each), optionally finishes, and collects every result.
fn lines(max: usize, chunks: &[&[u8]], finish: bool) -> Vec<Result<Vec<u8>, FrameError>> {
    let mut decoder = LineDecoder::new(max);
    let mut out = Vec::new();
    let mut drain = |decoder: &mut LineDecoder| {
        while let Some(frame) = decoder.next_frame() {
            out.push(frame.map(|f| f.to_vec()));
        }
    };
    for chunk in chunks {
        decoder.push(chunk);
        drain(&mut decoder);
    }
    if finish {
        decoder.finish();
        drain(&mut decoder);
    }
    out
}

fn ok(frame: &[u8]) -> Result<Vec<u8>, FrameError> {
    Ok(frame.to_vec())
}

#[test]
fn ndjson_splits_lines_and_strips_cr() {
    assert_eq!(
        lines(64, &[b"{\"a\":1}\n{\"b\":2}\r\n{\"c\":3}\n"], false),
        [ok(b"{\"a\":1}"), ok(b"{\"b\":2}"), ok(b"{\"c\":3}")]
    );
}

#[test]
fn ndjson_only_one_trailing_cr_is_stripped() {
    // A lone CR is not a line ending here; only the one before LF is removed.
    assert_eq!(lines(64, &[b"a\rb\r\r\n"], false), [ok(b"a\rb\r")]);
}

#[test]
fn ndjson_skips_blank_and_whitespace_lines() {
    assert_eq!(lines(64, &[b"\n\r\n  \t \n \r \r\n{}\n\n"], false), [ok(b"{}")]);
}

#[test]
fn ndjson_frame_split_across_chunks() {
    assert_eq!(
        lines(64, &[b"{\"a\"", b":1", b"}\r", b"\n{", b"}", b"\n"], false),
        [ok(b"{\"a\":1}"), ok(b"{}")]
    );
}

#[test]
fn ndjson_incomplete_line_waits() {
    let mut decoder = LineDecoder::new(64);
    decoder.push(b"{\"a\":1}\n{\"b\"");
    assert_eq!(decoder.next_frame(), Some(Ok(bytes::Bytes::from_static(b"{\"a\":1}"))));
    assert_eq!(decoder.next_frame(), None);
    assert_eq!(decoder.buffered_len(), 4);
}

#[test]
fn ndjson_final_line_without_newline_is_a_frame_at_finish() {
    assert_eq!(lines(64, &[b"{}\n{\"last\":1}"], true), [ok(b"{}"), ok(b"{\"last\":1}")]);
    assert_eq!(lines(64, &[b"{}\n{\"last\":1}\r"], true), [ok(b"{}"), ok(b"{\"last\":1}")]);
    // Without finish the partial line is not a frame.
    assert_eq!(lines(64, &[b"{}\n{\"last\":1}"], false), [ok(b"{}")]);
    // A blank partial line, or none at all, gives nothing.
    assert_eq!(lines(64, &[b"{}\n  "], true), [ok(b"{}")]);
    assert_eq!(lines(64, &[b"{}\n"], true), [ok(b"{}")]);
}

#[test]
fn ndjson_decoder_continues_after_finish() {
    let mut decoder = LineDecoder::new(64);
    decoder.push(b"{\"a\":1}");
    decoder.finish();
    decoder.push(b"{\"b\":2}\n");
    assert_eq!(&decoder.next_frame().unwrap().unwrap()[..], b"{\"a\":1}");
    assert_eq!(&decoder.next_frame().unwrap().unwrap()[..], b"{\"b\":2}");
    assert_eq!(decoder.next_frame(), None);
}

#[test]
fn ndjson_too_long_complete_line_then_recovery() {
    let too_long = Err(FrameError::TooLong { limit: 4 });
    assert_eq!(lines(4, &[b"1234\n12345\n\n123\r\n"], false), [ok(b"1234"), too_long, ok(b"123")]);
}

#[test]
fn ndjson_limit_excludes_the_line_ending() {
    // Four bytes and a CR: the CR may begin a CRLF, so it is not counted until it is known.
    let mut decoder = LineDecoder::new(4);
    decoder.push(b"1234\r");
    assert_eq!(decoder.next_frame(), None);
    decoder.push(b"\n");
    assert_eq!(&decoder.next_frame().unwrap().unwrap()[..], b"1234");
    // A CR followed by anything but LF is content.
    assert_eq!(lines(4, &[b"1234\r", b"5\n"], false), [Err(FrameError::TooLong { limit: 4 })]);
}

#[test]
fn ndjson_too_long_line_is_dropped_as_it_arrives() {
    let mut decoder = LineDecoder::new(8);
    decoder.push(b"{}\n0123456789");
    assert_eq!(&decoder.next_frame().unwrap().unwrap()[..], b"{}");
    assert_eq!(decoder.next_frame(), Some(Err(FrameError::TooLong { limit: 8 })));
    assert_eq!(decoder.next_frame(), None);
    assert_eq!(decoder.buffered_len(), 0);
    for _ in 0..100 {
        decoder.push(b"0123456789abcdef");
        assert_eq!(decoder.buffered_len(), 0);
        assert_eq!(decoder.next_frame(), None);
    }
    decoder.push(b"xyz\n{\"ok\"");
    assert_eq!(decoder.buffered_len(), 5);
    assert_eq!(decoder.next_frame(), None);
    decoder.push(b":1}\n");
    assert_eq!(&decoder.next_frame().unwrap().unwrap()[..], b"{\"ok\":1}");
    assert_eq!(decoder.next_frame(), None);
}

#[test]
fn ndjson_too_long_line_at_finish_is_reported_once() {
    assert_eq!(lines(3, &[b"abcdef"], true), [Err(FrameError::TooLong { limit: 3 })]);
    assert_eq!(lines(3, &[b"ab", b"cd", b"ef"], true), [Err(FrameError::TooLong { limit: 3 })]);
}

#[test]
fn ndjson_zero_limit_rejects_every_non_empty_line() {
    let too_long = || Err(FrameError::TooLong { limit: 0 });
    assert_eq!(lines(0, &[b"\n\r\n{}\n \n"], false), [too_long(), too_long()]);
}

#[test]
fn ndjson_frames_share_the_buffer() {
    let mut decoder = LineDecoder::new(64);
    decoder.push(b"{\"a\":1}\n{\"b\":2}\n");
    let a = decoder.next_frame().unwrap().unwrap();
    let b = decoder.next_frame().unwrap().unwrap();
    // Consecutive slices of one allocation: no copy was made.
    assert_eq!(a.as_ptr().wrapping_add(a.len() + 1), b.as_ptr());
}

#[test]
fn ndjson_encode_frame_appends_newline() {
    let mut out = Vec::new();
    encode_frame(b"{\"a\":1}", &mut out).unwrap();
    encode_frame(b" {} ", &mut out).unwrap();
    assert_eq!(out, b"{\"a\":1}\n {} \n");
}

#[test]
fn ndjson_encode_frame_refuses_line_breaks_and_blank_messages() {
    let mut out = b"x".to_vec();
    assert_eq!(
        encode_frame(b"{\"a\":\n1}", &mut out),
        Err(FrameEncodeError::LineBreak { offset: 5 })
    );
    assert_eq!(encode_frame(b"{}\r", &mut out), Err(FrameEncodeError::LineBreak { offset: 2 }));
    assert_eq!(encode_frame(b"", &mut out), Err(FrameEncodeError::Blank));
    assert_eq!(encode_frame(b" \t ", &mut out), Err(FrameEncodeError::Blank));
    assert_eq!(out, b"x");
}

// ---------------------------------------------------------------------------------------------
// SSE

/// Pushes `chunks` (draining after each), finishes if asked, and returns the results and the
/// decoder.
fn sse(chunks: &[&[u8]], finish: bool) -> (Vec<Result<SseEvent, SseError>>, SseDecoder) {
    sse_with(SseDecoder::new(1024), chunks, finish)
}

fn sse_with(
    mut decoder: SseDecoder,
    chunks: &[&[u8]],
    finish: bool,
) -> (Vec<Result<SseEvent, SseError>>, SseDecoder) {
    let mut out = Vec::new();
    for chunk in chunks {
        decoder.push(chunk);
        while let Some(event) = decoder.next_event() {
            out.push(event);
        }
    }
    if finish {
        decoder.finish();
        while let Some(event) = decoder.next_event() {
            out.push(event);
        }
    }
    (out, decoder)
}

/// The events of a stream fed whole, then finished.
fn events(input: &str) -> Vec<Result<SseEvent, SseError>> {
    sse(&[input.as_bytes()], true).0
}

fn ev(event: &str, data: &str, id: Option<&str>, retry: Option<u64>) -> Result<SseEvent, SseError> {
    Ok(SseEvent { event: event.into(), data: data.into(), id: id.map(Arc::from), retry })
}

fn msg(data: &str) -> Result<SseEvent, SseError> {
    ev("message", data, None, None)
}

#[test]
fn sse_simple_event_defaults_to_message() {
    assert_eq!(events("data: hello\n\n"), [msg("hello")]);
}

#[test]
fn sse_event_field_sets_the_type() {
    assert_eq!(
        events("event: endpoint\ndata: /messages\n\n"),
        [ev("endpoint", "/messages", None, None)]
    );
    // An empty type is the default type.
    assert_eq!(events("event:\ndata: x\n\n"), [msg("x")]);
    // The last `event` field wins.
    assert_eq!(events("event: a\nevent: b\ndata: x\n\n"), [ev("b", "x", None, None)]);
}

#[test]
fn sse_event_type_is_reset_after_each_blank_line() {
    assert_eq!(events("event: a\ndata: 1\n\ndata: 2\n\n"), [ev("a", "1", None, None), msg("2")]);
    // Also when nothing was dispatched.
    assert_eq!(events("event: a\n\ndata: 2\n\n"), [msg("2")]);
}

#[test]
fn sse_bom_at_start_is_skipped() {
    assert_eq!(events("\u{FEFF}data: x\n\n"), [msg("x")]);
}

#[test]
fn sse_bom_split_across_chunks_is_skipped() {
    let (out, _) = sse(&[b"\xEF", b"\xBB", b"\xBFdata: x\n\n"], true);
    assert_eq!(out, [msg("x")]);
    let (out, _) = sse(&[b"\xEF\xBB", b"\xBF", b"data: x\n", b"\n"], false);
    assert_eq!(out, [msg("x")]);
}

#[test]
fn sse_bom_is_skipped_only_once() {
    // The second BOM is part of the field name, which is then unknown.
    assert_eq!(events("\u{FEFF}\u{FEFF}data: x\n\ndata: y\n\n"), [msg("y")]);
}

#[test]
fn sse_bom_later_in_the_stream_is_text() {
    assert_eq!(events("data: \u{FEFF}x\n\n\u{FEFF}data: y\n\n"), [msg("\u{FEFF}x")]);
}

#[test]
fn sse_partial_bom_is_ordinary_bytes() {
    // EF BB then something else: not a BOM, the bytes belong to the first line (and are not
    // UTF-8, so the field name is unknown).
    let (out, _) = sse(&[b"\xEF\xBB", b"data: x\n\ndata: y\n\n"], true);
    assert_eq!(out, [msg("y")]);
    let (out, _) = sse(&[b"\xEF\xBBdata: x\n\n"], true);
    assert_eq!(out, []);
}

#[test]
fn sse_lf_cr_and_crlf_end_lines() {
    let expected = [msg("a\nb"), msg("c")];
    assert_eq!(events("data: a\ndata: b\n\ndata: c\n\n"), expected);
    assert_eq!(events("data: a\rdata: b\r\rdata: c\r\r"), expected);
    assert_eq!(events("data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n"), expected);
    assert_eq!(events("data: a\ndata: b\r\n\rdata: c\n\r\n"), expected);
}

#[test]
fn sse_crlf_split_across_chunks_is_one_line_ending() {
    // Were CR | LF two line endings, "a" would be dispatched alone.
    let (out, _) = sse(&[b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"], false);
    assert_eq!(out, [msg("a\nb")]);
    // And CR at the end of a chunk followed by CR is a blank line.
    let (out, _) = sse(&[b"data: a\r", b"\r"], false);
    assert_eq!(out, [msg("a")]);
    // The LF may come after an empty chunk.
    let (out, _) = sse(&[b"data: a\r", b"", b"\ndata: b\n\n"], false);
    assert_eq!(out, [msg("a\nb")]);
}

#[test]
fn sse_comments_are_ignored() {
    assert_eq!(events(": keep-alive\n:\ndata: x\n: inside\ndata: y\n\n:\n\n"), [msg("x\ny")]);
}

#[test]
fn sse_one_space_after_the_colon_is_removed() {
    assert_eq!(events("data:x\n\n"), [msg("x")]);
    assert_eq!(events("data: x\n\n"), [msg("x")]);
    assert_eq!(events("data:  x \n\n"), [msg(" x ")]);
    assert_eq!(events("data:\tx\n\n"), [msg("\tx")]);
    // Only the first colon separates.
    assert_eq!(events("data: a: b\n\n"), [msg("a: b")]);
}

#[test]
fn sse_line_without_colon_is_a_field_with_empty_value() {
    assert_eq!(events("data\n\n"), [msg("")]);
    assert_eq!(events("data\ndata\n\n"), [msg("\n")]);
    assert_eq!(events("event\ndata: x\n\n"), [msg("x")]);
    let (_, decoder) = sse(&[b"id: 1\n\nid\n\n"], false);
    assert_eq!(decoder.last_event_id(), None);
}

#[test]
fn sse_multi_line_data_is_joined_with_lf() {
    assert_eq!(events("data: a\ndata:\ndata: c\n\n"), [msg("a\n\nc")]);
    // Only one trailing LF is removed.
    assert_eq!(events("data: a\ndata:\n\n"), [msg("a\n")]);
}

#[test]
fn sse_empty_data_buffer_is_not_dispatched() {
    assert_eq!(events("\n\n\nevent: x\n\nid: 1\n\n: c\n\nretry: 5\n\n"), []);
}

#[test]
fn sse_unknown_fields_are_ignored() {
    assert_eq!(
        events("foo: bar\nData: no\nDATA: no\n data: no\ndata : no\ndata: yes\n\n"),
        [msg("yes")]
    );
    // An event made only of unknown fields is not dispatched.
    assert_eq!(events("foo: bar\n\n"), []);
}

#[test]
fn sse_id_sets_the_last_event_id_at_the_blank_line() {
    let mut decoder = SseDecoder::new(1024);
    decoder.push(b"id: 42\n");
    assert_eq!(decoder.next_event(), None);
    assert_eq!(decoder.last_event_id(), None);
    decoder.push(b"data: x\n\n");
    assert_eq!(decoder.next_event(), Some(ev("message", "x", Some("42"), None)));
    assert_eq!(decoder.last_event_id(), Some("42"));
}

#[test]
fn sse_last_event_id_persists_across_events() {
    assert_eq!(
        events("id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\nid\ndata: d\n\ndata: e\n\n"),
        [
            ev("message", "a", Some("1"), None),
            ev("message", "b", Some("1"), None),
            ev("message", "c", Some("2"), None),
            msg("d"),
            msg("e"),
        ]
    );
}

#[test]
fn sse_id_without_data_is_still_committed() {
    // The MCP priming pattern without data, and a bare id block.
    let (out, decoder) = sse(&[b"id: 7\n\n"], true);
    assert_eq!(out, []);
    assert_eq!(decoder.last_event_id(), Some("7"));
    assert_eq!(events("id: 7\n\ndata: x\n\n"), [ev("message", "x", Some("7"), None)]);
}

#[test]
fn sse_id_with_nul_is_ignored() {
    assert_eq!(events("id: 1\n\nid: a\0b\ndata: x\n\n"), [ev("message", "x", Some("1"), None)]);
}

#[test]
fn sse_empty_id_resets_the_last_event_id() {
    let (out, decoder) = sse(&[b"id: 1\ndata: a\n\nid:\ndata: b\n\n"], true);
    assert_eq!(out, [ev("message", "a", Some("1"), None), msg("b")]);
    assert_eq!(decoder.last_event_id(), None);
}

#[test]
fn sse_id_keeps_spaces_after_the_first() {
    let (_, decoder) = sse(&[b"id:  x y \n\n"], true);
    assert_eq!(decoder.last_event_id(), Some(" x y "));
}

#[test]
fn sse_retry_takes_only_ascii_digits() {
    let retry_after = |input: &str| sse(&[input.as_bytes()], true).1.retry();
    assert_eq!(retry_after("retry: 1500\n"), Some(1500));
    assert_eq!(retry_after("retry:0\n"), Some(0));
    assert_eq!(retry_after("retry: 1500\nretry: 12a\n"), Some(1500));
    assert_eq!(retry_after("retry: 12a\n"), None);
    assert_eq!(retry_after("retry: -1\n"), None);
    assert_eq!(retry_after("retry: +1\n"), None);
    assert_eq!(retry_after("retry: 1.5\n"), None);
    assert_eq!(retry_after("retry:  1\n"), None);
    assert_eq!(retry_after("retry: 1 \n"), None);
    assert_eq!(retry_after("retry: \n"), None);
    assert_eq!(retry_after("retry\n"), None);
    assert_eq!(retry_after("retry: \u{661}\n"), None); // ARABIC-INDIC DIGIT ONE
    assert_eq!(retry_after("retry: 99999999999999999999999\n"), Some(u64::MAX));
}

#[test]
fn sse_retry_applies_immediately_and_rides_on_later_events() {
    let mut decoder = SseDecoder::new(1024);
    decoder.push(b"retry: 3000\n");
    assert_eq!(decoder.next_event(), None);
    assert_eq!(decoder.retry(), Some(3000));
    decoder.push(b"id: p\ndata:\n\ndata: x\n\n");
    assert_eq!(decoder.next_event(), Some(ev("message", "", Some("p"), Some(3000))));
    assert_eq!(decoder.next_event(), Some(ev("message", "x", Some("p"), Some(3000))));
}

#[test]
fn sse_invalid_utf8_is_replaced_per_line() {
    let (out, _) = sse(&[b"data: a\xFFb\xE2\x82\ndata: \xE2", b"\x82\xAC\n\n"], true);
    assert_eq!(out, [msg("a\u{FFFD}b\u{FFFD}\n\u{20AC}")]);
    // An incomplete sequence does not swallow the line ending.
    assert_eq!(sse(&[b"data: \xE2\n\n"], true).0, [msg("\u{FFFD}")]);
    let (_, decoder) = sse(&[b"id: \xC3\n\n"], true);
    assert_eq!(decoder.last_event_id(), Some("\u{FFFD}"));
}

#[test]
fn sse_incomplete_event_at_end_is_discarded() {
    // No blank line after the event.
    assert_eq!(events("data: a\n\ndata: b\n"), [msg("a")]);
    // No line ending after the blank line's predecessor either.
    assert_eq!(events("data: a\n\ndata: b"), [msg("a")]);
    // The id of the incomplete event is not committed; its retry has taken effect.
    let (_, decoder) = sse(&[b"id: 1\n\nid: 2\nretry: 10\ndata: x\n"], true);
    assert_eq!(decoder.last_event_id(), Some("1"));
    assert_eq!(decoder.retry(), Some(10));
    // An unterminated last line is never interpreted.
    let (_, decoder) = sse(&[b"retry: 10"], true);
    assert_eq!(decoder.retry(), None);
}

#[test]
fn sse_finish_before_draining_keeps_complete_events() {
    let mut decoder = SseDecoder::new(1024);
    decoder.push(b"data: a\n\ndata: b");
    decoder.finish();
    assert_eq!(decoder.next_event(), Some(msg("a")));
    assert_eq!(decoder.next_event(), None);
    assert_eq!(decoder.buffered_len(), 0);
}

#[test]
fn sse_input_after_finish_is_ignored() {
    let mut decoder = SseDecoder::new(1024);
    decoder.push(b"data: a\n\n");
    decoder.finish();
    decoder.push(b"data: b\n\n");
    assert_eq!(decoder.next_event(), Some(msg("a")));
    assert_eq!(decoder.next_event(), None);
}

#[test]
fn sse_for_reconnection_keeps_id_and_retry() {
    let (_, old) = sse(&[b"retry: 500\nid: 9\ndata: a\n\nid: 10\ndata: part"], true);
    let (out, new) = sse_with(old.for_reconnection(), &[b"\xEF\xBB\xBFdata: b\n\n"], true);
    assert_eq!(out, [ev("message", "b", Some("9"), Some(500))]);
    assert_eq!(new.last_event_id(), Some("9"));
    assert_eq!(new.max_event_len(), 1024);
}

#[test]
fn sse_event_too_long_then_recovery() {
    let too_long = || Err(SseError::EventTooLong { limit: 16 });
    // The data grows past the limit over several lines; the rest of the event is skipped,
    // including its fields, up to the blank line.
    let input = "data: 0123456\ndata: 789abcd\nid: skipped\ndata: x\n\ndata: ok\n\n";
    let (out, decoder) = sse_with(SseDecoder::new(16), &[input.as_bytes()], true);
    assert_eq!(out, [too_long(), msg("ok")]);
    assert_eq!(decoder.last_event_id(), None);
    // One long line.
    let input = "data: ok\n\ndata: 0123456789abcdef\n\ndata: ok2\n\n";
    let (out, _) = sse_with(SseDecoder::new(16), &[input.as_bytes()], true);
    assert_eq!(out, [msg("ok"), too_long(), msg("ok2")]);
    // A long comment line counts too.
    let input = ": 0123456789abcdef\n\ndata: ok\n\n";
    let (out, _) = sse_with(SseDecoder::new(16), &[input.as_bytes()], true);
    assert_eq!(out, [too_long(), msg("ok")]);
}

#[test]
fn sse_blank_line_after_too_long_event_commits_earlier_id() {
    let input = "id: 5\ndata: 0123456789abcdef\n\ndata: next\n\n";
    let (out, _) = sse_with(SseDecoder::new(16), &[input.as_bytes()], true);
    assert_eq!(
        out,
        [Err(SseError::EventTooLong { limit: 16 }), ev("message", "next", Some("5"), None)]
    );
}

#[test]
fn sse_too_long_event_is_dropped_as_it_arrives() {
    let mut decoder = SseDecoder::new(16);
    decoder.push(b"event: e\ndata: 0123");
    assert_eq!(decoder.next_event(), None);
    assert_eq!(decoder.buffered_len(), 1 + 10);
    decoder.push(b"456789");
    assert_eq!(decoder.next_event(), Some(Err(SseError::EventTooLong { limit: 16 })));
    assert_eq!(decoder.next_event(), None);
    assert_eq!(decoder.buffered_len(), 0);
    for _ in 0..100 {
        decoder.push(b"0123456789\r\ndata: ");
        assert_eq!(decoder.buffered_len(), 0);
        assert_eq!(decoder.next_event(), None);
    }
    // The blank line is split: CR | LF, then the next event.
    decoder.push(b"\r");
    decoder.push(b"\r");
    decoder.push(b"\ndata: ok\n");
    assert_eq!(decoder.buffered_len(), 10);
    decoder.push(b"\n");
    assert_eq!(decoder.next_event(), Some(msg("ok")));
}

#[test]
fn sse_too_long_event_type_counts() {
    let input = "event: 012345678\ndata: 0123456\n\ndata: ok\n\n";
    let (out, _) = sse_with(SseDecoder::new(16), &[input.as_bytes()], true);
    assert_eq!(out, [Err(SseError::EventTooLong { limit: 16 }), msg("ok")]);
}

#[test]
fn sse_replacement_characters_count_toward_the_limit() {
    // Eight invalid bytes decode to 24 bytes of text.
    let (out, decoder) =
        sse_with(SseDecoder::new(16), &[b"data:\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\n"], false);
    assert_eq!(out, [Err(SseError::EventTooLong { limit: 16 })]);
    assert_eq!(decoder.buffered_len(), 0);
}

#[test]
fn sse_encode_event_writes_fields_and_blank_line() {
    let mut out = Vec::new();
    encode_event(&mut out, Some("update"), Some("3"), "{\"a\":1}").unwrap();
    assert_eq!(out, b"event: update\nid: 3\ndata: {\"a\":1}\n\n");
}

#[test]
fn sse_encode_event_splits_data_lines() {
    let mut out = Vec::new();
    encode_event(&mut out, None, None, "a\nb\r\nc\rd\n").unwrap();
    assert_eq!(out, b"data: a\ndata: b\ndata: c\ndata: d\ndata: \n\n");
    assert_eq!(sse(&[&out], true).0, [msg("a\nb\nc\nd\n")]);
}

#[test]
fn sse_encode_event_empty_data_is_still_dispatched() {
    // MCP's priming event: an id and empty data.
    let mut out = Vec::new();
    encode_event(&mut out, None, Some("s1-0"), "").unwrap();
    assert_eq!(out, b"id: s1-0\ndata: \n\n");
    assert_eq!(sse(&[&out], true).0, [ev("message", "", Some("s1-0"), None)]);
}

#[test]
fn sse_encode_event_keeps_leading_spaces() {
    let mut out = Vec::new();
    encode_event(&mut out, Some(" t"), Some(" i"), " d").unwrap();
    assert_eq!(sse(&[&out], true).0, [ev(" t", " d", Some(" i"), None)]);
}

#[test]
fn sse_encode_event_empty_id_resets() {
    let mut out = Vec::new();
    encode_event(&mut out, None, Some("1"), "a").unwrap();
    encode_event(&mut out, None, Some(""), "b").unwrap();
    assert_eq!(sse(&[&out], true).0, [ev("message", "a", Some("1"), None), msg("b")]);
}

#[test]
fn sse_encode_event_refuses_what_would_corrupt_the_stream() {
    let mut out = b"x".to_vec();
    assert_eq!(
        encode_event(&mut out, Some("a\nb"), None, ""),
        Err(SseEncodeError::LineBreakInEventType { offset: 1 })
    );
    assert_eq!(
        encode_event(&mut out, Some("ab\r"), None, ""),
        Err(SseEncodeError::LineBreakInEventType { offset: 2 })
    );
    assert_eq!(
        encode_event(&mut out, None, Some("\r1"), ""),
        Err(SseEncodeError::LineBreakInId { offset: 0 })
    );
    assert_eq!(
        encode_event(&mut out, None, Some("1\n"), ""),
        Err(SseEncodeError::LineBreakInId { offset: 1 })
    );
    assert_eq!(
        encode_event(&mut out, None, Some("1\0"), ""),
        Err(SseEncodeError::NulInId { offset: 1 })
    );
    assert_eq!(out, b"x");
}

#[test]
fn sse_encode_retry_stands_alone() {
    let mut out = Vec::new();
    encode_retry(&mut out, 2500);
    assert_eq!(out, b"retry: 2500\n\n");
    encode_event(&mut out, None, None, "x").unwrap();
    let (events, decoder) = sse(&[&out], true);
    assert_eq!(events, [ev("message", "x", None, Some(2500))]);
    assert_eq!(decoder.retry(), Some(2500));
}

#[test]
fn sse_encode_comment_writes_comment_lines() {
    let mut out = Vec::new();
    encode_comment(&mut out, "");
    encode_comment(&mut out, "keep-alive");
    encode_comment(&mut out, "a\r\nb\rdata: no\n");
    assert_eq!(out, b":\n: keep-alive\n: a\n: b\n: data: no\n:\n");
    encode_event(&mut out, None, None, "yes").unwrap();
    assert_eq!(sse(&[&out], true).0, [msg("yes")]);
}

#[test]
fn error_messages() {
    use alloc::string::ToString;
    assert_eq!(FrameError::TooLong { limit: 3 }.to_string(), "frame longer than 3 bytes");
    assert_eq!(SseError::EventTooLong { limit: 3 }.to_string(), "SSE event longer than 3 bytes");
    assert_eq!(
        FrameEncodeError::LineBreak { offset: 2 }.to_string(),
        "message contains a line break at byte 2"
    );
    assert_eq!(
        SseEncodeError::NulInId { offset: 0 }.to_string(),
        "SSE event id contains U+0000 at byte 0"
    );
    let _: String = SseEncodeError::LineBreakInId { offset: 0 }.to_string();
}

// ---------------------------------------------------------------------------------------------
// Linear time: a long line fed one byte at a time. Were the buffered bytes rescanned for a line
// ending at every push, this would take some 10^11 steps instead of 10^6.

const LONG: usize = 1 << 20;

#[test]
fn ndjson_long_line_byte_by_byte_is_linear() {
    let mut decoder = LineDecoder::new(LONG);
    for _ in 0..LONG {
        decoder.push(b"x");
        assert_eq!(decoder.next_frame(), None);
    }
    decoder.push(b"\n");
    assert_eq!(decoder.next_frame().unwrap().unwrap().len(), LONG);
}

#[test]
fn sse_long_line_byte_by_byte_is_linear() {
    let mut decoder = SseDecoder::new(LONG + 8);
    decoder.push(b"data:");
    for _ in 0..LONG {
        decoder.push(b"x");
        assert_eq!(decoder.next_event(), None);
    }
    decoder.push(b"\n\n");
    assert_eq!(decoder.next_event().unwrap().unwrap().data.len(), LONG);
}
