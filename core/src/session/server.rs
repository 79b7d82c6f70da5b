//! The server role, and requests arriving from the peer in either role: the `initialize`
//! handshake, per-request `_meta` on 2026-07-28, `server/discover`, `ping`,
//! `logging/setLevel`, resource subscriptions and `subscriptions/listen`.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use serde::Deserialize;

use super::capability;
use super::meta::{self, RequestMeta};
use super::{
    Event, InFlight, IncomingRequest, Message, Notification, PeerInfo, Phase, Request,
    RequestContext, Role, SendError, ServerConfig, Session,
};
use crate::jsonrpc::object::RawObject;
use crate::jsonrpc::{ErrorCode, ErrorObject, ErrorResponse, RawJson, RequestId, Response};
use crate::methods as m;
use crate::time::Instant;
use crate::types::{
    CacheScope, ClientCapabilities, DiscoverResult, Implementation, InitializeRequestParams,
    InitializeResult, LoggingLevel, ResultType, UnsupportedProtocolVersionData,
};
use crate::version::{Era, ProtocolVersion};

#[derive(Debug)]
pub(crate) struct ServerState {
    pub config: Arc<ServerConfig>,
    client_capabilities: Option<Arc<ClientCapabilities>>,
    client_info: Option<Arc<Implementation>>,
    /// Live `subscriptions/listen` streams (2026-07-28), by the listen request's id.
    listens: BTreeMap<RequestId, ListenFilter>,
}

/// What one `subscriptions/listen` asked for, reduced to what the server honours.
#[derive(Debug, Default, Clone, serde::Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListenFilter {
    #[serde(default, skip_serializing_if = "is_false")]
    tools_list_changed: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    prompts_list_changed: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    resources_list_changed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resource_subscriptions: Option<BTreeSet<String>>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Deserialize)]
struct ListenParams {
    #[serde(default)]
    notifications: ListenFilter,
}

#[derive(Deserialize)]
struct UriParams {
    uri: String,
}

#[derive(Deserialize)]
struct SetLevelParams {
    level: LoggingLevel,
}

impl ServerState {
    pub fn new(config: Arc<ServerConfig>) -> Self {
        ServerState {
            config,
            client_capabilities: None,
            client_info: None,
            listens: BTreeMap::new(),
        }
    }

    fn newest_legacy(&self) -> Option<ProtocolVersion> {
        self.config.versions.iter().copied().filter(|v| v.era() == Era::Legacy).max()
    }

    fn supported_strings(&self) -> Vec<String> {
        let mut v = self.config.versions.clone();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v.dedup();
        v.into_iter().map(|v| v.as_str().into()).collect()
    }
}

impl Session {
    fn server_state(&self) -> Option<&ServerState> {
        match &self.role {
            Role::Server(s) => Some(s),
            Role::Client(_) => None,
        }
    }

    fn server_state_mut(&mut self) -> Option<&mut ServerState> {
        match &mut self.role {
            Role::Server(s) => Some(s),
            Role::Client(_) => None,
        }
    }

    fn error_reply(&mut self, id: RequestId, error: ErrorObject) {
        self.reply(ErrorResponse { id: Some(id), error }.into());
    }

    fn ok_reply(&mut self, id: RequestId, result: RawJson) {
        self.reply(Message::Response(Response { id, result }));
    }

    pub(super) fn on_request(&mut self, now: Instant, r: Request) {
        if self.incoming.contains_key(&r.id) {
            self.violation(alloc::format!(
                "peer reused request id {} while it was in flight",
                r.id
            ));
            return self
                .error_reply(r.id, ErrorObject::invalid_request("request id already in flight"));
        }
        let meta = match meta::read(r.params.as_ref()) {
            Ok(meta) => meta,
            Err(e) => {
                return self.error_reply(
                    r.id,
                    ErrorObject::invalid_params(alloc::format!("invalid _meta: {e}")),
                );
            }
        };
        match &self.role {
            Role::Server(_) => self.server_request(now, r, meta),
            Role::Client(_) => self.client_request(r, meta),
        }
    }

    /// A request arriving at a client (legacy server→client requests).
    fn client_request(&mut self, r: Request, meta: RequestMeta) {
        if r.method == m::PING && !self.is_stateless() {
            return self.ok_reply(r.id, RawJson::empty_object());
        }
        let version = match self.phase {
            Phase::Ready(v) => v,
            Phase::Stateless(_) => {
                return self.error_reply(
                    r.id,
                    ErrorObject::invalid_request("2026-07-28 servers do not send requests"),
                );
            }
            _ => {
                return self.error_reply(
                    r.id,
                    ErrorObject::invalid_request("the session is not initialized"),
                );
            }
        };
        if capability::is_client_request(&r.method) {
            return self.error_reply(r.id, ErrorObject::method_not_found(&r.method));
        }
        let caps = match &self.role {
            Role::Client(c) => &c.config.capabilities,
            Role::Server(_) => return,
        };
        if capability::client_supports(caps, &r.method, r.params.as_ref()).is_err() {
            return self.error_reply(r.id, ErrorObject::method_not_found(&r.method));
        }
        let context = RequestContext {
            protocol_version: version,
            client_capabilities: None,
            client_info: None,
            log_level: None,
            wants_progress: meta.progress_token.is_some(),
        };
        self.accept_request(r, context, meta);
    }

    fn accept_request(&mut self, r: Request, context: RequestContext, meta: RequestMeta) {
        if self.incoming.len() >= self.limits.max_incoming_in_flight {
            let e = ErrorObject::internal_error(alloc::format!(
                "too many requests in flight (limit {})",
                self.limits.max_incoming_in_flight
            ));
            return self.error_reply(r.id, e);
        }
        let flight = InFlight {
            method: r.method.clone(),
            context: context.clone(),
            progress_token: meta.progress_token,
            last_progress: None,
        };
        self.incoming.insert(r.id.clone(), flight);
        self.event(Event::Request(IncomingRequest {
            id: r.id,
            method: r.method,
            params: r.params,
            context,
        }));
    }

    fn server_request(&mut self, now: Instant, r: Request, meta: RequestMeta) {
        let _ = now;
        match self.phase {
            Phase::Ready(v) | Phase::AwaitingInitialized(v) => self.legacy_request(r, meta, v),
            _ if r.method == m::INITIALIZE => self.on_initialize(r),
            _ if meta.protocol_version.is_some()
                || meta.client_capabilities.is_some()
                || capability::is_stateless_only(&r.method) =>
            {
                self.stateless_request(r, meta)
            }
            _ if r.method == m::PING => self.ok_reply(r.id, RawJson::empty_object()),
            _ => self.error_reply(
                r.id,
                ErrorObject::invalid_request(
                    "received a request before initialize (2026-07-28 requests carry \
                     _meta io.modelcontextprotocol/protocolVersion instead)",
                ),
            ),
        }
    }

    fn on_initialize(&mut self, r: Request) {
        let Some(params) =
            r.params.as_ref().and_then(|p| p.parse_owned::<InitializeRequestParams>().ok())
        else {
            return self.error_reply(
                r.id,
                ErrorObject::invalid_params(
                    "initialize needs protocolVersion, capabilities and clientInfo",
                ),
            );
        };
        let Some(s) = self.server_state_mut() else { return };
        // Echo the requested revision if we have it, else offer our newest legacy one.
        let version = match ProtocolVersion::parse(&params.protocol_version) {
            Some(v) if v.era() == Era::Legacy && s.config.versions.contains(&v) => v,
            _ => match s.newest_legacy() {
                Some(v) => v,
                None => {
                    let data = UnsupportedProtocolVersionData {
                        supported: s.supported_strings(),
                        requested: params.protocol_version,
                    };
                    let e = ErrorObject::new(
                        ErrorCode::UNSUPPORTED_PROTOCOL_VERSION,
                        "Unsupported protocol version",
                    )
                    .with_data(RawJson::to_raw(&data));
                    return self.error_reply(r.id, e);
                }
            },
        };
        let result = InitializeResult {
            protocol_version: version.as_str().into(),
            capabilities: s.config.capabilities.clone(),
            server_info: s.config.info.clone(),
            instructions: s.config.instructions.clone(),
            meta: None,
            extra: Default::default(),
        };
        s.client_capabilities = Some(Arc::new(params.capabilities));
        s.client_info = Some(Arc::new(params.client_info));
        self.phase = Phase::AwaitingInitialized(version);
        self.ok_reply(r.id, RawJson::to_raw(&result));
    }

    fn legacy_request(&mut self, r: Request, meta: RequestMeta, version: ProtocolVersion) {
        let Some(s) = self.server_state() else { return };
        if r.method == m::INITIALIZE {
            return self.error_reply(
                r.id,
                ErrorObject::invalid_request("the session is already initialized"),
            );
        }
        if capability::is_stateless_only(&r.method) {
            return self.error_reply(r.id, ErrorObject::method_not_found(&r.method));
        }
        if capability::server_supports(&s.config.capabilities, &r.method, version).is_err() {
            return self.error_reply(r.id, ErrorObject::method_not_found(&r.method));
        }
        match &*r.method {
            m::PING => self.ok_reply(r.id, RawJson::empty_object()),
            m::LOGGING_SET_LEVEL => {
                match r.params.as_ref().and_then(|p| p.parse_owned::<SetLevelParams>().ok()) {
                    Some(p) => {
                        self.log_level = Some(p.level);
                        self.ok_reply(r.id, RawJson::empty_object());
                        self.event(Event::LogLevelChanged(p.level));
                    }
                    None => self.error_reply(
                        r.id,
                        ErrorObject::invalid_params("logging/setLevel needs a valid level"),
                    ),
                }
            }
            m::RESOURCES_SUBSCRIBE | m::RESOURCES_UNSUBSCRIBE => {
                let Some(p) = r.params.as_ref().and_then(|p| p.parse_owned::<UriParams>().ok())
                else {
                    return self
                        .error_reply(r.id, ErrorObject::invalid_params("a uri is required"));
                };
                let max = self.limits.max_subscriptions;
                if r.method == m::RESOURCES_SUBSCRIBE
                    && !self.subscribed.contains(&p.uri)
                    && self.subscribed.len() >= max
                {
                    let text = alloc::format!("at most {max} resource subscriptions at once");
                    return self.error_reply(r.id, ErrorObject::invalid_params(text));
                }
                self.ok_reply(r.id, RawJson::empty_object());
                if r.method == m::RESOURCES_SUBSCRIBE {
                    if self.subscribed.insert(p.uri.clone()) {
                        self.event(Event::ResourceSubscribed { uri: p.uri });
                    }
                } else if self.subscribed.remove(&p.uri) {
                    self.event(Event::ResourceUnsubscribed { uri: p.uri });
                }
            }
            _ => {
                let context = RequestContext {
                    protocol_version: version,
                    client_capabilities: s.client_capabilities.clone(),
                    client_info: s.client_info.clone(),
                    log_level: self.log_level,
                    wants_progress: meta.progress_token.is_some(),
                };
                self.accept_request(r, context, meta);
            }
        }
    }

    fn stateless_request(&mut self, r: Request, mut meta: RequestMeta) {
        let Some(s) = self.server_state() else { return };
        let Some(requested) = meta.protocol_version.as_deref() else {
            return self.error_reply(
                r.id,
                ErrorObject::invalid_params(alloc::format!(
                    "missing _meta {}",
                    meta::PROTOCOL_VERSION
                )),
            );
        };
        let version = match ProtocolVersion::parse(requested) {
            Some(v) if v.era() == Era::Stateless && s.config.versions.contains(&v) => v,
            _ => {
                let data = UnsupportedProtocolVersionData {
                    supported: s.supported_strings(),
                    requested: requested.into(),
                };
                let e = ErrorObject::new(
                    ErrorCode::UNSUPPORTED_PROTOCOL_VERSION,
                    "Unsupported protocol version",
                )
                .with_data(RawJson::to_raw(&data));
                return self.error_reply(r.id, e);
            }
        };
        let Some(client_capabilities) = meta.client_capabilities.take() else {
            return self.error_reply(
                r.id,
                ErrorObject::invalid_params(alloc::format!(
                    "missing _meta {}",
                    meta::CLIENT_CAPABILITIES
                )),
            );
        };
        if capability::is_legacy_only(&r.method)
            || capability::server_supports(&s.config.capabilities, &r.method, version).is_err()
        {
            return self.error_reply(r.id, ErrorObject::method_not_found(&r.method));
        }
        match &*r.method {
            m::SERVER_DISCOVER => {
                let result = DiscoverResult {
                    result_type: Some(ResultType::Complete),
                    supported_versions: s.supported_strings(),
                    capabilities: s.config.capabilities.clone(),
                    instructions: s.config.instructions.clone(),
                    // Capabilities can change with the server's configuration; tell clients not
                    // to cache them.
                    ttl_ms: Some(0),
                    cache_scope: Some(CacheScope::Public),
                    extra: Default::default(),
                    meta: Some(server_info_meta(&s.config.info)),
                };
                self.ok_reply(r.id, RawJson::to_raw(&result));
            }
            m::SUBSCRIPTIONS_LISTEN => self.on_listen(r),
            _ => {
                let context = RequestContext {
                    protocol_version: version,
                    client_capabilities: Some(Arc::new(client_capabilities)),
                    client_info: meta.client_info.take().map(Arc::new),
                    log_level: meta.log_level,
                    wants_progress: meta.progress_token.is_some(),
                };
                self.accept_request(r, context, meta);
            }
        }
    }

    fn on_listen(&mut self, r: Request) {
        let Some(params) = r.params.as_ref().and_then(|p| p.parse_owned::<ListenParams>().ok())
        else {
            return self.error_reply(
                r.id,
                ErrorObject::invalid_params("subscriptions/listen needs a notifications filter"),
            );
        };
        let listening = self.server_state().map_or(0, |s| s.listens.len());
        if self.server_state().is_some_and(|s| s.listens.contains_key(&r.id)) {
            return self
                .error_reply(r.id, ErrorObject::invalid_request("request id already in flight"));
        }
        if self.incoming.len() + listening >= self.limits.max_incoming_in_flight {
            let e = ErrorObject::internal_error(alloc::format!(
                "too many requests in flight (limit {})",
                self.limits.max_incoming_in_flight
            ));
            return self.error_reply(r.id, e);
        }
        let Some(s) = self.server_state_mut() else { return };
        let caps = &s.config.capabilities;
        let flag = |asked: bool, offered: Option<Option<bool>>| {
            asked && offered.flatten().unwrap_or(false)
        };
        let asked = params.notifications;
        let honoured = ListenFilter {
            tools_list_changed: flag(
                asked.tools_list_changed,
                caps.tools.as_ref().map(|c| c.list_changed),
            ),
            prompts_list_changed: flag(
                asked.prompts_list_changed,
                caps.prompts.as_ref().map(|c| c.list_changed),
            ),
            resources_list_changed: flag(
                asked.resources_list_changed,
                caps.resources.as_ref().map(|c| c.list_changed),
            ),
            resource_subscriptions: asked
                .resource_subscriptions
                .filter(|_| caps.resources.as_ref().and_then(|r| r.subscribe).unwrap_or(false)),
        };
        s.listens.insert(r.id.clone(), honoured.clone());
        let ack = alloc::format!(
            r#"{{"_meta":{{"{}":{}}},"notifications":{}}}"#,
            meta::SUBSCRIPTION_ID,
            RawJson::to_raw(&r.id),
            RawJson::to_raw(&honoured)
        );
        let params = RawJson::from_string(ack).ok();
        self.transmit(
            Message::Notification(Notification {
                method: m::SUBSCRIPTIONS_ACKNOWLEDGED.into(),
                params,
            }),
            Some(r.id.clone()),
        );
        for uri in honoured.resource_subscriptions.into_iter().flatten() {
            self.event(Event::ResourceSubscribed { uri });
        }
    }

    /// Server: a notification the session handles itself. Returns false for the others.
    pub(super) fn server_notification(&mut self, n: &Notification) -> bool {
        match &*n.method {
            m::INITIALIZED => {
                match self.phase {
                    Phase::AwaitingInitialized(v) => {
                        self.phase = Phase::Ready(v);
                        let Some(s) = self.server_state() else { return true };
                        let info = PeerInfo {
                            protocol_version: v,
                            implementation: s.client_info.as_deref().cloned(),
                            server_capabilities: None,
                            client_capabilities: s.client_capabilities.as_deref().cloned(),
                            instructions: None,
                        };
                        self.event(Event::Connected(alloc::boxed::Box::new(info)));
                    }
                    Phase::Ready(_) => {}
                    _ => self.violation("notifications/initialized before initialize".into()),
                }
                true
            }
            m::CANCELLED => false,
            _ => false,
        }
    }

    /// Server: a peer's `notifications/cancelled` for a `subscriptions/listen` ends it.
    pub(super) fn end_listen_by_peer(&mut self, id: &RequestId) -> bool {
        let Some(s) = self.server_state_mut() else { return false };
        match s.listens.remove(id) {
            Some(f) => {
                for uri in f.resource_subscriptions.into_iter().flatten() {
                    self.event(Event::ResourceUnsubscribed { uri });
                }
                true
            }
            None => false,
        }
    }

    /// Server: the connection ended; every `subscriptions/listen` stream ends with it, and
    /// the resources they watched are announced unsubscribed like on a cancel.
    pub(super) fn end_all_listens(&mut self) {
        let Some(s) = self.server_state_mut() else { return };
        let listens = core::mem::take(&mut s.listens);
        for (_, f) in listens {
            for uri in f.resource_subscriptions.into_iter().flatten() {
                self.event(Event::ResourceUnsubscribed { uri });
            }
        }
    }

    /// Server: checks a server→client request before it is sent (legacy only).
    pub(super) fn server_check_request(
        &self,
        method: &str,
        params: Option<&RawJson>,
    ) -> Result<(), SendError> {
        let Some(s) = self.server_state() else { return Ok(()) };
        match self.phase {
            Phase::Ready(_) => {}
            Phase::AwaitingInitialized(_) if method == m::PING => {}
            Phase::AwaitingInitialized(_) => {
                return Err(SendError::NotReady { state: "waiting for notifications/initialized" });
            }
            Phase::Idle => {
                return Err(SendError::MethodNotAllowed {
                    method: method.into(),
                    reason: "no legacy session: 2026-07-28 servers do not send requests (return input_required instead)",
                });
            }
            _ => return Err(SendError::Closed),
        }
        if capability::is_client_request(method) {
            return Err(SendError::MethodNotAllowed {
                method: method.into(),
                reason: "not a request a server sends",
            });
        }
        let caps = s.client_capabilities.as_deref().cloned().unwrap_or_default();
        capability::client_supports(&caps, method, params).map_err(|capability| {
            SendError::CapabilityNotDeclared { method: method.into(), capability }
        })
    }

    /// Server: fills in and checks the result of a 2026-07-28 request.
    pub(super) fn stateless_result(
        &self,
        flight: &InFlight,
        result: RawJson,
    ) -> Result<RawJson, SendError> {
        let obj = RawObject::parse(result.as_str()).map_err(|_| SendError::NotAnObject)?;
        match obj.get("resultType").map(|v| v.get()) {
            None => Ok(obj.rewrite(&[], &[("resultType", "\"complete\"")])),
            Some("\"input_required\"") => {
                if !capability::allows_input_required(&flight.method) {
                    return Err(SendError::MethodNotAllowed {
                        method: String::from(&*flight.method),
                        reason: "input_required is only allowed on tools/call, prompts/get and resources/read",
                    });
                }
                #[derive(Deserialize)]
                struct InputRequest {
                    method: String,
                    #[serde(default)]
                    params: Option<RawJson>,
                }
                let requests: BTreeMap<String, InputRequest> = match obj.get("inputRequests") {
                    Some(raw) => {
                        serde_json::from_str(raw.get()).map_err(|_| SendError::NotAnObject)?
                    }
                    None => BTreeMap::new(),
                };
                let caps =
                    flight.context.client_capabilities.as_deref().cloned().unwrap_or_default();
                for req in requests.values() {
                    capability::client_supports(&caps, &req.method, req.params.as_ref()).map_err(
                        |capability| SendError::CapabilityNotDeclared {
                            method: req.method.clone(),
                            capability,
                        },
                    )?;
                }
                Ok(result)
            }
            Some(_) => Ok(result),
        }
    }

    /// Server: sends a log message (`notifications/message`) if the client wants it.
    ///
    /// Legacy sessions filter by the level from `logging/setLevel` (all levels until one is
    /// set). On 2026-07-28 a message belongs to a request (`related`), travels with it, and is
    /// sent only if that request's `_meta` asked for this level or lower. Returns whether the
    /// message was sent.
    pub fn log(
        &mut self,
        level: LoggingLevel,
        logger: Option<&str>,
        data: RawJson,
        related: Option<&RequestId>,
    ) -> Result<bool, SendError> {
        self.check_queue()?;
        let Some(s) = self.server_state() else {
            return Err(SendError::MethodNotAllowed {
                method: m::MESSAGE.into(),
                reason: "only a server logs to its peer",
            });
        };
        if s.config.capabilities.logging.is_none() {
            return Err(SendError::MethodNotAllowed {
                method: m::MESSAGE.into(),
                reason: "declare the logging capability first",
            });
        }
        let threshold = match (self.phase.clone(), related) {
            (Phase::Ready(_) | Phase::AwaitingInitialized(_), _) => self.log_level,
            (_, Some(id)) => {
                let flight = self.incoming.get(id).ok_or(SendError::UnknownRequest)?;
                match flight.context.log_level {
                    Some(l) => Some(l),
                    None => return Ok(false),
                }
            }
            (_, None) => {
                return Err(SendError::NotReady {
                    state: "2026-07-28 log messages belong to a request",
                });
            }
        };
        if threshold.is_some_and(|t| level < t) {
            return Ok(false);
        }
        #[derive(serde::Serialize)]
        struct LogParams<'a> {
            level: LoggingLevel,
            #[serde(skip_serializing_if = "Option::is_none")]
            logger: Option<&'a str>,
            data: RawJson,
        }
        let params = RawJson::to_raw(&LogParams { level, logger, data });
        self.transmit(
            Message::Notification(Notification { method: m::MESSAGE.into(), params: Some(params) }),
            related.cloned(),
        );
        Ok(true)
    }

    /// Server: tells subscribers that a resource changed. Legacy sessions send
    /// `notifications/resources/updated` only if the client subscribed to `uri`; on 2026-07-28
    /// it goes to every `subscriptions/listen` stream that asked for it. Returns how many
    /// notifications were sent.
    pub fn notify_resource_updated(&mut self, uri: &str) -> Result<usize, SendError> {
        self.check_queue()?;
        let params = RawJson::to_raw(&UriParamsRef { uri });
        if matches!(self.phase, Phase::Ready(_)) {
            if !self.subscribed.contains(uri) {
                return Ok(0);
            }
            self.notify(m::RESOURCES_UPDATED, Some(params), None)?;
            return Ok(1);
        }
        let targets: Vec<RequestId> = self
            .server_state()
            .map(|s| {
                s.listens
                    .iter()
                    .filter(|(_, f)| {
                        f.resource_subscriptions.as_ref().is_some_and(|u| u.contains(uri))
                    })
                    .map(|(id, _)| id.clone())
                    .collect()
            })
            .unwrap_or_default();
        for id in &targets {
            self.listen_notify(id, m::RESOURCES_UPDATED, Some(&params));
        }
        Ok(targets.len())
    }

    /// Server: tells the client that the list of tools, prompts or resources changed. `method`
    /// is one of the three `notifications/*/list_changed`. Legacy sessions send it if the
    /// server declared `listChanged`; on 2026-07-28 it goes to every `subscriptions/listen`
    /// stream that asked for it. Returns how many notifications were sent.
    pub fn notify_list_changed(&mut self, method: &str) -> Result<usize, SendError> {
        self.check_queue()?;
        let pick: fn(&ListenFilter) -> bool = match method {
            m::TOOLS_LIST_CHANGED => |f| f.tools_list_changed,
            m::PROMPTS_LIST_CHANGED => |f| f.prompts_list_changed,
            m::RESOURCES_LIST_CHANGED => |f| f.resources_list_changed,
            _ => {
                return Err(SendError::MethodNotAllowed {
                    method: method.into(),
                    reason: "not a list_changed notification",
                });
            }
        };
        if matches!(self.phase, Phase::Ready(_)) {
            self.notify(method, None, None)?;
            return Ok(1);
        }
        let targets: Vec<RequestId> = self
            .server_state()
            .map(|s| s.listens.iter().filter(|(_, f)| pick(f)).map(|(id, _)| id.clone()).collect())
            .unwrap_or_default();
        for id in &targets {
            self.listen_notify(id, method, None);
        }
        Ok(targets.len())
    }

    /// Server: ends a `subscriptions/listen` stream gracefully with its final result.
    pub fn end_subscription(&mut self, id: &RequestId) -> Result<(), SendError> {
        self.check_queue()?;
        let s = self.server_state_mut().ok_or(SendError::UnknownRequest)?;
        s.listens.remove(id).ok_or(SendError::UnknownRequest)?;
        let result = alloc::format!(
            r#"{{"resultType":"complete","_meta":{{"{}":{}}}}}"#,
            meta::SUBSCRIPTION_ID,
            RawJson::to_raw(id)
        );
        let result = RawJson::from_string(result).map_err(|_| SendError::NotAnObject)?;
        self.transmit(Message::Response(Response { id: id.clone(), result }), Some(id.clone()));
        Ok(())
    }

    fn listen_notify(&mut self, listen: &RequestId, method: &str, params: Option<&RawJson>) {
        let id = RawJson::to_raw(listen);
        let Ok(params) = crate::jsonrpc::object::with_meta_entries(
            params,
            &[(meta::SUBSCRIPTION_ID, id.as_str())],
        ) else {
            return;
        };
        self.transmit(
            Message::Notification(Notification { method: m::intern(method), params: Some(params) }),
            Some(listen.clone()),
        );
    }
}

#[derive(serde::Serialize)]
struct UriParamsRef<'a> {
    uri: &'a str,
}

fn server_info_meta(info: &Implementation) -> crate::types::Meta {
    let mut meta = crate::types::Meta::new();
    if let Ok(v) = serde_json::to_value(info) {
        meta.insert(meta::SERVER_INFO.into(), v);
    }
    meta
}
