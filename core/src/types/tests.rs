//! Unit tests for the serde details: unknown result types, tagged unions, one-or-many
//! content, ordering of levels, preserved extra members, numbers.

use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::*;
use crate::jsonrpc::{ErrorCode, ErrorObject, ProgressToken, RequestId};
use crate::version::ProtocolVersion;

/// Parses `value` as `T`, serializes it back and checks nothing changed.
fn round_trip<T: Serialize + DeserializeOwned>(value: Value) -> T {
    let typed: T = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), value);
    typed
}

#[test]
fn result_type_keeps_unknown_values() {
    for (text, rt) in [
        ("complete", ResultType::Complete),
        ("input_required", ResultType::InputRequired),
        ("task", ResultType::Other("task".into())),
        ("com.example/streaming", ResultType::Other("com.example/streaming".into())),
    ] {
        let parsed: ResultType = round_trip(json!(text));
        assert_eq!(parsed, rt);
        assert_eq!(rt.to_string(), text);
    }
    let result: EmptyResult = round_trip(json!({"resultType": "task", "task": {"id": 1}}));
    assert_eq!(result.result_type, Some(ResultType::Other("task".into())));
    assert_eq!(result.extra["task"], json!({"id": 1}));

    assert_eq!(ResultType::of_result(r#"{"content":[]}"#), Some(ResultType::Complete));
    assert_eq!(
        ResultType::of_result(r#"{"resultType":"input_required","x":[1]}"#),
        Some(ResultType::InputRequired)
    );
    assert_eq!(ResultType::of_result(r#"{"resultType":"\u0074ask"}"#), Some("task".into()));
    assert_eq!(ResultType::of_result("[]"), None);
    assert_eq!(ResultType::of_result(r#"{"resultType":3}"#), None);
}

#[test]
fn content_blocks_are_tagged_on_type() {
    let blocks: Vec<ContentBlock> = round_trip(json!([
        {"type": "text", "text": "hi", "annotations": {"audience": ["user"], "priority": 0.5}},
        {"type": "image", "data": "AA==", "mimeType": "image/png"},
        {"type": "audio", "data": "AA==", "mimeType": "audio/wav", "_meta": {"k": 1}},
        {"type": "resource_link", "uri": "file:///a", "name": "a", "size": 3},
        {"type": "resource", "resource": {"uri": "file:///b", "blob": "AA=="}},
        {"type": "resource", "resource": {"uri": "file:///c", "text": "c", "mimeType": "text/plain"}},
    ]));
    assert!(matches!(&blocks[0], ContentBlock::Text(t) if t.text == "hi"));
    assert!(matches!(&blocks[1], ContentBlock::Image(_)));
    assert!(matches!(&blocks[2], ContentBlock::Audio(a) if a.meta.is_some()));
    assert!(matches!(&blocks[3], ContentBlock::ResourceLink(l) if l.size == Some(3)));
    assert!(matches!(
        &blocks[4],
        ContentBlock::Resource(EmbeddedResource { resource: ResourceContents::Blob(_), .. })
    ));
    assert!(matches!(
        &blocks[5],
        ContentBlock::Resource(EmbeddedResource { resource: ResourceContents::Text(_), .. })
    ));

    assert_eq!(
        serde_json::to_value(ContentBlock::text("x")).unwrap(),
        json!({"type": "text", "text": "x"})
    );
    // Sampling-only block types are not content blocks, and unknown types are refused.
    let tool_use = json!({"type": "tool_use", "id": "1", "name": "t", "input": {}});
    assert!(serde_json::from_value::<ContentBlock>(tool_use.clone()).is_err());
    assert!(serde_json::from_value::<SamplingMessageContentBlock>(tool_use).is_ok());
    assert!(serde_json::from_value::<ContentBlock>(json!({"type": "video"})).is_err());
    assert!(serde_json::from_value::<ContentBlock>(json!({"text": "untagged"})).is_err());
    let neither = json!({"type": "resource", "resource": {"uri": "file:///x"}});
    let err = serde_json::from_value::<ContentBlock>(neither).unwrap_err().to_string();
    assert!(err.contains("neither `text` nor `blob`"), "{err}");
}

#[test]
fn sampling_content_is_one_or_many() {
    let one: SamplingMessage =
        round_trip(json!({"role": "user", "content": {"type": "text", "text": "a"}}));
    assert!(matches!(one.content, OneOrMany::One(_)));
    assert_eq!(one.content.as_slice().len(), 1);

    let many: SamplingMessage = round_trip(json!({"role": "user", "content": [
        {"type": "tool_result", "toolUseId": "1", "content": [], "structuredContent": null},
        {"type": "tool_result", "toolUseId": "2", "content": [{"type": "text", "text": "b"}]},
    ]}));
    let OneOrMany::Many(blocks) = &many.content else { panic!("{many:?}") };
    assert_eq!(blocks.len(), 2);
    // `structuredContent: null` is a value in 2026-07-28, not an absent member.
    assert!(matches!(
        &blocks[0],
        SamplingMessageContentBlock::ToolResult(r) if r.structured_content == Some(Value::Null)
    ));

    let empty: SamplingMessage = round_trip(json!({"role": "assistant", "content": []}));
    assert!(empty.content.into_vec().is_empty());

    // The inner error is reported, not "no variant matched".
    let bad = json!({"role": "user", "content": [{"type": "text"}]});
    let err = serde_json::from_value::<SamplingMessage>(bad).unwrap_err().to_string();
    assert!(err.contains("text"), "{err}");
}

#[test]
fn logging_levels_are_ordered_by_severity() {
    let mut levels: Vec<LoggingLevel> = serde_json::from_value(json!([
        "emergency",
        "debug",
        "warning",
        "alert",
        "info",
        "critical",
        "notice",
        "error"
    ]))
    .unwrap();
    levels.sort();
    assert_eq!(levels, LoggingLevel::ALL);
    assert!(LoggingLevel::Debug < LoggingLevel::Info);
    assert!(LoggingLevel::Warning >= LoggingLevel::Notice);
    assert!(LoggingLevel::Emergency > LoggingLevel::Alert);
    for level in LoggingLevel::ALL {
        assert_eq!(serde_json::to_value(level).unwrap(), json!(level.as_str()));
        assert_eq!(LoggingLevel::parse(level.as_str()), Some(level));
    }
    assert!(serde_json::from_value::<LoggingLevel>(json!("fatal")).is_err());
}

#[test]
fn open_objects_keep_unknown_members() {
    let caps: ClientCapabilities = round_trip(json!({
        "roots": {"listChanged": true, "future": 1},
        "sampling": {"tools": {}, "x": true},
        "elicitation": {},
        "extensions": {"io.modelcontextprotocol/ui": {"mimeTypes": ["text/html"]}},
        "com.example/custom": {"on": true},
    }));
    assert_eq!(caps.roots.as_ref().unwrap().extra["future"], json!(1));
    assert_eq!(caps.extra["com.example/custom"], json!({"on": true}));
    let elicitation = caps.elicitation.unwrap();
    assert!(elicitation.supports_form() && !elicitation.supports_url());

    let result: CallToolResult = round_trip(json!({
        "content": [], "isError": false, "com.example/trace": "abc", "_meta": {"a": [1]}
    }));
    assert_eq!(result.extra.len(), 1);
    assert_eq!(result.meta.unwrap()["a"], json!([1]));

    // 2024-11-05's `sampling: object` holds anything.
    let legacy: ClientCapabilities = round_trip(json!({"sampling": {"anything": [1, 2]}}));
    assert_eq!(legacy.sampling.unwrap().extra.len(), 1);

    // Closed types drop what they do not know, as the schema does not allow it.
    let tool: Tool =
        serde_json::from_value(json!({"name": "t", "inputSchema": {"type": "object"}, "bogus": 1}))
            .unwrap();
    assert_eq!(
        serde_json::to_value(&tool).unwrap(),
        json!({"name": "t", "inputSchema": {"type": "object"}})
    );
}

#[test]
fn structured_content_may_be_any_value() {
    for value in [json!({"a": 1}), json!([1, 2]), json!("s"), json!(3), json!(null), json!(true)] {
        let r: CallToolResult = round_trip(json!({"content": [], "structuredContent": value}));
        assert_eq!(r.structured_content, Some(value));
    }
    let absent: CallToolResult = round_trip(json!({"content": []}));
    assert_eq!(absent.structured_content, None);
}

#[test]
fn integral_numbers_stay_integers() {
    let p: ProgressNotificationParams =
        round_trip(json!({"progressToken": 7, "progress": 50, "total": 100}));
    assert_eq!((p.progress, p.total), (50.0, Some(100.0)));
    assert_eq!(p.progress_token, ProgressToken::Number(7));
    round_trip::<ProgressNotificationParams>(json!({"progressToken": "t", "progress": 0.25}));
    let text = serde_json::to_string(&ProgressNotificationParams {
        meta: None,
        progress_token: "t".into(),
        progress: 3.0,
        total: Some(-1e300),
        message: None,
    })
    .unwrap();
    assert_eq!(text, r#"{"progressToken":"t","progress":3,"total":-1e+300}"#);
}

#[test]
fn elicitation_params_dispatch_on_mode() {
    let form = json!({"message": "m", "requestedSchema": {"type": "object", "properties": {}}});
    assert!(matches!(
        round_trip::<ElicitRequestParams>(form),
        ElicitRequestParams::Form(ElicitRequestFormParams { mode: None, .. })
    ));
    let form = json!({"mode": "form", "message": "m",
        "requestedSchema": {"type": "object", "properties": {}}});
    assert!(matches!(
        round_trip::<ElicitRequestParams>(form),
        ElicitRequestParams::Form(ElicitRequestFormParams { mode: Some(FormMode), .. })
    ));
    let url = json!({"mode": "url", "message": "m", "url": "https://x", "elicitationId": "e"});
    assert!(matches!(round_trip::<ElicitRequestParams>(url), ElicitRequestParams::Url(_)));
    let err =
        serde_json::from_value::<ElicitRequestParams>(json!({"mode": "voice", "message": "m"}))
            .unwrap_err();
    assert!(err.to_string().contains("voice"));
    // A URL elicitation cannot pass for a form.
    assert!(
        serde_json::from_value::<ElicitRequestURLParams>(json!({"mode": "form",
        "message": "m", "url": "https://x"}))
        .is_err()
    );
}

#[test]
fn primitive_schemas_dispatch_on_type_and_keywords() {
    use PrimitiveSchemaDefinition as P;
    type Case = (Value, fn(&P) -> bool);
    let cases: Vec<Case> = vec![
        (json!({"type": "string", "format": "date-time"}), |p| matches!(p, P::String(_))),
        (json!({"type": "number", "minimum": 1.5}), |p| matches!(p, P::Number(_))),
        (json!({"type": "integer", "maximum": 10}), |p| matches!(p, P::Integer(_))),
        (json!({"type": "boolean", "default": true}), |p| matches!(p, P::Boolean(_))),
        (json!({"type": "string", "enum": ["a"]}), |p| matches!(p, P::UntitledSingleSelectEnum(_))),
        (json!({"type": "string", "enum": ["a"], "enumNames": ["A"]}), |p| {
            matches!(p, P::LegacyTitledEnum(_))
        }),
        (json!({"type": "string", "oneOf": [{"const": "a", "title": "A"}]}), |p| {
            matches!(p, P::TitledSingleSelectEnum(_))
        }),
        (json!({"type": "array", "items": {"type": "string", "enum": ["a"]}}), |p| {
            matches!(p, P::UntitledMultiSelectEnum(_))
        }),
        (json!({"type": "array", "items": {"anyOf": [{"const": "a", "title": "A"}]}}), |p| {
            matches!(p, P::TitledMultiSelectEnum(_))
        }),
    ];
    for (value, check) in cases {
        let parsed: P = round_trip(value.clone());
        assert!(check(&parsed), "{value} parsed as {parsed:?}");
    }
    assert!(serde_json::from_value::<P>(json!({"type": "object"})).is_err());
    assert!(serde_json::from_value::<P>(json!({"title": "no type"})).is_err());
}

#[test]
fn input_requests_and_responses() {
    let requests: InputRequests = round_trip(json!({
        "a": {"method": "roots/list"},
        "b": {"method": "roots/list", "params": {}},
        "c": {"method": "elicitation/create", "params": {"mode": "url", "message": "m", "url": "https://x"}},
        "d": {"method": "sampling/createMessage", "params": {"messages": [], "maxTokens": 5}},
    }));
    assert_eq!(requests["a"], InputRequest::ListRoots(None));
    assert_eq!(requests["c"].method(), crate::methods::ELICITATION_CREATE);
    assert!(
        serde_json::from_value::<InputRequest>(json!({"method": "tools/call", "params": {}}))
            .is_err()
    );
    assert!(
        serde_json::from_value::<InputRequest>(json!({"method": "sampling/createMessage"}))
            .is_err()
    );

    let responses: InputResponses = round_trip(json!({
        "a": {"roots": []},
        "c": {"action": "accept", "content": {"n": 1, "f": 1.5, "s": "x", "b": false, "m": ["p"]}},
        "d": {"role": "assistant", "content": {"type": "text", "text": "t"}, "model": "m"},
    }));
    assert!(matches!(responses["a"], InputResponse::ListRoots(_)));
    assert!(matches!(responses["c"], InputResponse::Elicit(_)));
    assert!(matches!(responses["d"], InputResponse::CreateMessage(_)));

    let result: InputRequiredResult =
        round_trip(json!({"resultType": "input_required", "requestState": "s"}));
    assert_eq!(result, InputRequiredResult::default().with_request_state("s"));
    assert!(
        serde_json::from_value::<InputRequiredResult>(json!({"resultType": "complete"})).is_err()
    );

    let maybe: MaybeInputRequired<CallToolResult> =
        round_trip(json!({"resultType": "input_required", "inputRequests": {}}));
    assert!(matches!(maybe, MaybeInputRequired::InputRequired(_)));
    let maybe: MaybeInputRequired<CallToolResult> =
        round_trip(json!({"resultType": "complete", "content": []}));
    assert!(matches!(maybe, MaybeInputRequired::Complete(_)));
}

#[test]
fn meta_accessors_read_and_write_reserved_keys() {
    let mut meta = Meta::new();
    meta.set_protocol_version("2026-07-28")
        .set_client_info(&Implementation::new("c", "1"))
        .set_client_capabilities(&ClientCapabilities::default())
        .set_progress_token(&ProgressToken::from("p"))
        .set_log_level(LoggingLevel::Warning)
        .set_subscription_id(&RequestId::from(4));
    let value = serde_json::to_value(&meta).unwrap();
    assert_eq!(
        value,
        json!({
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientInfo": {"name": "c", "version": "1"},
            "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/logLevel": "warning",
            "io.modelcontextprotocol/subscriptionId": 4,
            "progressToken": "p",
        })
    );
    let meta: Meta = serde_json::from_value(value).unwrap();
    assert_eq!(meta.protocol_version().unwrap().unwrap(), "2026-07-28");
    assert_eq!(meta.client_info().unwrap().unwrap().name, "c");
    assert_eq!(meta.log_level().unwrap().unwrap(), LoggingLevel::Warning);
    assert_eq!(meta.subscription_id().unwrap().unwrap(), RequestId::Number(4));
    assert_eq!(meta.progress_token().unwrap().unwrap(), ProgressToken::String("p".into()));
    assert!(meta.server_info().is_none());

    let bad: Meta = serde_json::from_value(json!({
        "io.modelcontextprotocol/protocolVersion": 2026,
        "io.modelcontextprotocol/clientCapabilities": [],
    }))
    .unwrap();
    assert!(bad.protocol_version().unwrap().is_err());
    assert!(bad.client_capabilities().unwrap().is_err());
}

#[test]
fn error_data_ties_payloads_to_codes() {
    let data = UnsupportedProtocolVersionData {
        supported: vec!["2026-07-28".into()],
        requested: "1900-01-01".into(),
    };
    let error = data.clone().into_error("Unsupported protocol version");
    assert_eq!(error.code, ErrorCode::UNSUPPORTED_PROTOCOL_VERSION);
    assert_eq!(
        error.data.as_ref().unwrap().as_str(),
        r#"{"supported":["2026-07-28"],"requested":"1900-01-01"}"#
    );
    assert_eq!(UnsupportedProtocolVersionData::from_error(&error).unwrap().unwrap(), data);
    assert!(MissingRequiredClientCapabilityData::from_error(&error).is_none());
    let bare = ErrorObject::new(ErrorCode::MISSING_REQUIRED_CLIENT_CAPABILITY, "m");
    assert!(MissingRequiredClientCapabilityData::from_error(&bare).is_none());
}

#[test]
fn typed_methods_know_their_names_and_revisions() {
    fn method<P: McpRequest>(_: &P) -> &'static str {
        P::METHOD
    }
    assert_eq!(method(&CallToolRequestParams::new("t")), "tools/call");
    const { assert!(CallToolRequestParams::MAY_REQUIRE_INPUT) };
    const { assert!(!ListToolsRequestParams::MAY_REQUIRE_INPUT) };
    assert!(PingRequestParams::is_defined_in(ProtocolVersion::V2024_11_05));
    assert!(!PingRequestParams::is_defined_in(ProtocolVersion::V2026_07_28));
    assert!(!DiscoverRequestParams::is_defined_in(ProtocolVersion::V2025_11_25));
    assert!(ElicitRequestParams::is_defined_in(ProtocolVersion::V2025_06_18));
    assert!(!ElicitRequestParams::is_defined_in(ProtocolVersion::V2025_03_26));
    assert!(!RootsListChangedNotificationParams::is_defined_in(ProtocolVersion::V2026_07_28));
    assert_eq!(
        <SubscriptionsAcknowledgedNotificationParams as McpNotification>::METHOD,
        "notifications/subscriptions/acknowledged"
    );
    // Params-less requests and notifications serialize as an empty object.
    assert_eq!(serde_json::to_string(&PingRequestParams::default()).unwrap(), "{}");
    assert_eq!(serde_json::to_string(&ListRootsRequestParams::default()).unwrap(), "{}");
    assert_eq!(serde_json::to_string(&ToolListChangedNotificationParams::default()).unwrap(), "{}");
    assert_eq!(
        serde_json::to_string(&EmptyResult::complete()).unwrap(),
        r#"{"resultType":"complete"}"#
    );
    let _: String = ListToolsRequestParams::after("c").cursor.unwrap();
}
