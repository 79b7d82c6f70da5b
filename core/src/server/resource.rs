//! Resources: fixed URIs and URI templates, read by async handlers.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::future::Future;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::Context;
use crate::driver::BoxFuture;
use crate::jsonrpc::{ErrorCode, ErrorObject, RawJson};
use crate::types::{
    Annotations, BlobResourceContents, Icon, ReadResourceResult, Resource, ResourceContents,
    ResourceNotFoundData, TextResourceContents,
};
use crate::version::Era;

/// What a resource handler returns: the contents of the URI that was read.
pub trait IntoResourceContents: Send + 'static {
    /// The contents, given the URI read and the resource's MIME type.
    fn into_contents(self, uri: &str, mime_type: Option<&str>) -> Vec<ResourceContents>;
}

impl IntoResourceContents for String {
    fn into_contents(self, uri: &str, mime_type: Option<&str>) -> Vec<ResourceContents> {
        alloc::vec![ResourceContents::Text(TextResourceContents {
            uri: uri.into(),
            mime_type: mime_type.map(String::from),
            text: self,
            meta: None,
        })]
    }
}

impl IntoResourceContents for &'static str {
    fn into_contents(self, uri: &str, mime_type: Option<&str>) -> Vec<ResourceContents> {
        String::from(self).into_contents(uri, mime_type)
    }
}

/// Binary resource contents (sent base64-encoded as `blob`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blob(pub Vec<u8>);

impl IntoResourceContents for Blob {
    fn into_contents(self, uri: &str, mime_type: Option<&str>) -> Vec<ResourceContents> {
        alloc::vec![ResourceContents::Blob(BlobResourceContents {
            uri: uri.into(),
            mime_type: mime_type.map(String::from),
            blob: STANDARD.encode(&self.0),
            meta: None,
        })]
    }
}

impl IntoResourceContents for ResourceContents {
    fn into_contents(self, _: &str, _: Option<&str>) -> Vec<ResourceContents> {
        alloc::vec![self]
    }
}

impl IntoResourceContents for Vec<ResourceContents> {
    fn into_contents(self, _: &str, _: Option<&str>) -> Vec<ResourceContents> {
        self
    }
}

/// What the client sees of a resource before reading it.
#[derive(Clone, Debug, Default)]
pub struct ResourceDef {
    /// The URI (for a template: the RFC 6570 template).
    pub uri: String,
    /// The programmatic name.
    pub name: String,
    /// A display name.
    pub title: Option<String>,
    /// What it holds.
    pub description: Option<String>,
    /// Its MIME type.
    pub mime_type: Option<String>,
    /// Its size in bytes, if known.
    pub size: Option<u64>,
    /// Audience, priority, last modification.
    pub annotations: Option<Annotations>,
    /// Icons.
    pub icons: Option<Vec<Icon>>,
}

impl ResourceDef {
    /// A resource with a URI (or template), a name and a MIME type.
    pub fn new(
        uri: impl Into<String>,
        name: impl Into<String>,
        mime_type: impl Into<String>,
    ) -> Self {
        ResourceDef {
            uri: uri.into(),
            name: name.into(),
            mime_type: Some(mime_type.into()),
            ..Default::default()
        }
    }

    /// Adds a description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    pub(crate) fn to_resource(&self) -> Resource {
        let mut r = Resource::new(self.uri.clone(), self.name.clone());
        r.title = self.title.clone();
        r.description = self.description.clone();
        r.mime_type = self.mime_type.clone();
        r.size = self.size;
        r.annotations = self.annotations.clone();
        r.icons = self.icons.clone();
        r
    }
}

/// A type-erased resource reader: the URI read, the template's variables (empty for a fixed
/// resource), the context.
pub(crate) type ReadFn = Arc<
    dyn Fn(
            String,
            RawJson,
            Context,
        ) -> BoxFuture<'static, Result<Vec<ResourceContents>, ErrorObject>>
        + Send
        + Sync,
>;

/// Builds a reader from a handler taking the template's variables as `A`.
pub(crate) fn erase<A, R, F, Fut>(mime_type: Option<String>, f: F) -> ReadFn
where
    A: serde::de::DeserializeOwned + Send + 'static,
    R: IntoResourceContents,
    F: Fn(A, Context) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<R, ErrorObject>> + Send + 'static,
{
    let f = Arc::new(f);
    Arc::new(move |uri: String, vars: RawJson, ctx: Context| {
        let f = f.clone();
        let mime = mime_type.clone();
        Box::pin(async move {
            let args: A = vars
                .parse_owned()
                .map_err(|e| ErrorObject::invalid_params(alloc::format!("{uri}: {e}")))?;
            let contents = f(args, ctx).await?.into_contents(&uri, mime.as_deref());
            if contents.is_empty() {
                // The spec forbids an empty `contents`.
                return Err(ErrorObject::internal_error(alloc::format!("{uri} has no contents")));
            }
            Ok(contents)
        }) as BoxFuture<'static, _>
    })
}

/// The error for a URI no resource or template serves: `-32002` up to 2025-11-25, `-32602`
/// from 2026-07-28, with the URI in `data`.
pub(crate) fn not_found(uri: &str, era: Era) -> ErrorObject {
    let code = match era {
        Era::Legacy => ErrorCode::RESOURCE_NOT_FOUND,
        Era::Stateless => ErrorCode::INVALID_PARAMS,
    };
    ErrorObject::new(code, "Resource not found")
        .with_data(RawJson::to_raw(&ResourceNotFoundData { uri: uri.into() }))
}

/// The `resources/read` result for `contents`.
pub(crate) fn read_result(contents: Vec<ResourceContents>, era: Era) -> ReadResourceResult {
    let stateless = era == Era::Stateless;
    ReadResourceResult {
        result_type: None,
        contents,
        // Handlers decide the contents on every read; clients must not cache them.
        ttl_ms: stateless.then_some(0),
        cache_scope: stateless.then_some(crate::types::CacheScope::Public),
        meta: None,
        extra: Default::default(),
    }
}
