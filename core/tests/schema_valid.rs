//! Serializations of values built from the Rust types, validated against the spec's JSON
//! Schemas (`shared/spec/<revision>/schema.json`) of every revision where they exist.
//!
//! Messages are encoded with the real encoder (`Message::to_bytes`) and checked with
//! `support::schema`, which also checks requests and notifications against the definition
//! for their method and results against the definition for their request's method.

mod support;

use std::borrow::Cow;
use std::collections::BTreeMap;

use mcp_sansio::ProtocolVersion::{self, V2024_11_05, V2025_03_26, V2025_06_18, V2025_11_25};
use mcp_sansio::jsonrpc::{
    ErrorCode, ErrorObject, ErrorResponse, Message, Notification, RawJson, Request, RequestId,
    Response,
};
use mcp_sansio::types::*;
use serde::Serialize;
use serde_json::{Value, json};
use support::schema;

/// The folders of the stateless revision (2026-07-28 and its identical `draft`).
const MODERN: [&str; 2] = ["2026-07-28", "draft"];

/// The legacy revisions.
const LEGACY: [ProtocolVersion; 4] = [V2024_11_05, V2025_03_26, V2025_06_18, V2025_11_25];

fn json_of(message: &Message) -> Value {
    serde_json::from_slice(&message.to_bytes()).expect("the encoder writes JSON")
}

fn obj(value: Value) -> JsonObject {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// A request message carrying `params`.
fn request<P: McpRequest>(id: i64, params: &P) -> Value {
    json_of(&Message::Request(Request {
        id: RequestId::Number(id),
        method: Cow::Borrowed(P::METHOD),
        params: Some(RawJson::to_raw(params)),
    }))
}

/// A notification message carrying `params`.
fn notification<P: McpNotification>(params: &P) -> Value {
    json_of(&Message::Notification(Notification {
        method: Cow::Borrowed(P::METHOD),
        params: Some(RawJson::to_raw(params)),
    }))
}

/// A result response carrying `result`.
fn response<R: Serialize>(id: i64, result: &R) -> Value {
    json_of(&Message::Response(Response {
        id: RequestId::Number(id),
        result: RawJson::to_raw(result),
    }))
}

/// An error response.
fn error(id: Option<i64>, error: ErrorObject) -> Value {
    json_of(&Message::Error(ErrorResponse { id: id.map(RequestId::Number), error }))
}

/// Checks a request and the response to it.
#[track_caller]
fn exchange<P: McpRequest>(rev: &str, params: &P, result: &P::Result) {
    schema::assert_message_valid(rev, &request(1, params));
    schema::assert_response_valid(rev, P::METHOD, &response(1, result));
}

fn at_least(rev: ProtocolVersion, since: ProtocolVersion) -> bool {
    rev >= since
}

/// The `_meta` every 2026-07-28 request carries.
fn modern_request_meta() -> Meta {
    let caps = ClientCapabilities {
        elicitation: Some(ElicitationCapability {
            form: Some(JsonObject::new()),
            url: Some(JsonObject::new()),
            ..Default::default()
        }),
        sampling: Some(SamplingCapability { tools: Some(JsonObject::new()), ..Default::default() }),
        extensions: Some(BTreeMap::from([(
            "io.modelcontextprotocol/ui".to_owned(),
            JsonObject::new(),
        )])),
        ..Default::default()
    };
    let mut meta = Meta::new();
    meta.set_protocol_version("2026-07-28")
        .set_client_info(&Implementation::new("client", "1.0.0"))
        .set_client_capabilities(&caps)
        .set_log_level(LoggingLevel::Info)
        .set_progress_token(&"p1".into());
    meta.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01");
    meta
}

/// The `_meta` of a 2026-07-28 result.
fn modern_result_meta() -> Meta {
    let mut meta = Meta::new();
    meta.set_server_info(&server_info(V2025_11_25));
    meta
}

fn icon() -> Icon {
    Icon {
        src: "https://example.com/icon.png".into(),
        mime_type: Some("image/png".into()),
        sizes: Some(vec!["48x48".into()]),
        theme: Some(IconTheme::Dark),
    }
}

/// An `Implementation` with every field the revision defines.
fn server_info(rev: ProtocolVersion) -> Implementation {
    let mut info = Implementation::new("server", "2.1.0");
    if at_least(rev, V2025_06_18) {
        info.title = Some("Server".into());
    }
    if at_least(rev, V2025_11_25) {
        info.description = Some("Serves things".into());
        info.website_url = Some("https://example.com".into());
        info.icons = Some(vec![icon()]);
    }
    info
}

fn client_capabilities(rev: ProtocolVersion) -> ClientCapabilities {
    let mut caps = ClientCapabilities {
        experimental: Some(BTreeMap::from([("x".to_owned(), obj(json!({"on": true})))])),
        roots: Some(RootsCapability { list_changed: Some(true), ..Default::default() }),
        sampling: Some(SamplingCapability::default()),
        ..Default::default()
    };
    if at_least(rev, V2025_06_18) {
        caps.elicitation = Some(ElicitationCapability::default());
    }
    if at_least(rev, V2025_11_25) {
        caps.sampling = Some(SamplingCapability {
            context: Some(JsonObject::new()),
            tools: Some(JsonObject::new()),
            ..Default::default()
        });
        caps.elicitation = Some(ElicitationCapability {
            form: Some(JsonObject::new()),
            url: Some(JsonObject::new()),
            ..Default::default()
        });
        caps.tasks = Some(ClientTasksCapability {
            list: Some(JsonObject::new()),
            cancel: Some(JsonObject::new()),
            requests: Some(ClientTaskRequests {
                sampling: Some(obj(json!({"createMessage": {}}))),
                elicitation: Some(obj(json!({"create": {}}))),
                ..Default::default()
            }),
            ..Default::default()
        });
    }
    caps
}

fn server_capabilities(rev: Option<ProtocolVersion>) -> ServerCapabilities {
    let mut caps = ServerCapabilities {
        logging: Some(JsonObject::new()),
        prompts: Some(PromptsCapability { list_changed: Some(true), ..Default::default() }),
        resources: Some(ResourcesCapability {
            subscribe: Some(true),
            list_changed: Some(true),
            ..Default::default()
        }),
        tools: Some(ToolsCapability { list_changed: Some(false), ..Default::default() }),
        ..Default::default()
    };
    match rev {
        Some(V2024_11_05) => {}
        Some(V2025_11_25) => {
            caps.completions = Some(JsonObject::new());
            caps.tasks = Some(ServerTasksCapability {
                list: Some(JsonObject::new()),
                cancel: Some(JsonObject::new()),
                requests: Some(ServerTaskRequests {
                    tools: Some(obj(json!({"call": {}}))),
                    ..Default::default()
                }),
                ..Default::default()
            });
        }
        Some(_) => caps.completions = Some(JsonObject::new()),
        None => {
            caps.completions = Some(JsonObject::new());
            caps.extensions = Some(BTreeMap::from([(
                "io.modelcontextprotocol/tasks".to_owned(),
                JsonObject::new(),
            )]));
        }
    }
    caps
}

/// The content blocks a revision defines.
fn content_blocks(rev: Option<ProtocolVersion>) -> Vec<ContentBlock> {
    let has = |since| rev.is_none_or(|r| r >= since);
    let annotations = Annotations {
        audience: Some(vec![Role::User, Role::Assistant]),
        priority: Some(0.5),
        last_modified: has(V2025_06_18).then(|| "2025-01-12T15:00:58Z".to_owned()),
    };
    let mut text = TextContent::new("hello");
    text.annotations = Some(annotations.clone());
    let mut blocks = vec![
        ContentBlock::Text(text),
        ContentBlock::Image(ImageContent {
            data: "iVBORw0KGgo=".into(),
            mime_type: "image/png".into(),
            annotations: Some(Annotations { priority: Some(1.0), ..Default::default() }),
            meta: None,
        }),
        ContentBlock::Resource(EmbeddedResource {
            resource: ResourceContents::Text(TextResourceContents {
                uri: "file:///a.txt".into(),
                mime_type: Some("text/plain".into()),
                text: "a".into(),
                meta: None,
            }),
            annotations: None,
            meta: None,
        }),
        ContentBlock::Resource(EmbeddedResource {
            resource: ResourceContents::Blob(BlobResourceContents {
                uri: "file:///b.bin".into(),
                mime_type: None,
                blob: "AAEC".into(),
                meta: None,
            }),
            annotations: Some(annotations),
            meta: None,
        }),
    ];
    if has(V2025_03_26) {
        blocks.push(ContentBlock::Audio(AudioContent {
            data: "UklGRg==".into(),
            mime_type: "audio/wav".into(),
            annotations: None,
            meta: None,
        }));
    }
    if has(V2025_06_18) {
        let mut resource = Resource::new("file:///c.rs", "c.rs");
        resource.title = Some("C".into());
        resource.size = Some(12);
        resource.meta = Some(Meta::new().with("com.example/k", &1));
        if has(V2025_11_25) {
            resource.icons = Some(vec![icon()]);
        }
        blocks.push(ContentBlock::ResourceLink(ResourceLink(resource)));
        for block in &mut blocks {
            if let ContentBlock::Text(t) = block {
                t.meta = Some(Meta::new().with("com.example/k", "v"));
            }
        }
    }
    blocks
}

fn tool(rev: Option<ProtocolVersion>) -> Tool {
    let has = |since| rev.is_none_or(|r| r >= since);
    let mut tool = Tool::new(
        "get_weather",
        obj(json!({
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        })),
    );
    tool.description = Some("Weather for a city".into());
    if has(V2025_03_26) {
        tool.annotations = Some(ToolAnnotations {
            title: Some("Weather".into()),
            read_only_hint: Some(true),
            open_world_hint: Some(true),
            ..Default::default()
        });
    }
    if has(V2025_06_18) {
        tool.title = Some("Weather".into());
        tool.output_schema = Some(obj(json!({
            "type": "object",
            "properties": {"temperature": {"type": "number"}},
        })));
    }
    if rev == Some(V2025_11_25) {
        tool.execution = Some(ToolExecution { task_support: Some(TaskSupport::Optional) });
    }
    if has(V2025_11_25) {
        tool.icons = Some(vec![icon()]);
    }
    tool
}

#[test]
fn the_helper_accepts_and_rejects() {
    // An empty result is fine in the legacy revisions, but a 2026 result needs a resultType.
    let bare = json!({"jsonrpc": "2.0", "id": 1, "result": {}});
    for rev in LEGACY {
        schema::assert_message_valid(rev, &bare);
    }
    for rev in MODERN {
        schema::assert_invalid(rev, "JSONRPCMessage", &bare);
        schema::assert_message_valid(rev, &response(1, &EmptyResult::complete()));
    }
    // Audio did not exist in 2024-11-05.
    let audio = json!({"content": [{"type": "audio", "data": "AA==", "mimeType": "audio/wav"}]});
    schema::assert_invalid(V2024_11_05, "CallToolResult", &audio);
    schema::assert_valid(V2025_03_26, "CallToolResult", &audio);
    schema::assert_invalid(V2025_11_25, "CallToolResult", &json!({"isError": true}));
    // ping is gone in 2026; server/discover is new.
    assert!(schema::request_definition(V2025_11_25, "ping").is_some());
    assert!(schema::request_definition("2026-07-28", "ping").is_none());
    assert!(schema::request_definition(V2025_11_25, "server/discover").is_none());
    assert_eq!(
        schema::request_definition("2026-07-28", "tools/call").as_deref(),
        Some("CallToolRequest")
    );
    // A 2026 request without its required _meta is not a valid request of its method.
    let no_meta = request(1, &ListToolsRequestParams::default());
    schema::assert_valid("2026-07-28", "JSONRPCMessage", &no_meta);
    schema::assert_invalid("2026-07-28", "ListToolsRequest", &no_meta);
    schema::assert_message_valid(V2025_11_25, &no_meta);
    // Definitions a revision lacks are reported as such.
    assert!(!schema::has_definition(V2024_11_05, "ResourceLink"));
    assert!(schema::has_definition("draft", "InputRequiredResult"));
}

#[test]
fn legacy_handshake_in_every_legacy_revision() {
    for rev in LEGACY {
        let r = rev.as_str();
        let params = InitializeRequestParams {
            meta: Some(Meta::new().with("progressToken", &1)),
            protocol_version: rev.as_str().into(),
            capabilities: client_capabilities(rev),
            client_info: Implementation { title: None, ..server_info(rev) },
        };
        let result = InitializeResult {
            meta: None,
            protocol_version: rev.as_str().into(),
            capabilities: server_capabilities(Some(rev)),
            server_info: server_info(rev),
            instructions: Some("Use get_weather.".into()),
            extra: JsonObject::new(),
        };
        exchange(r, &params, &result);
        schema::assert_valid(
            r,
            "ClientCapabilities",
            &serde_json::to_value(&params.capabilities).unwrap(),
        );
        schema::assert_valid(
            r,
            "ServerCapabilities",
            &serde_json::to_value(&result.capabilities).unwrap(),
        );
        schema::assert_valid(
            r,
            "Implementation",
            &serde_json::to_value(&result.server_info).unwrap(),
        );
        schema::assert_message_valid(r, &notification(&InitializedNotificationParams::default()));
        exchange(r, &PingRequestParams::default(), &EmptyResult::default());
        exchange(
            r,
            &SetLevelRequestParams { meta: None, level: LoggingLevel::Warning },
            &EmptyResult::default(),
        );
        let uri = "file:///project/README.md".to_owned();
        exchange(
            r,
            &SubscribeRequestParams { meta: None, uri: uri.clone() },
            &EmptyResult::default(),
        );
        exchange(r, &UnsubscribeRequestParams { meta: None, uri }, &EmptyResult::default());
    }
}

#[test]
fn discover_and_stateless_requests() {
    for rev in MODERN {
        let meta = modern_request_meta();
        schema::assert_valid(rev, "RequestMetaObject", &serde_json::to_value(&meta).unwrap());
        let discover = DiscoverResult {
            meta: Some(modern_result_meta()),
            result_type: Some(ResultType::Complete),
            supported_versions: vec!["2026-07-28".into(), "2025-11-25".into()],
            capabilities: server_capabilities(None),
            instructions: Some("Prefer get_weather.".into()),
            ttl_ms: Some(3_600_000),
            cache_scope: Some(CacheScope::Public),
            extra: JsonObject::new(),
        };
        exchange(rev, &DiscoverRequestParams { meta: Some(meta.clone()) }, &discover);
        schema::assert_valid(rev, "DiscoverResult", &serde_json::to_value(&discover).unwrap());

        let list = ListToolsResult {
            meta: Some(modern_result_meta()),
            result_type: Some(ResultType::Complete),
            tools: vec![tool(None)],
            next_cursor: Some("c2".into()),
            ttl_ms: Some(0),
            cache_scope: Some(CacheScope::Private),
            extra: JsonObject::new(),
        };
        let mut params = ListToolsRequestParams::after("c1");
        params.meta = Some(meta.clone());
        exchange(rev, &params, &list);

        let mut call =
            CallToolRequestParams::new("get_weather").with_arguments(obj(json!({"city": "Paris"})));
        call.meta = Some(meta.clone());
        let result = CallToolResult {
            meta: Some(modern_result_meta()),
            result_type: Some(ResultType::Complete),
            content: vec![ContentBlock::text("18°C")],
            structured_content: Some(json!([{"temperature": 18}])),
            is_error: Some(false),
            extra: JsonObject::new(),
        };
        exchange(rev, &call, &result);
        // An error result needs its resultType too.
        let failed = CallToolResult {
            result_type: Some(ResultType::Complete),
            ..CallToolResult::error(vec![ContentBlock::text("no such city")])
        };
        schema::assert_response_valid(rev, "tools/call", &response(2, &failed));
        schema::assert_invalid(rev, "CallToolResult", &json!({"content": []}));

        let mut read = ReadResourceRequestParams::new("file:///a.txt");
        read.meta = Some(meta.clone());
        let contents = ReadResourceResult {
            meta: None,
            result_type: Some(ResultType::Complete),
            contents: vec![
                ResourceContents::Text(TextResourceContents {
                    uri: "file:///a.txt".into(),
                    mime_type: Some("text/plain".into()),
                    text: "a".into(),
                    meta: None,
                }),
                ResourceContents::Blob(BlobResourceContents {
                    uri: "file:///a.bin".into(),
                    mime_type: None,
                    blob: "AA==".into(),
                    meta: Some(Meta::new().with("com.example/x", &true)),
                }),
            ],
            ttl_ms: Some(60_000),
            cache_scope: Some(CacheScope::Private),
            extra: JsonObject::new(),
        };
        exchange(rev, &read, &contents);

        let mut listen = SubscriptionsListenRequestParams {
            meta: Some(meta.clone()),
            notifications: SubscriptionFilter {
                tools_list_changed: Some(true),
                prompts_list_changed: Some(false),
                resources_list_changed: Some(true),
                resource_subscriptions: Some(vec!["file:///a.txt".into()]),
            },
        };
        let mut closed_meta = Meta::new();
        closed_meta.set_subscription_id(&RequestId::Number(1));
        let closed = SubscriptionsListenResult {
            meta: Some(closed_meta.clone()),
            result_type: Some(ResultType::Complete),
            extra: JsonObject::new(),
        };
        exchange(rev, &listen, &closed);
        listen.notifications.prompts_list_changed = None;
        schema::assert_message_valid(
            rev,
            &notification(&SubscriptionsAcknowledgedNotificationParams {
                meta: Some(closed_meta.clone()),
                notifications: listen.notifications.clone(),
            }),
        );
        for changed in [
            notification(&ToolListChangedNotificationParams { meta: Some(closed_meta.clone()) }),
            notification(&PromptListChangedNotificationParams::default()),
            notification(&ResourceListChangedNotificationParams {
                meta: Some(closed_meta.clone()),
            }),
            notification(&ResourceUpdatedNotificationParams {
                meta: Some(closed_meta.clone()),
                uri: "file:///a.txt".into(),
            }),
        ] {
            schema::assert_message_valid(rev, &changed);
        }
    }
}

#[test]
fn tool_results_with_every_content_type() {
    let revisions = LEGACY.iter().map(|r| (r.as_str(), Some(*r))).chain(MODERN.map(|r| (r, None)));
    for (rev, version) in revisions {
        let blocks = content_blocks(version);
        for block in &blocks {
            let value = serde_json::to_value(block).unwrap();
            if schema::has_definition(rev, "ContentBlock") {
                schema::assert_valid(rev, "ContentBlock", &value);
            }
            let definition = match block {
                ContentBlock::Text(_) => "TextContent",
                ContentBlock::Image(_) => "ImageContent",
                ContentBlock::Audio(_) => "AudioContent",
                ContentBlock::ResourceLink(_) => "ResourceLink",
                ContentBlock::Resource(_) => "EmbeddedResource",
            };
            schema::assert_valid(rev, definition, &value);
        }
        let mut result = CallToolResult::success(blocks);
        if version.is_none_or(|v| v >= V2025_06_18) {
            result.structured_content = Some(json!({"temperature": 18.5}));
        }
        if version.is_none() {
            result.result_type = Some(ResultType::Complete);
        }
        let mut params =
            CallToolRequestParams::new("get_weather").with_arguments(obj(json!({"city": "Paris"})));
        if version.is_none() {
            params.meta = Some(modern_request_meta());
        }
        exchange(rev, &params, &result);
        let mut failed = CallToolResult::error(vec![ContentBlock::text("boom")]);
        failed.result_type = result.result_type.clone();
        schema::assert_response_valid(rev, "tools/call", &response(3, &failed));

        // Prompts carry the same content blocks.
        let messages = content_blocks(version)
            .into_iter()
            .map(|content| PromptMessage { role: Role::Assistant, content })
            .collect();
        let prompt = GetPromptResult {
            meta: None,
            result_type: result.result_type.clone(),
            description: Some("A prompt".into()),
            messages,
            extra: JsonObject::new(),
        };
        let mut get = GetPromptRequestParams::new("review");
        get.arguments = Some(BTreeMap::from([("code".to_owned(), "x = 1".to_owned())]));
        get.meta = params.meta.clone();
        exchange(rev, &get, &prompt);
    }
}

#[test]
fn lists_and_completion_in_every_revision() {
    let revisions = LEGACY.iter().map(|r| (r.as_str(), Some(*r))).chain(MODERN.map(|r| (r, None)));
    for (rev, version) in revisions {
        let has = |since| version.is_none_or(|r| r >= since);
        let modern = version.is_none();
        let meta = modern.then(modern_request_meta);
        let result_type = modern.then_some(ResultType::Complete);
        let cache = |ttl| if modern { (Some(ttl), Some(CacheScope::Public)) } else { (None, None) };

        let (ttl_ms, cache_scope) = cache(300_000);
        let tools = ListToolsResult {
            meta: None,
            result_type: result_type.clone(),
            tools: vec![tool(version)],
            next_cursor: None,
            ttl_ms,
            cache_scope,
            extra: JsonObject::new(),
        };
        exchange(rev, &ListToolsRequestParams { meta: meta.clone(), cursor: None }, &tools);
        schema::assert_valid(rev, "Tool", &serde_json::to_value(tool(version)).unwrap());

        let mut resource = Resource::new("file:///r.md", "r.md");
        resource.description = Some("R".into());
        resource.mime_type = Some("text/markdown".into());
        resource.size = Some(1024);
        resource.annotations =
            Some(Annotations { audience: Some(vec![Role::User]), ..Default::default() });
        let mut template = ResourceTemplate {
            uri_template: "file:///{path}".into(),
            name: "files".into(),
            title: None,
            description: Some("Files".into()),
            mime_type: None,
            annotations: None,
            icons: None,
            meta: None,
        };
        if has(V2025_06_18) {
            resource.title = Some("R".into());
            template.title = Some("Files".into());
        }
        if has(V2025_11_25) {
            resource.icons = Some(vec![icon()]);
            template.icons = Some(vec![icon()]);
        }
        let (ttl_ms, cache_scope) = cache(1);
        exchange(
            rev,
            &ListResourcesRequestParams { meta: meta.clone(), cursor: Some(String::new()) },
            &ListResourcesResult {
                meta: None,
                result_type: result_type.clone(),
                resources: vec![resource],
                next_cursor: Some("next".into()),
                ttl_ms,
                cache_scope,
                extra: JsonObject::new(),
            },
        );
        exchange(
            rev,
            &ListResourceTemplatesRequestParams { meta: meta.clone(), cursor: None },
            &ListResourceTemplatesResult {
                meta: None,
                result_type: result_type.clone(),
                resource_templates: vec![template],
                next_cursor: None,
                ttl_ms,
                cache_scope,
                extra: JsonObject::new(),
            },
        );

        let mut prompt = Prompt {
            name: "review".into(),
            title: None,
            description: Some("Review code".into()),
            arguments: Some(vec![PromptArgument {
                name: "code".into(),
                title: None,
                description: Some("The code".into()),
                required: Some(true),
            }]),
            icons: None,
            meta: None,
        };
        if has(V2025_06_18) {
            prompt.title = Some("Review".into());
        }
        if has(V2025_11_25) {
            prompt.icons = Some(vec![icon()]);
        }
        exchange(
            rev,
            &ListPromptsRequestParams { meta: meta.clone(), cursor: None },
            &ListPromptsResult {
                meta: None,
                result_type: result_type.clone(),
                prompts: vec![prompt],
                next_cursor: None,
                ttl_ms,
                cache_scope,
                extra: JsonObject::new(),
            },
        );

        let references = [
            CompleteReference::Prompt(PromptReference { name: "review".into(), title: None }),
            CompleteReference::Resource(ResourceTemplateReference { uri: "file:///{path}".into() }),
        ];
        for reference in references {
            let params = CompleteRequestParams {
                meta: meta.clone(),
                reference,
                argument: CompleteArgument { name: "path".into(), value: "sr".into() },
                context: has(V2025_06_18).then(|| CompleteContext {
                    arguments: Some(BTreeMap::from([("lang".to_owned(), "rust".to_owned())])),
                }),
            };
            let result = CompleteResult {
                meta: None,
                result_type: result_type.clone(),
                completion: Completion {
                    values: vec!["src".into(), "src-tauri".into()],
                    total: Some(2),
                    has_more: Some(false),
                },
                extra: JsonObject::new(),
            };
            exchange(rev, &params, &result);
        }
    }
}

/// A form with a field of every kind the revision defines.
fn form(rev: Option<ProtocolVersion>) -> RequestedSchema {
    let titled = |value: &str| EnumOption { value: value.into(), title: value.to_uppercase() };
    let mut fields = BTreeMap::from([
        (
            "name".to_owned(),
            PrimitiveSchemaDefinition::String(StringSchema {
                title: Some("Name".into()),
                min_length: Some(1),
                max_length: Some(50),
                format: Some(StringFormat::Email),
                ..Default::default()
            }),
        ),
        (
            "age".to_owned(),
            PrimitiveSchemaDefinition::Integer(NumberSchema {
                minimum: Some(18.0),
                maximum: Some(130.0),
                ..Default::default()
            }),
        ),
        (
            "height".to_owned(),
            PrimitiveSchemaDefinition::Number(NumberSchema {
                description: Some("In meters".into()),
                minimum: Some(0.5),
                ..Default::default()
            }),
        ),
        (
            "subscribe".to_owned(),
            PrimitiveSchemaDefinition::Boolean(BooleanSchema {
                default: Some(false),
                ..Default::default()
            }),
        ),
        (
            "legacy".to_owned(),
            PrimitiveSchemaDefinition::LegacyTitledEnum(LegacyTitledEnumSchema {
                values: vec!["a".into(), "b".into()],
                enum_names: Some(vec!["A".into(), "B".into()]),
                ..Default::default()
            }),
        ),
    ]);
    if rev.is_none_or(|r| r >= V2025_11_25) {
        fields.extend([
            (
                "color".to_owned(),
                PrimitiveSchemaDefinition::UntitledSingleSelectEnum(
                    UntitledSingleSelectEnumSchema {
                        values: vec!["red".into(), "green".into()],
                        default: Some("red".into()),
                        ..Default::default()
                    },
                ),
            ),
            (
                "size".to_owned(),
                PrimitiveSchemaDefinition::TitledSingleSelectEnum(TitledSingleSelectEnumSchema {
                    one_of: vec![titled("s"), titled("m")],
                    default: Some("m".into()),
                    ..Default::default()
                }),
            ),
            (
                "tags".to_owned(),
                PrimitiveSchemaDefinition::UntitledMultiSelectEnum(UntitledMultiSelectEnumSchema {
                    min_items: Some(1),
                    items: UntitledEnumItems {
                        kind: StringType,
                        values: vec!["x".into(), "y".into()],
                    },
                    default: Some(vec!["x".into()]),
                    ..Default::default()
                }),
            ),
            (
                "toppings".to_owned(),
                PrimitiveSchemaDefinition::TitledMultiSelectEnum(TitledMultiSelectEnumSchema {
                    max_items: Some(2),
                    items: TitledEnumItems { any_of: vec![titled("ham"), titled("egg")] },
                    ..Default::default()
                }),
            ),
        ]);
        if let Some(PrimitiveSchemaDefinition::String(s)) = fields.get_mut("name") {
            s.default = Some("a@example.com".into());
        }
    }
    RequestedSchema { required: Some(vec!["name".into()]), ..RequestedSchema::new(fields) }
}

fn form_answer() -> ElicitResult {
    let mut answer = ElicitResult::new(ElicitAction::Accept);
    answer.content = Some(BTreeMap::from([
        ("name".to_owned(), ElicitValue::String("a@example.com".into())),
        ("age".to_owned(), ElicitValue::Number(30.into())),
        ("subscribe".to_owned(), ElicitValue::Bool(true)),
    ]));
    answer
}

fn sampling_request(rev: Option<ProtocolVersion>) -> CreateMessageRequestParams {
    let has = |since| rev.is_none_or(|r| r >= since);
    let mut messages = vec![SamplingMessage::user_text("Weather in Paris?")];
    if has(V2025_03_26) {
        messages.push(SamplingMessage {
            role: Role::User,
            content: OneOrMany::One(SamplingMessageContentBlock::Audio(AudioContent {
                data: "UklGRg==".into(),
                mime_type: "audio/wav".into(),
                annotations: None,
                meta: None,
            })),
            meta: None,
        });
    }
    let mut params = CreateMessageRequestParams::new(messages, 200);
    params.model_preferences = Some(ModelPreferences {
        hints: Some(vec![ModelHint { name: Some("sonnet".into()) }]),
        cost_priority: Some(0.3),
        speed_priority: Some(1.0),
        intelligence_priority: Some(0.0),
    });
    params.system_prompt = Some("Be brief.".into());
    params.include_context = Some(IncludeContext::ThisServer);
    params.temperature = Some(0.7);
    params.stop_sequences = Some(vec!["\n\n".into()]);
    params.metadata = Some(obj(json!({"provider": {"seed": 1}})));
    if has(V2025_11_25) {
        params.messages.push(SamplingMessage {
            role: Role::Assistant,
            content: OneOrMany::Many(vec![SamplingMessageContentBlock::ToolUse(ToolUseContent {
                id: "call_1".into(),
                name: "get_weather".into(),
                input: obj(json!({"city": "Paris"})),
                meta: None,
            })]),
            meta: None,
        });
        params.messages.push(SamplingMessage {
            role: Role::User,
            content: OneOrMany::Many(vec![SamplingMessageContentBlock::ToolResult(
                ToolResultContent {
                    tool_use_id: "call_1".into(),
                    content: vec![ContentBlock::text("18°C")],
                    structured_content: Some(json!({"temperature": 18})),
                    is_error: Some(false),
                    meta: Some(Meta::new().with("com.example/cache", &true)),
                },
            )]),
            meta: None,
        });
        params.tools = Some(vec![tool(rev)]);
        params.tool_choice = Some(ToolChoice { mode: Some(ToolChoiceMode::Auto) });
    }
    params
}

fn sampling_answer() -> CreateMessageResult {
    CreateMessageResult {
        meta: None,
        role: Role::Assistant,
        content: OneOrMany::One(SamplingMessageContentBlock::text("18°C and sunny.")),
        model: "claude-3-sonnet".into(),
        stop_reason: Some("endTurn".into()),
        extra: JsonObject::new(),
    }
}

fn roots() -> ListRootsResult {
    ListRootsResult {
        meta: None,
        roots: vec![
            Root { name: Some("Project".into()), ..Root::new("file:///home/u/project") },
            Root::new("file:///tmp"),
        ],
        extra: JsonObject::new(),
    }
}

#[test]
fn server_requests_in_the_legacy_revisions() {
    for rev in LEGACY {
        let r = rev.as_str();
        exchange(r, &sampling_request(Some(rev)), &sampling_answer());
        exchange(r, &ListRootsRequestParams::default(), &roots());
        schema::assert_message_valid(
            r,
            &notification(&RootsListChangedNotificationParams::default()),
        );
        if rev >= V2025_06_18 {
            let mut params = ElicitRequestFormParams::new("Who are you?", form(Some(rev)));
            if rev == V2025_06_18 {
                params.mode = None;
            }
            exchange(r, &ElicitRequestParams::Form(params), &form_answer());
            for action in [ElicitAction::Decline, ElicitAction::Cancel] {
                schema::assert_response_valid(
                    r,
                    "elicitation/create",
                    &response(9, &ElicitResult::new(action)),
                );
            }
        }
        if rev == V2025_11_25 {
            let url = ElicitRequestURLParams {
                meta: None,
                mode: UrlMode,
                message: "Connect your account".into(),
                elicitation_id: Some("e-1".into()),
                url: "https://example.com/connect?e=1".into(),
                task: None,
            };
            exchange(
                r,
                &ElicitRequestParams::Url(url.clone()),
                &ElicitResult::new(ElicitAction::Accept),
            );
            schema::assert_message_valid(
                r,
                &notification(&ElicitationCompleteNotificationParams {
                    meta: None,
                    elicitation_id: "e-1".into(),
                }),
            );
            let data =
                UrlElicitationRequiredData { elicitations: vec![url], extra: JsonObject::new() };
            schema::assert_message_valid(
                r,
                &error(Some(4), data.into_error("This request requires more information.")),
            );
        }
    }
}

#[test]
fn input_required_results() {
    for rev in MODERN {
        let url = ElicitRequestURLParams {
            meta: None,
            mode: UrlMode,
            message: "Set your API key".into(),
            elicitation_id: None,
            url: "https://example.com/key".into(),
            task: None,
        };
        let requests = InputRequests::from([
            (
                "login".to_owned(),
                InputRequest::Elicit(ElicitRequestParams::Form(ElicitRequestFormParams::new(
                    "Who are you?",
                    form(None),
                ))),
            ),
            ("key".to_owned(), InputRequest::Elicit(ElicitRequestParams::Url(url.clone()))),
            ("sample".to_owned(), InputRequest::CreateMessage(sampling_request(None))),
            ("roots".to_owned(), InputRequest::ListRoots(None)),
            ("roots2".to_owned(), InputRequest::ListRoots(Some(ListRootsRequestParams::default()))),
        ]);
        let input_required = InputRequiredResult::new(requests.clone()).with_request_state("st");
        let value = serde_json::to_value(&input_required).unwrap();
        schema::assert_valid(rev, "InputRequiredResult", &value);
        schema::assert_valid(rev, "InputRequests", &value["inputRequests"]);
        for r in requests.values() {
            let definition = match r {
                InputRequest::CreateMessage(_) => "CreateMessageRequest",
                InputRequest::ListRoots(_) => "ListRootsRequest",
                InputRequest::Elicit(_) => "ElicitRequest",
            };
            schema::assert_valid(rev, definition, &serde_json::to_value(r).unwrap());
        }
        let state_only = InputRequiredResult::default().with_request_state("shed");
        for method in ["tools/call", "prompts/get", "resources/read"] {
            schema::assert_response_valid(rev, method, &response(5, &input_required));
            schema::assert_response_valid(rev, method, &response(6, &state_only));
        }

        // The retry carries the answers and the state, under a new id.
        let responses = InputResponses::from([
            ("login".to_owned(), InputResponse::Elicit(form_answer())),
            ("key".to_owned(), InputResponse::Elicit(ElicitResult::new(ElicitAction::Accept))),
            ("sample".to_owned(), InputResponse::CreateMessage(sampling_answer())),
            ("roots".to_owned(), InputResponse::ListRoots(roots())),
        ]);
        schema::assert_valid(rev, "InputResponses", &serde_json::to_value(&responses).unwrap());
        let mut retry = CallToolRequestParams::new("deploy");
        retry.meta = Some(modern_request_meta());
        retry.input_responses = Some(responses.clone());
        retry.request_state = Some("st".into());
        schema::assert_message_valid(rev, &request(7, &retry));
        let mut get = GetPromptRequestParams::new("p");
        get.meta = Some(modern_request_meta());
        get.input_responses = Some(responses.clone());
        get.request_state = Some("st".into());
        schema::assert_message_valid(rev, &request(8, &get));
        let mut read = ReadResourceRequestParams::new("file:///x");
        read.meta = Some(modern_request_meta());
        read.input_responses = Some(responses);
        schema::assert_message_valid(rev, &request(9, &read));
    }
}

#[test]
fn error_payloads() {
    for rev in MODERN {
        let unsupported = UnsupportedProtocolVersionData {
            supported: vec!["2026-07-28".into(), "2025-11-25".into()],
            requested: "1900-01-01".into(),
        };
        let message = error(Some(1), unsupported.into_error("Unsupported protocol version"));
        schema::assert_message_valid(rev, &message);
        schema::assert_valid(rev, "UnsupportedProtocolVersionError", &message);

        let required = ClientCapabilities {
            elicitation: Some(ElicitationCapability::default()),
            ..Default::default()
        };
        let missing = MissingRequiredClientCapabilityData { required_capabilities: required };
        let message = error(Some(2), missing.into_error("Elicitation required"));
        schema::assert_message_valid(rev, &message);
        schema::assert_valid(rev, "MissingRequiredClientCapabilityError", &message);

        let mismatch = ErrorObject::new(ErrorCode::HEADER_MISMATCH, "Mcp-Name does not match");
        schema::assert_message_valid(rev, &error(Some(3), mismatch));

        let not_found = ErrorObject::new(ErrorCode::INVALID_PARAMS, "Resource not found")
            .with_data(RawJson::to_raw(&ResourceNotFoundData { uri: "file:///nope".into() }));
        schema::assert_message_valid(rev, &error(Some(4), not_found));
        // An unreadable request is answered without an id: the schema (2025-11-25+) makes the
        // member optional and does not allow the `null` JSON-RPC 2.0 prescribes, so
        // `Message::to_bytes` leaves it out.
        let parse_error = serde_json::to_value(ErrorObject::parse_error("bad JSON")).unwrap();
        let without_id = json!({"jsonrpc": "2.0", "error": parse_error});
        schema::assert_message_valid(rev, &without_id);
        assert_eq!(error(None, ErrorObject::parse_error("bad JSON")), without_id);
        let with_null = json!({"jsonrpc": "2.0", "id": null, "error": parse_error});
        schema::assert_invalid(rev, "JSONRPCMessage", &with_null);
    }
    for rev in LEGACY {
        let not_found = ErrorObject::new(ErrorCode::RESOURCE_NOT_FOUND, "Resource not found")
            .with_data(RawJson::to_raw(&ResourceNotFoundData { uri: "file:///nope".into() }));
        schema::assert_message_valid(rev, &error(Some(4), not_found));
        schema::assert_message_valid(rev, &error(Some(5), ErrorObject::method_not_found("x/y")));
    }
}

#[test]
fn notifications_in_every_revision() {
    let all = LEGACY.iter().map(|r| (r.as_str(), Some(*r))).chain(MODERN.map(|r| (r, None)));
    for (rev, version) in all {
        let has = |since| version.is_none_or(|r| r >= since);
        let progress = ProgressNotificationParams {
            meta: None,
            progress_token: "p1".into(),
            progress: 50.0,
            total: Some(100.0),
            message: has(V2025_03_26).then(|| "Halfway".to_owned()),
        };
        schema::assert_message_valid(rev, &notification(&progress));
        let fractional = ProgressNotificationParams {
            progress_token: 7.into(),
            progress: 0.25,
            total: None,
            ..progress
        };
        schema::assert_message_valid(rev, &notification(&fractional));
        let mut cancelled = CancelledNotificationParams::new(RequestId::String("r-1".into()));
        cancelled.reason = Some("User requested cancellation".into());
        schema::assert_message_valid(rev, &notification(&cancelled));
        for (level, data) in [
            (LoggingLevel::Error, json!({"error": "Connection failed", "port": 5432})),
            (LoggingLevel::Debug, json!("text")),
            (LoggingLevel::Emergency, json!(null)),
        ] {
            let log = LoggingMessageNotificationParams {
                meta: None,
                level,
                logger: Some("db".into()),
                data,
            };
            schema::assert_message_valid(rev, &notification(&log));
        }
        if version.is_some() {
            for changed in [
                notification(&ToolListChangedNotificationParams::default()),
                notification(&PromptListChangedNotificationParams::default()),
                notification(&ResourceListChangedNotificationParams::default()),
                notification(&ResourceUpdatedNotificationParams {
                    meta: None,
                    uri: "file:///a".into(),
                }),
            ] {
                schema::assert_message_valid(rev, &changed);
            }
        }
    }
    // A 2025-11-25 cancellation may omit the request id (tasks are cancelled otherwise).
    let no_id = CancelledNotificationParams { meta: None, request_id: None, reason: None };
    schema::assert_message_valid(V2025_11_25, &notification(&no_id));
    schema::assert_invalid(V2025_06_18, "CancelledNotification", &notification(&no_id));
    schema::assert_invalid("2026-07-28", "CancelledNotification", &notification(&no_id));
}

#[test]
fn tasks_in_2025_11_25() {
    let rev = V2025_11_25;
    let task = Task {
        task_id: "t-1".into(),
        status: TaskStatus::Working,
        status_message: Some("Started".into()),
        created_at: "2025-11-25T10:00:00Z".into(),
        last_updated_at: "2025-11-25T10:00:01Z".into(),
        ttl: Some(60_000),
        poll_interval: Some(1_000),
    };
    let mut call = CallToolRequestParams::new("long_job");
    call.task = Some(TaskMetadata { ttl: Some(60_000) });
    schema::assert_message_valid(rev, &request(1, &call));
    let mut created_meta = Meta::new();
    created_meta.set(meta::MODEL_IMMEDIATE_RESPONSE, "Working on it.");
    let created =
        CreateTaskResult { meta: Some(created_meta), task: task.clone(), extra: JsonObject::new() };
    schema::assert_response_valid(rev, "tools/call", &response(1, &created));

    let id = GetTaskRequestParams { task_id: "t-1".into() };
    let state = GetTaskResult { meta: None, task: task.clone(), extra: JsonObject::new() };
    exchange(rev.as_str(), &id, &state);
    let done = Task { status: TaskStatus::Cancelled, ttl: None, ..task.clone() };
    exchange(
        rev.as_str(),
        &CancelTaskRequestParams { task_id: "t-1".into() },
        &GetTaskResult { meta: None, task: done.clone(), extra: JsonObject::new() },
    );
    exchange(
        rev.as_str(),
        &ListTasksRequestParams::default(),
        &ListTasksResult {
            meta: None,
            tasks: vec![task.clone(), done],
            next_cursor: None,
            extra: JsonObject::new(),
        },
    );
    let mut related = Meta::new();
    related.set_related_task(&RelatedTaskMetadata { task_id: "t-1".into() });
    let payload = GetTaskPayloadResult {
        meta: Some(related.clone()),
        extra: obj(json!({"content": [{"type": "text", "text": "done"}], "isError": false})),
    };
    exchange(rev.as_str(), &GetTaskPayloadRequestParams { task_id: "t-1".into() }, &payload);
    schema::assert_valid(rev, "CallToolResult", &serde_json::to_value(&payload).unwrap());
    schema::assert_message_valid(
        rev,
        &notification(&TaskStatusNotificationParams { meta: Some(related), task }),
    );
}

#[test]
fn spec_examples_are_valid_against_their_definitions() {
    // Checks the helper (and the examples) rather than the model: each example must be valid
    // against the definition its folder names, in its own revision.
    let examples = support::spec::examples();
    assert!(!examples.is_empty());
    for example in examples {
        let value: Value = serde_json::from_str(&example.text).unwrap();
        schema::assert_valid(example.revision.as_str(), &example.type_name, &value);
        // Full messages also pass the message-level checks the session tests rely on.
        if value.get("jsonrpc").is_some() {
            schema::assert_message_valid(example.revision.as_str(), &value);
        }
    }
    eprintln!("schema validations so far in this binary: {}", schema::validation_count());
}

#[test]
fn zz_report_the_number_of_validations() {
    // Tests run in parallel, so this count is complete only with --test-threads=1, where this
    // test (sorted last) runs after the others.
    eprintln!("schema validations in this binary: {}", schema::validation_count());
}
