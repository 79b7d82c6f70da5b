//! Every example instance the spec ships (`shared/spec/*/examples/<Type>/*.json`) must parse
//! into this crate's model and serialize back to the same JSON.
//!
//! The folder name is the schema type the file instantiates. Each type is mapped below to how
//! it is checked: full JSON-RPC messages go through the real decoder
//! (`jsonrpc::decode_message`), a typed parse of their params, result or error data, and the
//! real encoder (`Message::to_bytes`); plain types go through serde. Either way the output,
//! parsed as a `serde_json::Value`, must equal the input. A folder with no mapping fails the
//! test, so no file is skipped silently.

mod support;

use std::collections::BTreeMap;

use bytes::Bytes;
use mcp_sansio::jsonrpc::{
    ErrorCode, ErrorObject, ErrorResponse, Message, Notification, RawJson, Request, Response,
    decode_message,
};
use mcp_sansio::types::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// How many example files each revision folder holds (the spec snapshot of 2026-08-22).
const EXPECTED_COUNTS: [(&str, usize); 2] = [("2026-07-28", 129), ("draft", 129)];

/// Members some examples carry that their type does not define, by type: they are removed
/// from the expected value (and only they), each with the reason.
///
/// - `ListRootsRequest`: in 2026-07-28 a roots request is an MRTR input request,
///   `{method, params?}` with no JSON-RPC envelope; the example still carries the `id` of the
///   legacy JSON-RPC request (and no `jsonrpc`).
const STRAY_MEMBERS: &[(&str, &str)] = &[("ListRootsRequest", "id")];

type Checked = Result<Value, String>;

fn to_value<T: Serialize>(v: &T) -> Checked {
    serde_json::to_value(v).map_err(|e| format!("serialize: {e}"))
}

/// A plain type: parse, serialize.
fn plain<T: Serialize + DeserializeOwned>(text: &str) -> Checked {
    let typed: T = serde_json::from_str(text).map_err(|e| format!("parse: {e}"))?;
    to_value(&typed)
}

/// A member of a union: parse as the union, check the variant, serialize the union.
fn member<T: Serialize + DeserializeOwned>(text: &str, is: fn(&T) -> bool, name: &str) -> Checked {
    let typed: T = serde_json::from_str(text).map_err(|e| format!("parse: {e}"))?;
    if !is(&typed) {
        return Err(format!("parsed as another member of the union than {name}"));
    }
    to_value(&typed)
}

fn decode(text: &str) -> Result<Message, String> {
    decode_message(Bytes::copy_from_slice(text.as_bytes())).map_err(|e| format!("decode: {e}"))
}

fn encoded(message: &Message) -> Checked {
    serde_json::from_slice(&message.to_bytes()).map_err(|e| format!("re-decode: {e}"))
}

fn reparse<T: Serialize + DeserializeOwned>(raw: Option<&RawJson>) -> Result<RawJson, String> {
    // Absent params are `{}` to the typed layer (a request "without params" must be accepted).
    let typed: T = match raw {
        Some(raw) => raw.parse_owned().map_err(|e| format!("parse: {e}"))?,
        None => serde_json::from_str("{}").map_err(|e| format!("parse absent params: {e}"))?,
    };
    RawJson::from_serialize(&typed).map_err(|e| format!("serialize: {e}"))
}

/// A full JSON-RPC request whose params are `P`.
fn request<P: McpRequest>(text: &str) -> Checked {
    let Message::Request(r) = decode(text)? else { return Err("not a request".into()) };
    if r.method != P::METHOD {
        return Err(format!("method {} is not {}", r.method, P::METHOD));
    }
    let params = reparse::<P>(r.params.as_ref())?;
    let params = r.params.is_some().then_some(params);
    encoded(&Message::Request(Request { id: r.id, method: r.method, params }))
}

/// A full JSON-RPC notification whose params are `P`.
fn notification<P: McpNotification>(text: &str) -> Checked {
    let Message::Notification(n) = decode(text)? else { return Err("not a notification".into()) };
    if n.method != P::METHOD {
        return Err(format!("method {} is not {}", n.method, P::METHOD));
    }
    let params = reparse::<P>(n.params.as_ref())?;
    let params = n.params.is_some().then_some(params);
    encoded(&Message::Notification(Notification { method: n.method, params }))
}

/// A full JSON-RPC response to a `P` request. Where `P` may require input, the result is
/// `P::Result | InputRequiredResult`.
fn response<P: McpRequest>(text: &str) -> Checked {
    let Message::Response(r) = decode(text)? else { return Err("not a result response".into()) };
    let result = if P::MAY_REQUIRE_INPUT {
        reparse::<MaybeInputRequired<P::Result>>(Some(&r.result))?
    } else {
        reparse::<P::Result>(Some(&r.result))?
    };
    encoded(&Message::Response(Response { id: r.id, result }))
}

/// A full JSON-RPC error response carrying `D` as data.
fn error_response<D: ErrorData>(text: &str) -> Checked {
    let Message::Error(e) = decode(text)? else { return Err("not an error response".into()) };
    let data = match D::from_error(&e.error) {
        Some(Ok(data)) => data,
        Some(Err(err)) => return Err(format!("data: {err}")),
        None => return Err(format!("code {} or data is not that of the type", e.error.code)),
    };
    let error = data.into_error(e.error.message.clone());
    encoded(&Message::Error(ErrorResponse { id: e.id, error }))
}

/// A full JSON-RPC error response with `code` and no typed data.
fn coded_error_response(text: &str, code: ErrorCode) -> Checked {
    let Message::Error(e) = decode(text)? else { return Err("not an error response".into()) };
    if e.error.code != code {
        return Err(format!("code {} is not {code}", e.error.code));
    }
    encoded(&Message::Error(e))
}

/// A bare error object with `code`.
fn error_object(text: &str, code: ErrorCode) -> Checked {
    let e: ErrorObject = serde_json::from_str(text).map_err(|e| format!("parse: {e}"))?;
    if e.code != code {
        return Err(format!("code {} is not {code}", e.code));
    }
    to_value(&e)
}

/// An MRTR input request (`{method, params}`, no envelope) whose params are `P`.
fn input_request<P: McpRequest>(text: &str) -> Checked {
    let r: InputRequest = serde_json::from_str(text).map_err(|e| format!("parse: {e}"))?;
    if r.method() != P::METHOD {
        return Err(format!("method {} is not {}", r.method(), P::METHOD));
    }
    to_value(&r)
}

/// Checks one example of type `type_name`; returns the re-serialized value.
fn check(type_name: &str, text: &str) -> Checked {
    use ContentBlock as C;
    use PrimitiveSchemaDefinition as S;
    use SamplingMessageContentBlock as Sm;
    match type_name {
        // Content.
        "TextContent" => member::<C>(text, |c| matches!(c, C::Text(_)), type_name),
        "ImageContent" => member::<C>(text, |c| matches!(c, C::Image(_)), type_name),
        "AudioContent" => member::<C>(text, |c| matches!(c, C::Audio(_)), type_name),
        "ResourceLink" => member::<C>(text, |c| matches!(c, C::ResourceLink(_)), type_name),
        "EmbeddedResource" => member::<C>(text, |c| matches!(c, C::Resource(_)), type_name),
        "ToolUseContent" => member::<Sm>(text, |c| matches!(c, Sm::ToolUse(_)), type_name),
        "ToolResultContent" => member::<Sm>(text, |c| matches!(c, Sm::ToolResult(_)), type_name),
        "TextResourceContents" => {
            member::<ResourceContents>(text, |c| matches!(c, ResourceContents::Text(_)), type_name)
        }
        "BlobResourceContents" => {
            member::<ResourceContents>(text, |c| matches!(c, ResourceContents::Blob(_)), type_name)
        }
        "Resource" => plain::<Resource>(text),
        "Root" => plain::<Root>(text),
        "Tool" => plain::<Tool>(text),
        "SamplingMessage" => plain::<SamplingMessage>(text),
        "ModelPreferences" => plain::<ModelPreferences>(text),
        "ClientCapabilities" => plain::<ClientCapabilities>(text),
        "ServerCapabilities" => plain::<ServerCapabilities>(text),

        // Elicitation form fields.
        "StringSchema" => member::<S>(text, |s| matches!(s, S::String(_)), type_name),
        "NumberSchema" => {
            member::<S>(text, |s| matches!(s, S::Number(_) | S::Integer(_)), type_name)
        }
        "BooleanSchema" => member::<S>(text, |s| matches!(s, S::Boolean(_)), type_name),
        "UntitledSingleSelectEnumSchema" => {
            member::<S>(text, |s| matches!(s, S::UntitledSingleSelectEnum(_)), type_name)
        }
        "TitledSingleSelectEnumSchema" => {
            member::<S>(text, |s| matches!(s, S::TitledSingleSelectEnum(_)), type_name)
        }
        "UntitledMultiSelectEnumSchema" => {
            member::<S>(text, |s| matches!(s, S::UntitledMultiSelectEnum(_)), type_name)
        }
        "TitledMultiSelectEnumSchema" => {
            member::<S>(text, |s| matches!(s, S::TitledMultiSelectEnum(_)), type_name)
        }

        // Params.
        "PaginatedRequestParams" => plain::<PaginatedRequestParams>(text),
        "CallToolRequestParams" => plain::<CallToolRequestParams>(text),
        "GetPromptRequestParams" => plain::<GetPromptRequestParams>(text),
        "CompleteRequestParams" => plain::<CompleteRequestParams>(text),
        "CreateMessageRequestParams" => plain::<CreateMessageRequestParams>(text),
        "ElicitRequestFormParams" => member::<ElicitRequestParams>(
            text,
            |p| matches!(p, ElicitRequestParams::Form(_)),
            type_name,
        ),
        "ElicitRequestURLParams" => plain::<ElicitRequestURLParams>(text),
        "CancelledNotificationParams" => plain::<CancelledNotificationParams>(text),
        "ProgressNotificationParams" => plain::<ProgressNotificationParams>(text),
        "LoggingMessageNotificationParams" => plain::<LoggingMessageNotificationParams>(text),
        "ResourceUpdatedNotificationParams" => plain::<ResourceUpdatedNotificationParams>(text),

        // Results.
        "CallToolResult" => plain::<CallToolResult>(text),
        "CompleteResult" => plain::<CompleteResult>(text),
        "CreateMessageResult" => plain::<CreateMessageResult>(text),
        "DiscoverResult" => plain::<DiscoverResult>(text),
        "ElicitResult" => plain::<ElicitResult>(text),
        "GetPromptResult" => plain::<GetPromptResult>(text),
        "ListPromptsResult" => plain::<ListPromptsResult>(text),
        "ListResourceTemplatesResult" => plain::<ListResourceTemplatesResult>(text),
        "ListResourcesResult" => plain::<ListResourcesResult>(text),
        "ListRootsResult" => plain::<ListRootsResult>(text),
        "ListToolsResult" => plain::<ListToolsResult>(text),
        "ReadResourceResult" => plain::<ReadResourceResult>(text),
        "SubscriptionsListenResult" => plain::<SubscriptionsListenResult>(text),

        // MRTR.
        "InputRequiredResult" => plain::<InputRequiredResult>(text),
        "InputRequests" => plain::<InputRequests>(text),
        "InputResponses" => plain::<InputResponses>(text),
        "CreateMessageRequest" => input_request::<CreateMessageRequestParams>(text),
        "ElicitRequest" => input_request::<ElicitRequestParams>(text),
        "ListRootsRequest" => input_request::<ListRootsRequestParams>(text),

        // JSON-RPC requests.
        "CallToolRequest" => request::<CallToolRequestParams>(text),
        "CompleteRequest" => request::<CompleteRequestParams>(text),
        "DiscoverRequest" => request::<DiscoverRequestParams>(text),
        "GetPromptRequest" => request::<GetPromptRequestParams>(text),
        "ListPromptsRequest" => request::<ListPromptsRequestParams>(text),
        "ListResourceTemplatesRequest" => request::<ListResourceTemplatesRequestParams>(text),
        "ListResourcesRequest" => request::<ListResourcesRequestParams>(text),
        "ListToolsRequest" => request::<ListToolsRequestParams>(text),
        "ReadResourceRequest" => request::<ReadResourceRequestParams>(text),
        "SubscriptionsListenRequest" => request::<SubscriptionsListenRequestParams>(text),

        // JSON-RPC result responses.
        "CallToolResultResponse" => response::<CallToolRequestParams>(text),
        "CompleteResultResponse" => response::<CompleteRequestParams>(text),
        "DiscoverResultResponse" => response::<DiscoverRequestParams>(text),
        "GetPromptResultResponse" => response::<GetPromptRequestParams>(text),
        "ListPromptsResultResponse" => response::<ListPromptsRequestParams>(text),
        "ListResourceTemplatesResultResponse" => {
            response::<ListResourceTemplatesRequestParams>(text)
        }
        "ListResourcesResultResponse" => response::<ListResourcesRequestParams>(text),
        "ListToolsResultResponse" => response::<ListToolsRequestParams>(text),
        "ReadResourceResultResponse" => response::<ReadResourceRequestParams>(text),
        "SubscriptionsListenResultResponse" => response::<SubscriptionsListenRequestParams>(text),

        // JSON-RPC notifications.
        "CancelledNotification" => notification::<CancelledNotificationParams>(text),
        "LoggingMessageNotification" => notification::<LoggingMessageNotificationParams>(text),
        "ProgressNotification" => notification::<ProgressNotificationParams>(text),
        "PromptListChangedNotification" => {
            notification::<PromptListChangedNotificationParams>(text)
        }
        "ResourceListChangedNotification" => {
            notification::<ResourceListChangedNotificationParams>(text)
        }
        "ResourceUpdatedNotification" => notification::<ResourceUpdatedNotificationParams>(text),
        "SubscriptionsAcknowledgedNotification" => {
            notification::<SubscriptionsAcknowledgedNotificationParams>(text)
        }
        "ToolListChangedNotification" => notification::<ToolListChangedNotificationParams>(text),

        // Errors: full error responses, and bare error objects.
        "UnsupportedProtocolVersionError" => error_response::<UnsupportedProtocolVersionData>(text),
        "MissingRequiredClientCapabilityError" => {
            error_response::<MissingRequiredClientCapabilityData>(text)
        }
        "URLElicitationRequiredError" => error_response::<UrlElicitationRequiredData>(text),
        "HeaderMismatchError" => coded_error_response(text, ErrorCode::HEADER_MISMATCH),
        "ParseError" => error_object(text, ErrorCode::PARSE_ERROR),
        "InvalidRequestError" => error_object(text, ErrorCode::INVALID_REQUEST),
        "MethodNotFoundError" => error_object(text, ErrorCode::METHOD_NOT_FOUND),
        "InvalidParamsError" => error_object(text, ErrorCode::INVALID_PARAMS),
        "InternalError" => error_object(text, ErrorCode::INTERNAL_ERROR),

        other => Err(format!("no mapping for example type {other}: add one to `check`")),
    }
}

#[test]
fn every_spec_example_round_trips() {
    let examples = support::spec::examples();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for example in &examples {
        *counts.entry(example.revision.as_str()).or_default() += 1;
        let mut expected: Value = serde_json::from_str(&example.text)
            .unwrap_or_else(|e| panic!("{}: not JSON: {e}", example.path.display()));
        for (type_name, key) in STRAY_MEMBERS {
            if *type_name == example.type_name {
                expected.as_object_mut().and_then(|o| o.remove(*key));
            }
        }
        match check(&example.type_name, &example.text) {
            Ok(actual) if actual == expected => {}
            Ok(actual) => failures.push(format!(
                "{}: differs after the round trip\n  expected: {expected}\n  actual:   {actual}",
                example.path.display()
            )),
            Err(e) => failures.push(format!("{}: {e}", example.path.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples failed:\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n")
    );
    for (revision, expected) in EXPECTED_COUNTS {
        assert_eq!(counts.get(revision).copied(), Some(expected), "example files in {revision}");
    }
    eprintln!("{} spec examples round-tripped: {counts:?}", examples.len());
}

#[test]
fn typed_methods_match_the_method_names_of_the_examples() {
    // Every message example's method is the METHOD of the params type `check` maps it to.
    let mut seen = 0;
    for example in support::spec::examples() {
        let value: Value = serde_json::from_str(&example.text).unwrap();
        let Some(method) = value.get("method").and_then(Value::as_str) else { continue };
        let expected = match example.type_name.as_str() {
            "CallToolRequest" => CallToolRequestParams::METHOD,
            "CompleteRequest" => CompleteRequestParams::METHOD,
            "DiscoverRequest" => DiscoverRequestParams::METHOD,
            "GetPromptRequest" => GetPromptRequestParams::METHOD,
            "ListPromptsRequest" => ListPromptsRequestParams::METHOD,
            "ListResourceTemplatesRequest" => ListResourceTemplatesRequestParams::METHOD,
            "ListResourcesRequest" => ListResourcesRequestParams::METHOD,
            "ListToolsRequest" => ListToolsRequestParams::METHOD,
            "ReadResourceRequest" => ReadResourceRequestParams::METHOD,
            "SubscriptionsListenRequest" => SubscriptionsListenRequestParams::METHOD,
            "CreateMessageRequest" => CreateMessageRequestParams::METHOD,
            "ElicitRequest" => ElicitRequestParams::METHOD,
            "ListRootsRequest" => ListRootsRequestParams::METHOD,
            "CancelledNotification" => CancelledNotificationParams::METHOD,
            "LoggingMessageNotification" => LoggingMessageNotificationParams::METHOD,
            "ProgressNotification" => ProgressNotificationParams::METHOD,
            "PromptListChangedNotification" => PromptListChangedNotificationParams::METHOD,
            "ResourceListChangedNotification" => ResourceListChangedNotificationParams::METHOD,
            "ResourceUpdatedNotification" => ResourceUpdatedNotificationParams::METHOD,
            "SubscriptionsAcknowledgedNotification" => {
                SubscriptionsAcknowledgedNotificationParams::METHOD
            }
            "ToolListChangedNotification" => ToolListChangedNotificationParams::METHOD,
            other => panic!("{}: a {other} with a method, unmapped here", example.path.display()),
        };
        assert_eq!(method, expected, "{}", example.path.display());
        seen += 1;
    }
    assert!(seen > 0, "no message examples found");
}
