//! Prompts: typed arguments (their schema becomes the prompt's argument list), messages out.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::future::Future;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;

use super::{Context, schema_object};
use crate::driver::BoxFuture;
use crate::jsonrpc::{ErrorObject, RawJson};
use crate::types::{ContentBlock, GetPromptResult, Prompt, PromptArgument, PromptMessage, Role};

/// What a prompt handler returns.
pub trait IntoPromptResult: Send + 'static {
    /// The `prompts/get` result.
    fn into_prompt_result(self) -> GetPromptResult;
}

impl IntoPromptResult for GetPromptResult {
    fn into_prompt_result(self) -> GetPromptResult {
        self
    }
}

impl IntoPromptResult for Vec<PromptMessage> {
    fn into_prompt_result(self) -> GetPromptResult {
        GetPromptResult {
            result_type: None,
            description: None,
            messages: self,
            meta: None,
            extra: Default::default(),
        }
    }
}

/// One user message with this text.
impl IntoPromptResult for String {
    fn into_prompt_result(self) -> GetPromptResult {
        alloc::vec![PromptMessage { role: Role::User, content: ContentBlock::text(self) }]
            .into_prompt_result()
    }
}

pub(crate) type PromptFn = Arc<
    dyn Fn(RawJson, Context) -> BoxFuture<'static, Result<GetPromptResult, ErrorObject>>
        + Send
        + Sync,
>;

#[derive(Clone)]
pub(crate) struct PromptEntry {
    pub prompt: Prompt,
    pub handler: PromptFn,
}

/// The prompt's argument list, from the JSON Schema of its argument type: every property is
/// an argument, described by its doc comment, required unless optional.
pub(crate) fn arguments_of<A: JsonSchema>() -> Vec<PromptArgument> {
    let schema = schema_object::<A>();
    let required: Vec<String> = schema
        .get("required")
        .and_then(|r| r.as_array())
        .map(|r| r.iter().filter_map(|v| v.as_str().map(String::from)).collect())
        .unwrap_or_default();
    let Some(props) = schema.get("properties").and_then(|p| p.as_object()) else {
        return Vec::new();
    };
    props
        .iter()
        .map(|(name, p)| PromptArgument {
            name: name.clone(),
            title: p.get("title").and_then(|t| t.as_str()).map(String::from),
            description: p.get("description").and_then(|d| d.as_str()).map(String::from),
            required: Some(required.contains(name)),
        })
        .collect()
}

pub(crate) fn erase<A, R, F, Fut>(name: String, f: F) -> PromptFn
where
    A: DeserializeOwned + Send + 'static,
    R: IntoPromptResult,
    F: Fn(A, Context) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<R, ErrorObject>> + Send + 'static,
{
    let f = Arc::new(f);
    Arc::new(move |args: RawJson, ctx: Context| {
        let f = f.clone();
        let name = name.clone();
        Box::pin(async move {
            // A missing required argument or a wrong one is invalid params.
            let args: A = args
                .parse_owned()
                .map_err(|e| ErrorObject::invalid_params(alloc::format!("prompt {name}: {e}")))?;
            f(args, ctx).await.map(IntoPromptResult::into_prompt_result)
        }) as BoxFuture<'static, _>
    })
}
