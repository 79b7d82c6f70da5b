//! Completion of prompt and resource-template arguments.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::future::Future;

use super::Context;
use crate::driver::BoxFuture;
use crate::types::{CompleteResult, Completion};

/// The spec's cap on the values in one completion result.
const MAX_VALUES: usize = 100;

/// What a completion handler is asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionRequest {
    /// The argument being completed.
    pub argument: String,
    /// What the user typed so far.
    pub value: String,
    /// Arguments already resolved (2025-06-18 `context.arguments`).
    pub context: BTreeMap<String, String>,
}

pub(crate) type CompleteFn =
    Arc<dyn Fn(CompletionRequest, Context) -> BoxFuture<'static, Vec<String>> + Send + Sync>;

pub(crate) fn erase<F, Fut>(f: F) -> CompleteFn
where
    F: Fn(CompletionRequest, Context) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Vec<String>> + Send + 'static,
{
    let f = Arc::new(f);
    Arc::new(move |req, ctx| {
        let f = f.clone();
        Box::pin(async move { f(req, ctx).await }) as BoxFuture<'static, _>
    })
}

/// The result for `values`, cut to the spec's 100 with `total` and `hasMore` set.
pub(crate) fn result(mut values: Vec<String>) -> CompleteResult {
    let total = values.len();
    let has_more = total > MAX_VALUES;
    values.truncate(MAX_VALUES);
    CompleteResult {
        result_type: None,
        completion: Completion { values, total: Some(total as u64), has_more: Some(has_more) },
        meta: None,
        extra: Default::default(),
    }
}
