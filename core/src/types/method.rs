//! The typed-method layer: each request's params type knows its method name and result type,
//! and each notification's params type knows its method name, so higher layers can write
//! `client.request(CallToolRequestParams::new("x"))` and get a `CallToolResult` back.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::*;
use crate::methods;
use crate::version::ProtocolVersion;

/// The params type of an MCP request.
pub trait McpRequest: Serialize + DeserializeOwned {
    /// The JSON-RPC method.
    const METHOD: &'static str;
    /// The type of the result.
    ///
    /// Where [`McpRequest::MAY_REQUIRE_INPUT`] is set, a 2026-07-28 server may answer with an
    /// [`InputRequiredResult`] instead: look at the `resultType` first (see
    /// [`ResultType::of_result`] and [`MaybeInputRequired`]). In 2025-11-25, a
    /// task-augmented request is answered with a [`CreateTaskResult`].
    type Result: Serialize + DeserializeOwned;
    /// The first revision with this method.
    const SINCE: ProtocolVersion;
    /// The last revision in which it is a JSON-RPC request; `None` if it still is.
    const UNTIL: Option<ProtocolVersion>;
    /// Whether a 2026-07-28 server may answer with an [`InputRequiredResult`].
    const MAY_REQUIRE_INPUT: bool = false;

    /// Whether `version` defines this method as a JSON-RPC request.
    fn is_defined_in(version: ProtocolVersion) -> bool {
        version >= Self::SINCE && Self::UNTIL.is_none_or(|until| version <= until)
    }
}

/// The params type of an MCP notification.
pub trait McpNotification: Serialize + DeserializeOwned {
    /// The JSON-RPC method.
    const METHOD: &'static str;
    /// The first revision with this notification.
    const SINCE: ProtocolVersion;
    /// The last revision that has it; `None` if the latest still does.
    const UNTIL: Option<ProtocolVersion>;

    /// Whether `version` defines this notification.
    fn is_defined_in(version: ProtocolVersion) -> bool {
        version >= Self::SINCE && Self::UNTIL.is_none_or(|until| version <= until)
    }
}

use ProtocolVersion::{V2024_11_05, V2025_06_18, V2025_11_25, V2026_07_28};

macro_rules! requests {
    ($($params:ty => $result:ty, $method:expr, $since:expr, $until:expr $(, $mrtr:ident)?;)*) => {$(
        impl McpRequest for $params {
            const METHOD: &'static str = $method;
            type Result = $result;
            const SINCE: ProtocolVersion = $since;
            const UNTIL: Option<ProtocolVersion> = $until;
            $(const MAY_REQUIRE_INPUT: bool = requests!(@$mrtr);)?
        }
    )*};
    (@input) => { true };
}

requests! {
    InitializeRequestParams => InitializeResult, methods::INITIALIZE, V2024_11_05, Some(V2025_11_25);
    PingRequestParams => EmptyResult, methods::PING, V2024_11_05, Some(V2025_11_25);
    DiscoverRequestParams => DiscoverResult, methods::SERVER_DISCOVER, V2026_07_28, None;
    ListToolsRequestParams => ListToolsResult, methods::TOOLS_LIST, V2024_11_05, None;
    CallToolRequestParams => CallToolResult, methods::TOOLS_CALL, V2024_11_05, None, input;
    ListResourcesRequestParams => ListResourcesResult, methods::RESOURCES_LIST, V2024_11_05, None;
    ListResourceTemplatesRequestParams => ListResourceTemplatesResult,
        methods::RESOURCES_TEMPLATES_LIST, V2024_11_05, None;
    ReadResourceRequestParams => ReadResourceResult, methods::RESOURCES_READ, V2024_11_05, None,
        input;
    SubscribeRequestParams => EmptyResult, methods::RESOURCES_SUBSCRIBE, V2024_11_05,
        Some(V2025_11_25);
    UnsubscribeRequestParams => EmptyResult, methods::RESOURCES_UNSUBSCRIBE, V2024_11_05,
        Some(V2025_11_25);
    ListPromptsRequestParams => ListPromptsResult, methods::PROMPTS_LIST, V2024_11_05, None;
    GetPromptRequestParams => GetPromptResult, methods::PROMPTS_GET, V2024_11_05, None, input;
    CompleteRequestParams => CompleteResult, methods::COMPLETION_COMPLETE, V2024_11_05, None;
    SetLevelRequestParams => EmptyResult, methods::LOGGING_SET_LEVEL, V2024_11_05,
        Some(V2025_11_25);
    SubscriptionsListenRequestParams => SubscriptionsListenResult, methods::SUBSCRIPTIONS_LISTEN,
        V2026_07_28, None;
    CreateMessageRequestParams => CreateMessageResult, methods::SAMPLING_CREATE_MESSAGE,
        V2024_11_05, Some(V2025_11_25);
    ElicitRequestParams => ElicitResult, methods::ELICITATION_CREATE, V2025_06_18,
        Some(V2025_11_25);
    ListRootsRequestParams => ListRootsResult, methods::ROOTS_LIST, V2024_11_05, Some(V2025_11_25);
    GetTaskRequestParams => GetTaskResult, methods::TASKS_GET, V2025_11_25, Some(V2025_11_25);
    GetTaskPayloadRequestParams => GetTaskPayloadResult, methods::TASKS_RESULT, V2025_11_25,
        Some(V2025_11_25);
    ListTasksRequestParams => ListTasksResult, methods::TASKS_LIST, V2025_11_25, Some(V2025_11_25);
    CancelTaskRequestParams => CancelTaskResult, methods::TASKS_CANCEL, V2025_11_25,
        Some(V2025_11_25);
}

macro_rules! notifications {
    ($($params:ty, $method:expr, $since:expr, $until:expr;)*) => {$(
        impl McpNotification for $params {
            const METHOD: &'static str = $method;
            const SINCE: ProtocolVersion = $since;
            const UNTIL: Option<ProtocolVersion> = $until;
        }
    )*};
}

notifications! {
    InitializedNotificationParams, methods::INITIALIZED, V2024_11_05, Some(V2025_11_25);
    CancelledNotificationParams, methods::CANCELLED, V2024_11_05, None;
    ProgressNotificationParams, methods::PROGRESS, V2024_11_05, None;
    LoggingMessageNotificationParams, methods::MESSAGE, V2024_11_05, None;
    ResourceUpdatedNotificationParams, methods::RESOURCES_UPDATED, V2024_11_05, None;
    ResourceListChangedNotificationParams, methods::RESOURCES_LIST_CHANGED, V2024_11_05, None;
    ToolListChangedNotificationParams, methods::TOOLS_LIST_CHANGED, V2024_11_05, None;
    PromptListChangedNotificationParams, methods::PROMPTS_LIST_CHANGED, V2024_11_05, None;
    RootsListChangedNotificationParams, methods::ROOTS_LIST_CHANGED, V2024_11_05,
        Some(V2025_11_25);
    ElicitationCompleteNotificationParams, methods::ELICITATION_COMPLETE, V2025_11_25,
        Some(V2025_11_25);
    TaskStatusNotificationParams, methods::TASKS_STATUS, V2025_11_25, Some(V2025_11_25);
    SubscriptionsAcknowledgedNotificationParams, methods::SUBSCRIPTIONS_ACKNOWLEDGED,
        V2026_07_28, None;
}
