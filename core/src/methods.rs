//! The method names the MCP specification defines, across every revision.

use alloc::borrow::Cow;

use crate::jsonrpc::Method;

macro_rules! methods {
    ($($(#[$doc:meta])* $name:ident = $value:literal;)*) => {
        $($(#[$doc])* pub const $name: &str = $value;)*
        /// The static copy of `method` if it is one of the names above. A `match` on string
        /// literals compiles to a switch on the length and a few comparisons, not a scan.
        fn known(method: &str) -> Option<&'static str> {
            match method {
                $($value => Some($value),)*
                _ => None,
            }
        }
    };
}

methods! {
    /// `initialize` (legacy handshake, client → server).
    INITIALIZE = "initialize";
    /// `notifications/initialized` (legacy handshake, client → server).
    INITIALIZED = "notifications/initialized";
    /// `ping` (legacy, either direction).
    PING = "ping";
    /// `server/discover` (2026-07-28).
    SERVER_DISCOVER = "server/discover";
    /// `tools/list`.
    TOOLS_LIST = "tools/list";
    /// `tools/call`.
    TOOLS_CALL = "tools/call";
    /// `resources/list`.
    RESOURCES_LIST = "resources/list";
    /// `resources/templates/list`.
    RESOURCES_TEMPLATES_LIST = "resources/templates/list";
    /// `resources/read`.
    RESOURCES_READ = "resources/read";
    /// `resources/subscribe` (legacy).
    RESOURCES_SUBSCRIBE = "resources/subscribe";
    /// `resources/unsubscribe` (legacy).
    RESOURCES_UNSUBSCRIBE = "resources/unsubscribe";
    /// `prompts/list`.
    PROMPTS_LIST = "prompts/list";
    /// `prompts/get`.
    PROMPTS_GET = "prompts/get";
    /// `completion/complete`.
    COMPLETION_COMPLETE = "completion/complete";
    /// `logging/setLevel` (legacy).
    LOGGING_SET_LEVEL = "logging/setLevel";
    /// `subscriptions/listen` (2026-07-28).
    SUBSCRIPTIONS_LISTEN = "subscriptions/listen";
    /// `sampling/createMessage` (server → client).
    SAMPLING_CREATE_MESSAGE = "sampling/createMessage";
    /// `elicitation/create` (server → client).
    ELICITATION_CREATE = "elicitation/create";
    /// `roots/list` (server → client).
    ROOTS_LIST = "roots/list";
    /// `tasks/get`.
    TASKS_GET = "tasks/get";
    /// `tasks/result` (2025-11-25).
    TASKS_RESULT = "tasks/result";
    /// `tasks/list` (2025-11-25).
    TASKS_LIST = "tasks/list";
    /// `tasks/cancel`.
    TASKS_CANCEL = "tasks/cancel";
    /// `tasks/update` (2026-07-28 tasks extension).
    TASKS_UPDATE = "tasks/update";
    /// `notifications/cancelled`.
    CANCELLED = "notifications/cancelled";
    /// `notifications/progress`.
    PROGRESS = "notifications/progress";
    /// `notifications/message` (log messages, server → client).
    MESSAGE = "notifications/message";
    /// `notifications/resources/updated`.
    RESOURCES_UPDATED = "notifications/resources/updated";
    /// `notifications/resources/list_changed`.
    RESOURCES_LIST_CHANGED = "notifications/resources/list_changed";
    /// `notifications/tools/list_changed`.
    TOOLS_LIST_CHANGED = "notifications/tools/list_changed";
    /// `notifications/prompts/list_changed`.
    PROMPTS_LIST_CHANGED = "notifications/prompts/list_changed";
    /// `notifications/roots/list_changed` (legacy, client → server).
    ROOTS_LIST_CHANGED = "notifications/roots/list_changed";
    /// `notifications/elicitation/complete` (2025-11-25).
    ELICITATION_COMPLETE = "notifications/elicitation/complete";
    /// `notifications/tasks/status` (2025-11-25).
    TASKS_STATUS = "notifications/tasks/status";
    /// `notifications/tasks` (2026-07-28 tasks extension).
    TASKS_NOTIFICATION = "notifications/tasks";
    /// `notifications/subscriptions/acknowledged` (2026-07-28).
    SUBSCRIPTIONS_ACKNOWLEDGED = "notifications/subscriptions/acknowledged";
}

/// Interns a method name: names the spec defines come back borrowed from static strings.
pub(crate) fn intern(method: &str) -> Method {
    match known(method) {
        Some(m) => Cow::Borrowed(m),
        None => Cow::Owned(method.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_names_intern_to_static_strings() {
        assert!(matches!(intern(TOOLS_CALL), Cow::Borrowed(TOOLS_CALL)));
        assert!(matches!(intern(SUBSCRIPTIONS_ACKNOWLEDGED), Cow::Borrowed(_)));
        assert!(matches!(intern("tools/cal"), Cow::Owned(ref m) if m == "tools/cal"));
        assert!(matches!(intern("x/custom"), Cow::Owned(_)));
    }
}
