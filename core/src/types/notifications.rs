//! Notification params: cancellation, progress, list changes, resource updates and the
//! completion of a URL elicitation.

use alloc::string::String;

use serde::{Deserialize, Serialize};

use super::Meta;
use super::serde_util::{number, opt_number};
use crate::jsonrpc::{ProgressToken, RequestId};

/// Params of `notifications/cancelled`: the sender cancels a request it issued.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelledNotificationParams {
    /// The request to cancel. Required in every revision except 2025-11-25, which made it
    /// optional (task-augmented requests are cancelled with `tasks/cancel` instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<RequestId>,
    /// Why, for logs or the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Notification metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl CancelledNotificationParams {
    /// Cancels request `id`.
    pub fn new(id: RequestId) -> Self {
        CancelledNotificationParams { meta: None, request_id: Some(id), reason: None }
    }
}

/// Params of `notifications/progress`.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressNotificationParams {
    /// The `progressToken` of the request this reports on.
    pub progress_token: ProgressToken,
    /// The progress so far; increases with every notification.
    #[serde(serialize_with = "number")]
    pub progress: f64,
    /// The total, if known.
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "opt_number")]
    pub total: Option<f64>,
    /// A description of the progress (2025-03-26+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Notification metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// Params of `notifications/resources/updated`: a subscribed resource changed.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct ResourceUpdatedNotificationParams {
    /// The resource that changed (possibly a sub-resource of the one subscribed to).
    pub uri: String,
    /// Notification metadata (in 2026-07-28, the subscription id).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// Params of `notifications/elicitation/complete` (2025-11-25): a URL elicitation finished.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElicitationCompleteNotificationParams {
    /// The `elicitationId` of the finished elicitation.
    pub elicitation_id: String,
    /// Notification metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

macro_rules! meta_only_params {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        ///
        /// Serializes as `{}` unless it carries `_meta`.
        #[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
        pub struct $name {
            /// Notification metadata (in 2026-07-28, the subscription id).
            #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
            pub meta: Option<Meta>,
        }
    )*};
}

meta_only_params! {
    /// Params of `notifications/tools/list_changed`.
    ToolListChangedNotificationParams;
    /// Params of `notifications/prompts/list_changed`.
    PromptListChangedNotificationParams;
    /// Params of `notifications/resources/list_changed`.
    ResourceListChangedNotificationParams;
    /// Params of `notifications/roots/list_changed` (legacy, client → server).
    RootsListChangedNotificationParams;
}
