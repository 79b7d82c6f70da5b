//! Message classification and deserialization: arbitrary bytes through the JSON-RPC decoder,
//! then the params and results of what decodes through the typed MCP model.
//!
//! Checks:
//!
//! - [`decode`] never panics; a single message re-encodes to JSON that decodes to the same
//!   message, and so does each message of a batch; [`decode_message`] agrees with [`decode`];
//! - a decode error's reply is a valid error message carrying the id that was read, and it is
//!   due for every request (a message with both `method` and `id`);
//! - the classification is consistent: requests and responses have ids, notifications do not;
//! - where the params of a known method (or a result, tried as every result type) deserialize
//!   into the typed model, what the model serializes deserializes again to the same value: the
//!   model accepts everything it writes;
//! - the encoded size is bounded by the input's.

use bytes::Bytes;
use mcp_sansio::jsonrpc::{Decoded, Message, decode, decode_message};
use mcp_sansio::types::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Runs the target on one input.
pub fn run(data: &[u8]) {
    let frame = Bytes::copy_from_slice(data);
    let decoded = decode(frame.clone());
    match (&decoded, decode_message(frame)) {
        (Ok(Decoded::Single(a)), Ok(b)) => assert_eq!(*a, b),
        (Ok(Decoded::Batch(_)), Err(e)) => assert!(e.reply_due),
        (Err(a), Err(b)) => assert_eq!(*a, b),
        (a, b) => panic!("decode and decode_message disagree: {a:?} / {b:?}"),
    }
    match decoded {
        Ok(Decoded::Single(msg)) => check_message(&msg, data.len()),
        Ok(Decoded::Batch(items)) => {
            assert!(!items.is_empty(), "an empty batch decoded");
            assert!(items.len() <= data.len(), "more batch items than bytes");
            for item in items {
                match item {
                    Ok(msg) => check_message(&msg, data.len()),
                    Err(e) => check_error_reply(&e, data.len()),
                }
            }
        }
        Err(e) => check_error_reply(&e, data.len()),
    }
}

fn check_message(msg: &Message, input_len: usize) {
    let bytes = msg.to_bytes();
    // The envelope is rewritten with fixed member names; the values never grow by more than
    // their escaping (a string of control characters at most sextuples, as `\u0000`).
    assert!(bytes.len() <= 6 * input_len + 64, "encoding grew out of proportion");
    let again = decode_message(bytes).expect("an encoded message decodes");
    assert_eq!(&again, msg, "a message did not round-trip");
    match msg {
        Message::Request(r) => typed_params(&r.method, r.params.as_ref().map(|p| p.as_str())),
        Message::Notification(n) => {
            assert!(msg.id().is_none());
            typed_params(&n.method, n.params.as_ref().map(|p| p.as_str()))
        }
        Message::Response(r) => typed_results(r.result.as_str()),
        Message::Error(_) => {}
    }
}

fn check_error_reply(e: &mcp_sansio::jsonrpc::DecodeError, input_len: usize) {
    let reply = Message::Error(e.to_error_response());
    let bytes = reply.to_bytes();
    assert!(bytes.len() <= 6 * input_len + 1024, "an error reply grew out of proportion");
    let again = decode_message(bytes).expect("an error reply decodes");
    assert_eq!(again, reply, "an error reply did not round-trip");
    assert_eq!(again.id(), e.id.as_ref());
}

/// Parses `params` as the typed params of `method`, if the model knows the method.
fn typed_params(method: &str, params: Option<&str>) {
    let Some(params) = params else { return };
    macro_rules! by_method {
        ($($ty:ty),* $(,)?) => {
            $(if method == <$ty>::METHOD { return round_trip::<$ty>(params); })*
        };
    }
    use mcp_sansio::types::{McpNotification as _, McpRequest as _};
    by_method!(
        InitializeRequestParams,
        PingRequestParams,
        DiscoverRequestParams,
        ListToolsRequestParams,
        CallToolRequestParams,
        ListResourcesRequestParams,
        ListResourceTemplatesRequestParams,
        ReadResourceRequestParams,
        SubscribeRequestParams,
        UnsubscribeRequestParams,
        ListPromptsRequestParams,
        GetPromptRequestParams,
        CompleteRequestParams,
        SetLevelRequestParams,
        SubscriptionsListenRequestParams,
        CreateMessageRequestParams,
        ElicitRequestParams,
        ListRootsRequestParams,
        GetTaskRequestParams,
        GetTaskPayloadRequestParams,
        ListTasksRequestParams,
        CancelTaskRequestParams,
        InitializedNotificationParams,
        CancelledNotificationParams,
        ProgressNotificationParams,
        LoggingMessageNotificationParams,
        ResourceUpdatedNotificationParams,
        ResourceListChangedNotificationParams,
        ToolListChangedNotificationParams,
        PromptListChangedNotificationParams,
        RootsListChangedNotificationParams,
        ElicitationCompleteNotificationParams,
        TaskStatusNotificationParams,
        SubscriptionsAcknowledgedNotificationParams,
    );
}

/// Parses `result` as every result type (a response does not say what it answers).
fn typed_results(result: &str) {
    round_trip::<InitializeResult>(result);
    round_trip::<EmptyResult>(result);
    round_trip::<DiscoverResult>(result);
    round_trip::<ListToolsResult>(result);
    round_trip::<CallToolResult>(result);
    round_trip::<ListResourcesResult>(result);
    round_trip::<ListResourceTemplatesResult>(result);
    round_trip::<ReadResourceResult>(result);
    round_trip::<ListPromptsResult>(result);
    round_trip::<GetPromptResult>(result);
    round_trip::<CompleteResult>(result);
    round_trip::<SubscriptionsListenResult>(result);
    round_trip::<CreateMessageResult>(result);
    round_trip::<ElicitResult>(result);
    round_trip::<ListRootsResult>(result);
    round_trip::<GetTaskResult>(result);
    round_trip::<GetTaskPayloadResult>(result);
    round_trip::<ListTasksResult>(result);
    round_trip::<CancelTaskResult>(result);
    round_trip::<CreateTaskResult>(result);
    round_trip::<InputRequiredResult>(result);
}

/// If `json` deserializes as `T`, what `T` serializes must deserialize again, to the same.
fn round_trip<T: Serialize + DeserializeOwned>(json: &str) {
    let Ok(value) = serde_json::from_str::<T>(json) else { return };
    let first = serde_json::to_string(&value).expect("a typed value serializes");
    let again: T = serde_json::from_str(&first).unwrap_or_else(|e| {
        panic!("{} does not accept its own output {first}: {e}", core::any::type_name::<T>())
    });
    let second = serde_json::to_string(&again).expect("a typed value serializes");
    let (a, b): (Value, Value) =
        (serde_json::from_str(&first).unwrap(), serde_json::from_str(&second).unwrap());
    assert!(
        same(&a, &b),
        "{} changed on a round trip:\n{first}\n{second}",
        core::any::type_name::<T>()
    );
}

/// JSON equality, with numbers compared as numbers (a float may come back one unit in the
/// last place off: serde_json's default float parsing is not exact).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            _ if x == y => true,
            (Some(x), Some(y)) => (x - y).abs() <= f64::EPSILON * x.abs().max(y.abs()) * 4.0,
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((kx, x), (ky, y))| kx == ky && same(x, y))
        }
        _ => a == b,
    }
}
