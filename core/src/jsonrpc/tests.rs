use alloc::string::ToString;

use bytes::Bytes;

use super::*;

fn dec(s: &str) -> Result<Message, DecodeError> {
    decode_message(Bytes::copy_from_slice(s.as_bytes()))
}

#[test]
fn requests_notifications_and_responses_classify() {
    let m =
        dec(r#"{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"x"}}"#).unwrap();
    let Message::Request(r) = m else { panic!("{m:?}") };
    assert_eq!(r.id, RequestId::String("a".into()));
    assert!(matches!(r.method, alloc::borrow::Cow::Borrowed("tools/call")));
    assert_eq!(r.params.unwrap().as_str(), r#"{"name":"x"}"#);

    let m = dec(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).unwrap();
    assert!(matches!(m, Message::Notification(_)));

    let m = dec(r#"{"jsonrpc":"2.0","id":3,"result":{}}"#).unwrap();
    assert!(matches!(m, Message::Response(Response { id: RequestId::Number(3), .. })));

    let m = dec(r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}}"#).unwrap();
    let Message::Error(e) = m else { panic!() };
    assert_eq!(e.id, None);
    assert_eq!(e.error.code, ErrorCode::PARSE_ERROR);
}

#[test]
fn malformed_input_gets_the_error_it_is_due() {
    let e = dec("{not json").unwrap_err();
    assert_eq!((e.code, e.id.clone(), e.reply_due), (ErrorCode::PARSE_ERROR, None, true));

    let e = dec(r#"{"jsonrpc":"1.0","id":9,"method":"ping"}"#).unwrap_err();
    assert_eq!((e.code, e.id.clone()), (ErrorCode::INVALID_REQUEST, Some(RequestId::Number(9))));

    let e = dec(r#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#).unwrap_err();
    assert_eq!(e.code, ErrorCode::INVALID_REQUEST);

    let e = dec(r#"{"jsonrpc":"2.0","id":1,"method":"ping","params":3}"#).unwrap_err();
    assert_eq!(e.code, ErrorCode::INVALID_REQUEST);

    let e = dec(r#"[1,2"#).unwrap_err();
    assert_eq!(e.code, ErrorCode::PARSE_ERROR);
    assert_eq!(dec("42").unwrap_err().code, ErrorCode::INVALID_REQUEST);
    assert_eq!(
        dec(r#"{"jsonrpc":"2.0","id":1,"id":2,"method":"x"}"#).unwrap_err().code,
        ErrorCode::INVALID_REQUEST
    );
    // A broken notification is reported but not answered.
    assert!(!dec(r#"{"jsonrpc":"2.0","method":"x","params":"s"}"#).unwrap_err().reply_due);
    assert_eq!(dec("[]").unwrap_err().to_error_response().error.code, ErrorCode::INVALID_REQUEST);
}

#[test]
fn batches_decode_element_by_element() {
    let frame = Bytes::from_static(br#"[{"jsonrpc":"2.0","id":1,"method":"ping"}, 5]"#);
    let Decoded::Batch(items) = decode(frame).unwrap() else { panic!() };
    assert!(items[0].is_ok());
    assert_eq!(items[1].as_ref().unwrap_err().code, ErrorCode::INVALID_REQUEST);
}

#[test]
fn encoding_round_trips() {
    for text in [
        r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"é\n"}}"#,
        r#"{"jsonrpc":"2.0","method":"x/y"}"#,
        r#"{"jsonrpc":"2.0","id":"s","result":{"a":[1,2]}}"#,
        r#"{"jsonrpc":"2.0","error":{"code":-32700,"message":"m","data":{"k":1}}}"#,
    ] {
        let m = dec(text).unwrap();
        assert_eq!(m.to_bytes(), text.as_bytes(), "{text}");
    }
    let err = ErrorObject::method_not_found("nope");
    assert_eq!(err.to_string(), "Method not found: nope (-32601)");
}

#[test]
fn the_fast_paths_read_ids_and_methods_as_the_full_parse_does() {
    let ids = [
        r#""abc""#,
        r#""a\"b""#,
        r#""é\u00e9""#,
        "0",
        "-5",
        "42",
        "1.0",
        "1e3",
        "999999999999999999",
        "9223372036854775807",
        "-9223372036854775808",
    ];
    for id in ids {
        let frame = alloc::format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/ca\u006cl"}}"#);
        let Ok(Message::Request(r)) = decode_message(Bytes::from(frame)) else {
            panic!("{id} is a valid id")
        };
        let full: RequestId = serde_json::from_str(id).unwrap();
        assert_eq!(r.id, full, "{id}");
        assert_eq!(r.method, "tools/call");
    }
}
