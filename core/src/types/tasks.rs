//! Tasks (2025-11-25, experimental): a request augmented with `task` returns a
//! [`CreateTaskResult`] at once, and its outcome is polled with `tasks/get` and fetched with
//! `tasks/result`.
//!
//! 2026-07-28 moved tasks out of the core into the `io.modelcontextprotocol/tasks`
//! extension, with a different shape; that extension is not modelled here.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{Cursor, JsonObject, Meta};

/// The state of a task. `working` and `input_required` may alternate; the other three are
/// terminal.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Being processed.
    Working,
    /// Waiting for input (e.g. elicitation or sampling).
    InputRequired,
    /// Finished; the result is available.
    Completed,
    /// Did not complete (including tool results with `isError`).
    Failed,
    /// Cancelled before completion.
    Cancelled,
}

impl TaskStatus {
    /// Whether the status is final.
    pub fn is_terminal(self) -> bool {
        matches!(self, TaskStatus::Completed | TaskStatus::Failed | TaskStatus::Cancelled)
    }
}

/// The `task` param that asks for a request to run as a task.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct TaskMetadata {
    /// How long to keep the task after creation, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u64>,
}

/// The value of `_meta["io.modelcontextprotocol/related-task"]`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelatedTaskMetadata {
    /// The task the message belongs to.
    pub task_id: String,
}

/// A task's state.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    /// The task's id.
    pub task_id: String,
    /// Its status.
    pub status: TaskStatus,
    /// A description of the status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
    /// When it was created (ISO 8601).
    pub created_at: String,
    /// When it last changed (ISO 8601).
    pub last_updated_at: String,
    /// How long it is kept after creation, in milliseconds; `null` for unlimited. Always
    /// serialized.
    pub ttl: Option<u64>,
    /// The suggested polling interval, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll_interval: Option<u64>,
}

/// The immediate result of a task-augmented request.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct CreateTaskResult {
    /// The new task.
    pub task: Task,
    /// Result metadata (may hold `io.modelcontextprotocol/model-immediate-response`).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Members this model does not know (results are open objects).
    #[serde(flatten)]
    pub extra: JsonObject,
}

macro_rules! task_id_params {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            /// The task.
            pub task_id: String,
        }
    )*};
}

task_id_params! {
    /// Params of `tasks/get`.
    GetTaskRequestParams;
    /// Params of `tasks/result`.
    GetTaskPayloadRequestParams;
    /// Params of `tasks/cancel`.
    CancelTaskRequestParams;
}

/// Result of `tasks/get` and `tasks/cancel`: the task's state.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct GetTaskResult {
    /// The task.
    #[serde(flatten)]
    pub task: Task,
    /// Result metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Members this model does not know (results are open objects).
    #[serde(flatten)]
    pub extra: JsonObject,
}

/// Result of `tasks/cancel`: the task's state, now `cancelled`.
pub type CancelTaskResult = GetTaskResult;

/// Result of `tasks/result`: exactly what the original request would have returned, with the
/// `related-task` `_meta`. Parse `extra` (or the whole value) as that request's result type.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct GetTaskPayloadResult {
    /// Result metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// The original request's result members.
    #[serde(flatten)]
    pub extra: JsonObject,
}

paginated_params! {
    /// Params of `tasks/list`.
    ListTasksRequestParams
}

/// Result of `tasks/list`.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListTasksResult {
    /// This page of tasks.
    pub tasks: Vec<Task>,
    /// Present if there may be more pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<Cursor>,
    /// Result metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Members this model does not know (results are open objects).
    #[serde(flatten)]
    pub extra: JsonObject,
}

/// Params of `notifications/tasks/status`: a task's new state.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct TaskStatusNotificationParams {
    /// The task.
    #[serde(flatten)]
    pub task: Task,
    /// Notification metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}
