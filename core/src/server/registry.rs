//! What the server offers: tools, resources, resource templates, prompts and completions.
//! Changeable while the server runs; changes to a list mark it for a `list_changed`
//! notification.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::future::Future;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;

use super::completion::{self, CompleteFn, CompletionRequest};
use super::prompt::{self, IntoPromptResult, PromptEntry};
use super::resource::{self, IntoResourceContents, ReadFn, ResourceDef};
use super::tool::{self, IntoToolResult, ToolEntry};
use super::{Context, ToolDef, schema_object};
use crate::http::param_headers::ParamHeader;
use crate::jsonrpc::ErrorObject;
use crate::types::{Icon, Prompt, Resource, ResourceTemplate, Tool};
use crate::uri_template::UriTemplate;

pub(crate) struct ResourceEntry {
    pub resource: Resource,
    pub read: ReadFn,
}

pub(crate) struct TemplateEntry {
    pub template: ResourceTemplate,
    pub parsed: UriTemplate,
    pub read: ReadFn,
}

/// Which lists changed since the last notification.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changed {
    /// The tool list.
    pub tools: bool,
    /// The resource or resource-template list.
    pub resources: bool,
    /// The prompt list.
    pub prompts: bool,
}

/// What the server offers. See [`ServerBuilder`](super::ServerBuilder) for the typed ways to
/// add entries; a running server changes it through [`ServerHandle::update`](super::ServerHandle::update).
#[derive(Default)]
pub struct Registry {
    pub(crate) tools: Vec<ToolEntry>,
    pub(crate) resources: Vec<ResourceEntry>,
    pub(crate) templates: Vec<TemplateEntry>,
    pub(crate) prompts: Vec<PromptEntry>,
    /// Completion handlers keyed by ("prompt" | "resource", prompt name or template, argument).
    pub(crate) completions: BTreeMap<(&'static str, String, String), CompleteFn>,
    pub(crate) changed: Changed,
}

impl Registry {
    /// Which lists changed since the last call, clearing the marks.
    pub fn take_changes(&mut self) -> Changed {
        core::mem::take(&mut self.changed)
    }
}

impl core::fmt::Debug for Registry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Registry")
            .field("tools", &self.tools.iter().map(|t| &t.tool.name).collect::<Vec<_>>())
            .field("resources", &self.resources.iter().map(|r| &r.resource.uri).collect::<Vec<_>>())
            .field(
                "templates",
                &self.templates.iter().map(|t| &t.template.uri_template).collect::<Vec<_>>(),
            )
            .field("prompts", &self.prompts.iter().map(|p| &p.prompt.name).collect::<Vec<_>>())
            .finish()
    }
}

fn upsert<T>(list: &mut Vec<T>, entry: T, same: impl Fn(&T, &T) -> bool) {
    match list.iter_mut().find(|e| same(e, &entry)) {
        Some(existing) => *existing = entry,
        None => list.push(entry),
    }
}

impl Registry {
    /// Adds (or replaces) a tool whose arguments are `A` and whose result is `R`.
    pub fn add_tool<A, R, F, Fut>(&mut self, def: ToolDef, handler: F) -> Result<(), String>
    where
        A: DeserializeOwned + JsonSchema + Send + 'static,
        R: IntoToolResult,
        F: Fn(A, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = R> + Send + 'static,
    {
        tool::check_tool_name(&def.name)?;
        let input_schema = def.input_schema.clone().unwrap_or_else(schema_object::<A>);
        if !tool::is_object_schema(&input_schema) {
            return Err(alloc::format!(
                "tool {:?}: the input schema must have type \"object\"",
                def.name
            ));
        }
        let mut t = Tool::new(def.name, input_schema);
        t.title = def.title;
        t.description = def.description;
        t.annotations = def.annotations;
        t.icons = def.icons;
        t.output_schema = def.output_schema.or_else(R::output_schema);
        if let Some(schema) = &t.output_schema {
            // Before 2026-07-28 structured output must be an object; a server answers every era.
            if !tool::is_object_schema(schema) {
                return Err(alloc::format!(
                    "tool {:?}: the output schema must have type \"object\" (wrap the value in a struct)",
                    t.name
                ));
            }
        }
        upsert(&mut self.tools, ToolEntry::new(t, tool::erase(handler)), |a, b| {
            a.tool.name == b.tool.name
        });
        self.changed.tools = true;
        Ok(())
    }

    /// Removes a tool. Returns whether it existed.
    pub fn remove_tool(&mut self, name: &str) -> bool {
        let before = self.tools.len();
        self.tools.retain(|t| t.tool.name != name);
        let removed = self.tools.len() != before;
        self.changed.tools |= removed;
        removed
    }

    /// Adds (or replaces) a resource at a fixed URI.
    pub fn add_resource<R, F, Fut>(&mut self, def: ResourceDef, handler: F)
    where
        R: IntoResourceContents,
        F: Fn(Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, ErrorObject>> + Send + 'static,
    {
        let read = resource::erase(def.mime_type.clone(), move |_: serde::de::IgnoredAny, ctx| {
            handler(ctx)
        });
        upsert(&mut self.resources, ResourceEntry { resource: def.to_resource(), read }, |a, b| {
            a.resource.uri == b.resource.uri
        });
        self.changed.resources = true;
    }

    /// Adds (or replaces) a resource template (RFC 6570); the handler gets the template's
    /// variables deserialized as `A` (a struct of `String` fields, or a map).
    pub fn add_resource_template<A, R, F, Fut>(
        &mut self,
        def: ResourceDef,
        handler: F,
    ) -> Result<(), String>
    where
        A: DeserializeOwned + Send + 'static,
        R: IntoResourceContents,
        F: Fn(A, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, ErrorObject>> + Send + 'static,
    {
        let parsed = UriTemplate::parse(&def.uri)
            .map_err(|e| alloc::format!("template {:?}: {e}", def.uri))?;
        let template = ResourceTemplate {
            uri_template: def.uri.clone(),
            name: def.name.clone(),
            title: def.title.clone(),
            description: def.description.clone(),
            mime_type: def.mime_type.clone(),
            annotations: def.annotations.clone(),
            icons: def.icons.clone(),
            meta: None,
        };
        let read = resource::erase(def.mime_type.clone(), handler);
        upsert(&mut self.templates, TemplateEntry { template, parsed, read }, |a, b| {
            a.template.uri_template == b.template.uri_template
        });
        self.changed.resources = true;
        Ok(())
    }

    /// Removes a resource or template by URI. Returns whether it existed.
    pub fn remove_resource(&mut self, uri: &str) -> bool {
        let before = self.resources.len() + self.templates.len();
        self.resources.retain(|r| r.resource.uri != uri);
        self.templates.retain(|t| t.template.uri_template != uri);
        let removed = self.resources.len() + self.templates.len() != before;
        self.changed.resources |= removed;
        removed
    }

    /// Adds (or replaces) a prompt whose arguments are `A`.
    pub fn add_prompt<A, R, F, Fut>(&mut self, def: PromptDef, handler: F)
    where
        A: DeserializeOwned + JsonSchema + Send + 'static,
        R: IntoPromptResult,
        F: Fn(A, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, ErrorObject>> + Send + 'static,
    {
        let arguments = prompt::arguments_of::<A>();
        let p = Prompt {
            name: def.name.clone(),
            title: def.title,
            description: def.description,
            arguments: (!arguments.is_empty()).then_some(arguments),
            icons: def.icons,
            meta: None,
        };
        let handler = prompt::erase(def.name, handler);
        upsert(&mut self.prompts, PromptEntry { prompt: p, handler }, |a, b| {
            a.prompt.name == b.prompt.name
        });
        self.changed.prompts = true;
    }

    /// Removes a prompt. Returns whether it existed.
    pub fn remove_prompt(&mut self, name: &str) -> bool {
        let before = self.prompts.len();
        self.prompts.retain(|p| p.prompt.name != name);
        let removed = self.prompts.len() != before;
        self.changed.prompts |= removed;
        removed
    }

    /// Completes an argument of a prompt.
    pub fn complete_prompt_argument<F, Fut>(&mut self, prompt: &str, argument: &str, handler: F)
    where
        F: Fn(CompletionRequest, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Vec<String>> + Send + 'static,
    {
        self.completions.insert(
            ("prompt", prompt.to_string(), argument.to_string()),
            completion::erase(handler),
        );
    }

    /// Completes a variable of a resource template.
    pub fn complete_template_argument<F, Fut>(&mut self, template: &str, argument: &str, handler: F)
    where
        F: Fn(CompletionRequest, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Vec<String>> + Send + 'static,
    {
        self.completions.insert(
            ("resource", template.to_string(), argument.to_string()),
            completion::erase(handler),
        );
    }

    /// The tools, in registration order.
    pub fn tools(&self) -> impl Iterator<Item = &Tool> {
        self.tools.iter().map(|t| &t.tool)
    }

    /// The `x-mcp-header` arguments of tool `name`, if it exists.
    pub(crate) fn tool_header_args(&self, name: &str) -> Option<&[ParamHeader]> {
        self.tools.iter().find(|t| t.tool.name == name).map(|t| &*t.header_args)
    }

    /// The fixed resources, in registration order.
    pub fn resources(&self) -> impl Iterator<Item = &Resource> {
        self.resources.iter().map(|r| &r.resource)
    }

    /// The resource templates, in registration order.
    pub fn resource_templates(&self) -> impl Iterator<Item = &ResourceTemplate> {
        self.templates.iter().map(|t| &t.template)
    }

    /// The prompts, in registration order.
    pub fn prompts(&self) -> impl Iterator<Item = &Prompt> {
        self.prompts.iter().map(|p| &p.prompt)
    }
}

/// A prompt's description; its arguments come from the handler's argument type.
#[derive(Clone, Debug, Default)]
pub struct PromptDef {
    /// The prompt's name.
    pub name: String,
    /// A display name.
    pub title: Option<String>,
    /// What the prompt is for.
    pub description: Option<String>,
    /// Icons.
    pub icons: Option<Vec<Icon>>,
}

impl PromptDef {
    /// A prompt with a name and a description.
    pub fn new(name: impl Into<String>, description: impl Into<String>) -> Self {
        PromptDef { name: name.into(), description: Some(description.into()), ..Default::default() }
    }
}
