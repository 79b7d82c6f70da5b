//! The client role: `connect` (discovery, then the legacy handshake as a fallback), capability
//! checks on what it sends, and MRTR retries.

use alloc::string::String;
use alloc::vec::Vec;

use super::capability;
use super::meta;
use super::outgoing::{Pending, Purpose};
use super::{
    ClientConfig, Event, Message, Notification, PeerInfo, Phase, Request, Role, SendError, Session,
};
use crate::jsonrpc::object::RawObject;
use crate::jsonrpc::{ErrorCode, ErrorObject, RawJson, RequestId};
use crate::methods as m;
use crate::time::Instant;
use crate::types::{
    DiscoverResult, InitializeRequestParams, InitializeResult, UnsupportedProtocolVersionData,
};
use crate::version::{Era, ProtocolVersion};

#[derive(Debug)]
pub(crate) struct ClientState {
    pub config: ClientConfig,
    pub server: Option<PeerInfo>,
    /// `_meta` values sent with every 2026-07-28 request, serialized once.
    caps_json: RawJson,
    info_json: RawJson,
    version_json: RawJson,
    /// The log level sent in every 2026-07-28 request's `_meta`, once set.
    log_level_json: Option<RawJson>,
    /// Discovery attempts repeated after a `-32022` that named a shared revision.
    discover_retries: u8,
}

impl ClientState {
    pub fn new(config: ClientConfig) -> Self {
        ClientState {
            caps_json: RawJson::to_raw(&config.capabilities),
            info_json: RawJson::to_raw(&config.info),
            version_json: RawJson::to_raw(ProtocolVersion::LATEST.as_str()),
            log_level_json: None,
            discover_retries: 0,
            server: None,
            config,
        }
    }

    /// The `_meta` entries every stateless request carries.
    pub fn stateless_meta(&self) -> impl Iterator<Item = (&str, &str)> {
        [
            (meta::PROTOCOL_VERSION, self.version_json.as_str()),
            (meta::CLIENT_CAPABILITIES, self.caps_json.as_str()),
            (meta::CLIENT_INFO, self.info_json.as_str()),
        ]
        .into_iter()
        .chain(self.log_level_json.as_ref().map(|l| (meta::LOG_LEVEL, l.as_str())))
    }

    fn newest(
        &self,
        era: Era,
        offered: impl Fn(ProtocolVersion) -> bool,
    ) -> Option<ProtocolVersion> {
        self.config.versions.iter().copied().filter(|v| v.era() == era && offered(*v)).max()
    }
}

impl Session {
    fn client_state(&self) -> Option<&ClientState> {
        match &self.role {
            Role::Client(c) => Some(c),
            Role::Server(_) => None,
        }
    }

    fn client_state_mut(&mut self) -> Option<&mut ClientState> {
        match &mut self.role {
            Role::Client(c) => Some(c),
            Role::Server(_) => None,
        }
    }

    /// Client: starts the connection. With a 2026-07-28 revision configured it sends
    /// `server/discover` first and falls back to the `initialize` handshake if the server does
    /// not answer as a stateless server would (any error other than a recognised 2026-07-28
    /// one, or no answer within `discover_timeout`). [`Event::Connected`] or
    /// [`Event::ConnectFailed`] follows.
    pub fn connect(&mut self, now: Instant) -> Result<(), SendError> {
        let c = self.client_state().ok_or(SendError::MethodNotAllowed {
            method: "connect".into(),
            reason: "only a client connects",
        })?;
        if self.phase != Phase::Idle {
            return Err(SendError::NotReady { state: "connect was already called" });
        }
        self.check_queue()?;
        if c.newest(Era::Stateless, |_| true).is_some() {
            self.send_discover(now);
        } else {
            self.send_initialize(now)?;
        }
        Ok(())
    }

    fn send_discover(&mut self, now: Instant) {
        let Some(c) = self.client_state() else { return };
        let timeout = c.config.discover_timeout;
        self.phase = Phase::Discovering;
        let id = self.outgoing.next_id();
        // `decorate_params` adds the stateless `_meta` while discovering; an empty object
        // cannot fail to take it.
        let params = self.decorate_params(None, None, None).ok().flatten();
        self.outgoing.insert(
            id.clone(),
            internal_pending(&id, m::SERVER_DISCOVER, Purpose::Discover, now, timeout),
        );
        let msg = Message::Request(Request { id, method: m::SERVER_DISCOVER.into(), params });
        self.transmit(msg, None);
    }

    fn send_initialize(&mut self, now: Instant) -> Result<(), SendError> {
        let c = self.client_state().ok_or(SendError::UnknownRequest)?;
        let Some(version) = c.newest(Era::Legacy, |_| true) else {
            self.connect_failed("no protocol revision in common with the server");
            return Ok(());
        };
        let params = InitializeRequestParams {
            protocol_version: version.as_str().into(),
            capabilities: c.config.capabilities.clone(),
            client_info: c.config.info.clone(),
            meta: None,
        };
        let timeout = self.timeouts.default_request;
        self.phase = Phase::Initializing;
        let id = self.outgoing.next_id();
        self.outgoing.insert(
            id.clone(),
            internal_pending(&id, m::INITIALIZE, Purpose::Initialize, now, timeout),
        );
        let msg = Message::Request(Request {
            id,
            method: m::INITIALIZE.into(),
            params: Some(RawJson::to_raw(&params)),
        });
        self.transmit(msg, None);
        Ok(())
    }

    pub(super) fn on_initialize_response(
        &mut self,
        _now: Instant,
        payload: Result<RawJson, ErrorObject>,
    ) {
        let result = match payload {
            Ok(r) => r,
            Err(e) => return self.connect_failed(&alloc::format!("initialize failed: {e}")),
        };
        let Ok(init) = result.parse_owned::<InitializeResult>() else {
            self.violation("invalid initialize result".into());
            return self.connect_failed("the server sent an invalid initialize result");
        };
        let Some(c) = self.client_state_mut() else { return };
        // The client refuses a revision it does not support (the spec's SHOULD disconnect).
        let version = match ProtocolVersion::parse(&init.protocol_version) {
            Some(v) if c.config.versions.contains(&v) && v.era() == Era::Legacy => v,
            _ => {
                let reason = alloc::format!(
                    "the server chose protocol version {}, which this client does not support",
                    init.protocol_version
                );
                return self.connect_failed(&reason);
            }
        };
        let info = PeerInfo {
            protocol_version: version,
            implementation: Some(init.server_info),
            server_capabilities: Some(init.capabilities),
            client_capabilities: None,
            instructions: init.instructions,
        };
        c.server = Some(info.clone());
        self.phase = Phase::Ready(version);
        self.transmit(
            Message::Notification(Notification { method: m::INITIALIZED.into(), params: None }),
            None,
        );
        self.event(Event::Connected(alloc::boxed::Box::new(info)));
    }

    pub(super) fn on_discover_response(
        &mut self,
        now: Instant,
        payload: Result<RawJson, ErrorObject>,
    ) {
        match payload {
            Ok(result) => match result.parse_owned::<DiscoverResult>() {
                Ok(d) => {
                    let Some(c) = self.client_state() else { return };
                    let offered =
                        |v: ProtocolVersion| d.supported_versions.iter().any(|s| s == v.as_str());
                    match c.newest(Era::Stateless, offered) {
                        Some(version) => self.become_stateless(version, d),
                        // The server is stateless-capable but at revisions we lack; it may
                        // still speak the handshake.
                        None => self.on_discover_failed(now, None),
                    }
                }
                Err(_) => {
                    self.violation("invalid server/discover result".into());
                    self.on_discover_failed(now, None)
                }
            },
            Err(e) => self.on_discover_failed(now, Some(e)),
        }
    }

    /// Discovery did not produce a revision: either the server is legacy-only, or it told us
    /// which stateless revisions it has (`-32022`).
    pub(super) fn on_discover_failed(&mut self, now: Instant, error: Option<ErrorObject>) {
        if let Some(e) = &error {
            if e.code == ErrorCode::UNSUPPORTED_PROTOCOL_VERSION {
                let supported = e
                    .data
                    .as_ref()
                    .and_then(|d| d.parse_owned::<UnsupportedProtocolVersionData>().ok())
                    .map(|d| d.supported)
                    .unwrap_or_default();
                let c = self.client_state();
                let common = c.and_then(|c| {
                    c.newest(Era::Stateless, |v| supported.iter().any(|s| s == v.as_str()))
                });
                if let Some(version) = common {
                    // The server named a stateless revision we share: ask again in it (a few
                    // times at most, in case the server keeps refusing).
                    if let Some(c) = self.client_state_mut() {
                        if c.discover_retries < 2 {
                            c.discover_retries += 1;
                            c.version_json = RawJson::to_raw(version.as_str());
                            return self.send_discover(now);
                        }
                    }
                }
                if common.is_none()
                    && !supported
                        .iter()
                        .any(|s| ProtocolVersion::parse(s).is_some_and(|v| v.era() == Era::Legacy))
                {
                    return self.connect_failed("no protocol revision in common with the server");
                }
            }
        }
        let has_legacy =
            self.client_state().and_then(|c| c.newest(Era::Legacy, |_| true)).is_some();
        if has_legacy {
            // Legacy fallback: any error (or silence) that is not a stateless answer.
            let _ = self.send_initialize(now);
        } else {
            self.connect_failed(
                "the server does not speak a stateless protocol revision this client supports",
            );
        }
    }

    fn become_stateless(&mut self, version: ProtocolVersion, d: DiscoverResult) {
        let server_info = d
            .meta
            .as_ref()
            .and_then(|m| m.get(meta::SERVER_INFO))
            .and_then(|v| serde_json::from_value(v.clone()).ok());
        let info = PeerInfo {
            protocol_version: version,
            implementation: server_info,
            server_capabilities: Some(d.capabilities),
            client_capabilities: None,
            instructions: d.instructions,
        };
        if let Some(c) = self.client_state_mut() {
            c.version_json = RawJson::to_raw(version.as_str());
            c.server = Some(info.clone());
        }
        self.phase = Phase::Stateless(version);
        self.event(Event::Connected(alloc::boxed::Box::new(info)));
    }

    /// Client: checks a request before it is sent.
    pub(super) fn client_check_request(&self, method: &str) -> Result<(), SendError> {
        let stateless = self.is_stateless();
        let version = match &self.phase {
            Phase::Ready(v) | Phase::Stateless(v) => *v,
            // Only ping may precede the initialize result.
            _ if method == m::PING => return Ok(()),
            _ => {
                return Err(SendError::NotReady {
                    state: "waiting for the connection to be set up",
                });
            }
        };
        if capability::is_server_request(method)
            || matches!(method, m::INITIALIZE | m::SERVER_DISCOVER)
        {
            return Err(SendError::MethodNotAllowed {
                method: method.into(),
                reason: "not a request a client sends",
            });
        }
        if stateless && capability::is_legacy_only(method) {
            return Err(SendError::MethodNotAllowed {
                method: method.into(),
                reason: "removed in 2026-07-28",
            });
        }
        if !stateless && capability::is_stateless_only(method) {
            return Err(SendError::MethodNotAllowed {
                method: method.into(),
                reason: "only exists from 2026-07-28",
            });
        }
        let caps = self
            .client_state()
            .and_then(|c| c.server.as_ref())
            .and_then(|s| s.server_capabilities.as_ref());
        if let Some(caps) = caps {
            capability::server_supports(caps, method, version).map_err(|capability| {
                SendError::CapabilityNotDeclared { method: method.into(), capability }
            })?;
        }
        Ok(())
    }

    /// If `result` is an MRTR `input_required`, returns its `inputRequests` and `requestState`.
    pub(super) fn input_required(
        &self,
        p: &Pending,
        result: &RawJson,
    ) -> Option<(Option<RawJson>, Option<String>)> {
        if !self.is_stateless() || !capability::allows_input_required(&p.method) {
            return None;
        }
        let obj = RawObject::parse(result.as_str()).ok()?;
        if obj.get("resultType")?.get() != "\"input_required\"" {
            return None;
        }
        let input_requests =
            obj.get("inputRequests").and_then(|r| RawJson::from_string(r.get().into()).ok());
        let state =
            obj.get("requestState").and_then(|s| serde_json::from_str::<String>(s.get()).ok());
        Some((input_requests, state))
    }

    /// Client: answers an [`Event::InputRequired`] by retrying the request with
    /// `inputResponses` (a JSON object keyed like the `inputRequests`) and the server's
    /// `requestState` echoed, under a new JSON-RPC id. The request keeps its original id in
    /// the events that follow.
    pub fn provide_input(
        &mut self,
        now: Instant,
        id: &RequestId,
        input_responses: RawJson,
    ) -> Result<(), SendError> {
        self.check_queue()?;
        if !input_responses.is_object() {
            return Err(SendError::NotAnObject);
        }
        match self.outgoing.get_logical(id) {
            Some(p) if p.awaiting_input.is_some() => {}
            Some(_) => {
                return Err(SendError::NotReady { state: "the request is not waiting for input" });
            }
            None => return Err(SendError::UnknownRequest),
        }
        let (_, mut p) = self.outgoing.take_logical(id).ok_or(SendError::UnknownRequest)?;
        let state = p.awaiting_input.take().flatten();
        let state_json = state.as_ref().map(RawJson::to_raw);
        let mut add: Vec<(&str, &str)> = alloc::vec![("inputResponses", input_responses.as_str())];
        if let Some(s) = &state_json {
            add.push(("requestState", s.as_str()));
        }
        let base = p.params.clone().unwrap_or_else(RawJson::empty_object);
        let retry = RawObject::parse(base.as_str())
            .map(|o| o.rewrite(&["inputResponses", "requestState"], &add))
            .map_err(|_| SendError::NotAnObject)?;
        let params = self.decorate_params(Some(&retry), p.progress_token.as_ref(), None)?;
        let wire = self.outgoing.next_id();
        // The time the user took to answer does not count against the request: its clock
        // starts again with the retry.
        p.deadline = Some(now + p.timeout);
        p.hard_deadline = Some(now + self.timeouts.max_request);
        p.last_progress = None;
        let related = p.related.clone();
        let method = p.method.clone();
        self.outgoing.insert(wire.clone(), p);
        self.transmit(Message::Request(Request { id: wire, method, params }), related);
        Ok(())
    }

    /// Client, 2026-07-28: `logging/setLevel` no longer exists; the level travels in every
    /// request's `_meta`. The session stores it and answers the call itself with `{}`.
    pub(super) fn set_stateless_log_level(
        &mut self,
        params: Option<&RawJson>,
    ) -> Result<(), SendError> {
        #[derive(serde::Deserialize)]
        struct Level {
            level: crate::types::LoggingLevel,
        }
        let level =
            params.and_then(|p| p.parse_owned::<Level>().ok()).ok_or(SendError::NotAnObject)?;
        if let Some(c) = self.client_state_mut() {
            c.log_level_json = Some(RawJson::to_raw(&level.level));
        }
        Ok(())
    }

    /// Client: what the server said about itself when the connection was set up.
    pub fn server_info(&self) -> Option<&PeerInfo> {
        self.client_state().and_then(|c| c.server.as_ref())
    }

    /// Client: tells the server the roots changed (legacy; needs our `roots.listChanged`).
    pub fn notify_roots_list_changed(&mut self) -> Result<(), SendError> {
        self.notify(m::ROOTS_LIST_CHANGED, None, None)
    }
}

fn internal_pending(
    id: &RequestId,
    method: &'static str,
    purpose: Purpose,
    now: Instant,
    timeout: core::time::Duration,
) -> Pending {
    Pending {
        logical: id.clone(),
        method: method.into(),
        purpose,
        params: None,
        progress_token: None,
        last_progress: None,
        timeout,
        reset_on_progress: false,
        deadline: Some(now + timeout),
        hard_deadline: Some(now + timeout),
        related: None,
        awaiting_input: None,
    }
}
