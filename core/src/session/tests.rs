//! The session driven by hand with scripted peer messages.
// Capability structs are open-ended and gain fields across revisions.
#![allow(clippy::needless_update)]

use alloc::string::ToString;
use alloc::vec::Vec;
use core::time::Duration;

use bytes::Bytes;
use serde_json::{Value, json};

use super::*;
use crate::types::{Implementation, ServerCapabilities, ToolsCapability};

fn server_config() -> ServerConfig {
    let mut c = ServerConfig::new(Implementation::new("srv", "1.0"));
    c.capabilities =
        ServerCapabilities { tools: Some(ToolsCapability::default()), ..Default::default() };
    c
}

fn server() -> Session {
    Session::server(server_config(), Framing::Messages)
}

fn client() -> Session {
    Session::client(ClientConfig::new(Implementation::new("cli", "1.0")), Framing::Messages)
}

std::thread_local! {
    /// Outputs drained after each input (the session requires it) and not yet looked at.
    static PENDING: core::cell::RefCell<Vec<Output>> = const { core::cell::RefCell::new(Vec::new()) };
}

fn feed(s: &mut Session, now: Instant, v: Value) {
    s.handle_frame(now, Bytes::from(v.to_string()));
    PENDING.with(|p| p.borrow_mut().extend(core::iter::from_fn(|| s.poll_output())));
}

/// Everything output since the last call: JSON of every transmit, and the events.
fn drain(s: &mut Session) -> (Vec<Value>, Vec<Event>) {
    let (mut sent, mut events) = (Vec::new(), Vec::new());
    let earlier = PENDING.with(|p| core::mem::take(&mut *p.borrow_mut()));
    for o in earlier.into_iter().chain(core::iter::from_fn(|| s.poll_output())) {
        match o {
            Output::Transmit(t) => sent.push(serde_json::from_slice(&t.bytes).unwrap()),
            Output::Event(e) => events.push(e),
        }
    }
    (sent, events)
}

const T0: Instant = Instant::ZERO;

fn init(version: &str) -> Value {
    json!({"jsonrpc":"2.0","id":0,"method":"initialize","params":{
        "protocolVersion":version,"capabilities":{},"clientInfo":{"name":"c","version":"1"}}})
}

fn initialized_server() -> Session {
    let mut s = server();
    feed(&mut s, T0, init("2025-11-25"));
    feed_drained(&mut s, json!({"jsonrpc":"2.0","method":"notifications/initialized"}));
    s
}

fn feed_drained(s: &mut Session, v: Value) {
    drain(s);
    feed(s, T0, v);
    drain(s);
}

fn stateless_meta() -> Value {
    json!({"io.modelcontextprotocol/protocolVersion":"2026-07-28",
           "io.modelcontextprotocol/clientCapabilities":{}})
}

#[test]
fn server_echoes_a_supported_version_and_offers_its_newest_otherwise() {
    let mut s = server();
    feed(&mut s, T0, init("2025-06-18"));
    let (sent, _) = drain(&mut s);
    assert_eq!(sent[0]["result"]["protocolVersion"], "2025-06-18");
    assert_eq!(sent[0]["result"]["serverInfo"]["name"], "srv");

    let mut s = server();
    feed(&mut s, T0, init("2099-01-01"));
    let (sent, _) = drain(&mut s);
    assert_eq!(sent[0]["result"]["protocolVersion"], "2025-11-25");
    feed(&mut s, T0, json!({"jsonrpc":"2.0","method":"notifications/initialized"}));
    let (_, events) = drain(&mut s);
    assert!(
        matches!(&events[0], Event::Connected(p) if p.protocol_version == ProtocolVersion::V2025_11_25)
    );
}

#[test]
fn requests_before_initialize_are_refused_but_ping_is_answered() {
    let mut s = server();
    feed(&mut s, T0, json!({"jsonrpc":"2.0","id":1,"method":"tools/list"}));
    feed(&mut s, T0, json!({"jsonrpc":"2.0","id":2,"method":"ping"}));
    let (sent, _) = drain(&mut s);
    assert_eq!(sent[0]["error"]["code"], -32600);
    assert_eq!(sent[1], json!({"jsonrpc":"2.0","id":2,"result":{}}));
}

#[test]
fn malformed_input_gets_its_error_and_the_session_lives_on() {
    let mut s = initialized_server();
    s.handle_frame(T0, Bytes::from_static(b"{oops"));
    PENDING.with(|p| p.borrow_mut().extend(core::iter::from_fn(|| s.poll_output())));
    let (sent, events) = drain(&mut s);
    assert_eq!(sent[0]["error"]["code"], -32700);
    assert_eq!(sent[0].get("id"), None);
    assert!(matches!(events[0], Event::ProtocolViolation { .. }));
    feed(&mut s, T0, json!({"jsonrpc":"2.0","id":"x","method":"nope/nope"}));
    feed(&mut s, T0, json!({"jsonrpc":"2.0","id":"y","method":"resources/list"}));
    feed(&mut s, T0, json!({"jsonrpc":"2.0","id":"z","method":"tools/list","params":7}));
    let (sent, events) = drain(&mut s);
    // An unknown method reaches the application, which answers -32601 itself; an undeclared
    // capability is refused by the session.
    assert!(matches!(&events[0], Event::Request(r) if r.method == "nope/nope"));
    assert_eq!(sent[0]["error"]["code"], -32601);
    assert_eq!(sent[0]["id"], "y");
    assert_eq!(sent[1]["error"]["code"], -32600);
    assert_eq!(sent[1]["id"], "z");
}

#[test]
fn batches_are_refused_except_on_2025_03_26() {
    let batch = || {
        Bytes::from(json!([{"jsonrpc":"2.0","id":5,"method":"ping"},{"jsonrpc":"2.0","id":6,"method":"ping"}]).to_string())
    };
    let mut s = initialized_server();
    s.handle_frame(T0, batch());
    let (sent, _) = drain(&mut s);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["error"]["code"], -32600);

    let mut s = server();
    feed(&mut s, T0, init("2025-03-26"));
    feed_drained(&mut s, json!({"jsonrpc":"2.0","method":"notifications/initialized"}));
    s.handle_frame(T0, batch());
    let (sent, _) = drain(&mut s);
    assert_eq!(sent.iter().map(|v| v["id"].clone()).collect::<Vec<_>>(), [json!(5), json!(6)]);
}

#[test]
fn stateless_requests_carry_their_context_and_get_result_type() {
    let mut s = server();
    let mut meta = stateless_meta();
    meta["io.modelcontextprotocol/logLevel"] = json!("info");
    meta["progressToken"] = json!("p");
    feed(
        &mut s,
        T0,
        json!({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","_meta":meta}}),
    );
    let (_, events) = drain(&mut s);
    let Event::Request(r) = &events[0] else { panic!("{events:?}") };
    assert_eq!(r.context.protocol_version, ProtocolVersion::V2026_07_28);
    assert_eq!(r.context.log_level, Some(LoggingLevel::Info));
    assert!(r.context.wants_progress);
    s.notify_progress(&r.id, 1.0, None, None).unwrap();
    assert_eq!(
        s.log(LoggingLevel::Debug, None, RawJson::null(), Some(&r.id)),
        Err(SendError::MethodNotAllowed {
            method: "notifications/message".into(),
            reason: "declare the logging capability first",
        })
    );
    s.respond(&r.id, RawJson::from_string(r#"{"content":[]}"#.into()).unwrap()).unwrap();
    let (sent, _) = drain(&mut s);
    assert_eq!(sent[0]["params"]["progressToken"], "p");
    assert_eq!(sent[1]["result"], json!({"content":[],"resultType":"complete"}));
}

#[test]
fn stateless_version_and_meta_errors() {
    let mut s = server();
    let mut meta = stateless_meta();
    meta["io.modelcontextprotocol/protocolVersion"] = json!("1900-01-01");
    feed(&mut s, T0, json!({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":meta}}));
    feed(
        &mut s,
        T0,
        json!({"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}),
    );
    feed(
        &mut s,
        T0,
        json!({"jsonrpc":"2.0","id":3,"method":"server/discover","params":{"_meta":stateless_meta()}}),
    );
    feed(
        &mut s,
        T0,
        json!({"jsonrpc":"2.0","id":4,"method":"ping","params":{"_meta":stateless_meta()}}),
    );
    let (sent, _) = drain(&mut s);
    assert_eq!(sent[0]["error"]["code"], -32022);
    assert_eq!(sent[0]["error"]["data"]["requested"], "1900-01-01");
    assert_eq!(sent[0]["error"]["data"]["supported"][0], "2026-07-28");
    assert_eq!(sent[1]["error"]["code"], -32602);
    assert_eq!(sent[2]["result"]["supportedVersions"][0], "2026-07-28");
    assert_eq!(sent[2]["result"]["capabilities"], json!({"tools":{}}));
    assert_eq!(sent[2]["result"]["_meta"]["io.modelcontextprotocol/serverInfo"]["name"], "srv");
    assert_eq!(sent[3]["error"]["code"], -32601);
}

#[test]
fn peer_cancellation_stops_the_request_but_never_initialize() {
    let mut s = initialized_server();
    feed(
        &mut s,
        T0,
        json!({"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"slow"}}),
    );
    feed(
        &mut s,
        T0,
        json!({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":9,"reason":"bored"}}),
    );
    let (_, events) = drain(&mut s);
    assert!(
        matches!(&events[1], Event::Cancelled { id, reason } if *id == RequestId::Number(9) && reason.as_deref() == Some("bored"))
    );
    assert_eq!(
        s.respond(&RequestId::Number(9), RawJson::empty_object()),
        Err(SendError::UnknownRequest)
    );

    let mut c = client();
    c.connect(T0).unwrap();
    let (sent, _) = drain(&mut c);
    assert_eq!(sent[0]["method"], "server/discover");
    c.handle_timeout(T0 + Duration::from_secs(5));
    let (sent, _) = drain(&mut c);
    let init_id: RequestId = serde_json::from_value(sent.last().unwrap()["id"].clone()).unwrap();
    assert_eq!(c.cancel(&init_id, None), Err(SendError::CannotCancelInitialize));
}

#[test]
fn the_discovery_of_connect_cannot_be_cancelled() {
    // Found by the `session_ops` fuzz target: cancelling id 0, which `connect` used for its
    // `server/discover` without handing it out, removed the discovery, so the client waited
    // for an answer (and its timeout) that could never come.
    let mut c = client();
    c.connect(T0).unwrap();
    let (sent, _) = drain(&mut c);
    assert_eq!(sent[0]["method"], "server/discover");
    let discover_id: RequestId = serde_json::from_value(sent[0]["id"].clone()).unwrap();
    assert_eq!(c.cancel(&discover_id, None), Err(SendError::UnknownRequest));
    let (sent, events) = drain(&mut c);
    assert!(sent.is_empty() && events.is_empty(), "a refused cancel changes nothing");
    assert_eq!(c.poll_timeout(), Some(T0 + Duration::from_secs(5)), "discovery still times out");
    c.handle_timeout(T0 + Duration::from_secs(5));
    let (sent, _) = drain(&mut c);
    assert_eq!(sent.last().unwrap()["method"], "initialize", "and falls back to the handshake");
}

fn connected_client(server_caps: Value) -> Session {
    let mut c = client();
    c.connect(T0).unwrap();
    drain(&mut c);
    feed(
        &mut c,
        T0,
        json!({"jsonrpc":"2.0","id":0,"error":{"code":-32601,"message":"Method not found"}}),
    );
    let (sent, _) = drain(&mut c);
    assert_eq!(sent[0]["method"], "initialize");
    assert_eq!(sent[0]["params"]["protocolVersion"], "2025-11-25");
    feed(
        &mut c,
        T0,
        json!({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25",
        "capabilities":server_caps,"serverInfo":{"name":"s","version":"1"}}}),
    );
    let (sent, events) = drain(&mut c);
    assert_eq!(sent[0]["method"], "notifications/initialized");
    assert!(matches!(&events[0], Event::Connected(_)));
    c
}

#[test]
fn client_falls_back_to_initialize_and_refuses_unknown_versions() {
    let c = connected_client(json!({"tools":{}}));
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::V2025_11_25));

    let mut c = client();
    c.connect(T0).unwrap();
    drain(&mut c);
    feed(&mut c, T0, json!({"jsonrpc":"2.0","id":0,"error":{"code":-32601,"message":"no"}}));
    drain(&mut c);
    feed(
        &mut c,
        T0,
        json!({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2023-01-01",
        "capabilities":{},"serverInfo":{"name":"s","version":"1"}}}),
    );
    let (sent, events) = drain(&mut c);
    assert!(sent.is_empty());
    assert!(matches!(&events[0], Event::ConnectFailed { .. }));
}

#[test]
fn client_refuses_requests_the_server_did_not_declare() {
    let mut c = connected_client(json!({"tools":{}}));
    let e = c.send_request(T0, "prompts/list", None, RequestOptions::default()).unwrap_err();
    assert_eq!(
        e,
        SendError::CapabilityNotDeclared { method: "prompts/list".into(), capability: "prompts" }
    );
    assert!(c.send_request(T0, "tools/list", None, RequestOptions::default()).is_ok());
}

#[test]
fn timeouts_cancel_and_late_responses_are_ignored() {
    let mut c = connected_client(json!({"tools":{}}));
    let opts = RequestOptions { timeout: Some(Duration::from_secs(2)), ..Default::default() };
    let id = c
        .send_request(T0, "tools/call", Some(RawJson::to_raw(&json!({"name":"t"}))), opts)
        .unwrap();
    drain(&mut c);
    assert_eq!(c.poll_timeout(), Some(T0 + Duration::from_secs(2)));
    c.handle_timeout(T0 + Duration::from_secs(2));
    let (sent, events) = drain(&mut c);
    assert_eq!(sent[0]["method"], "notifications/cancelled");
    assert_eq!(sent[0]["params"]["requestId"], serde_json::to_value(&id).unwrap());
    assert!(matches!(&events[0], Event::Outcome { outcome: Outcome::TimedOut, .. }));
    feed(&mut c, T0, json!({"jsonrpc":"2.0","id":id,"result":{}}));
    let (_, events) = drain(&mut c);
    assert!(events.is_empty(), "a late response must be ignored: {events:?}");
}

#[test]
fn progress_is_routed_must_increase_and_cannot_extend_past_the_maximum() {
    let mut c = connected_client(json!({"tools":{}}));
    let opts = RequestOptions {
        timeout: Some(Duration::from_secs(300)),
        progress: true,
        reset_timeout_on_progress: true,
        ..Default::default()
    };
    let id = c
        .send_request(T0, "tools/call", Some(RawJson::to_raw(&json!({"name":"t"}))), opts)
        .unwrap();
    let (sent, _) = drain(&mut c);
    let token = sent[0]["params"]["_meta"]["progressToken"].clone();
    let progress = |p: f64| json!({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":token,"progress":p}});
    let at = T0 + Duration::from_secs(400);
    feed(&mut c, at, progress(1.0));
    let (_, events) = drain(&mut c);
    assert!(matches!(&events[0], Event::Progress { progress, .. } if *progress == 1.0));
    // The deadline moved, but only up to the ten-minute hard maximum.
    assert_eq!(c.poll_timeout(), Some(T0 + Duration::from_secs(600)));
    feed(&mut c, at, progress(1.0));
    let (_, events) = drain(&mut c);
    assert!(matches!(&events[0], Event::ProtocolViolation { .. }));
    c.handle_timeout(T0 + Duration::from_secs(600));
    let (_, events) = drain(&mut c);
    assert!(matches!(&events[0], Event::Outcome { id: i, outcome: Outcome::TimedOut } if *i == id));
}

#[test]
fn limits_refuse_with_clear_errors() {
    let mut c = Session::client(
        ClientConfig {
            limits: Limits { max_outgoing_in_flight: 1, ..Default::default() },
            ..ClientConfig::new(Implementation::new("c", "1"))
        },
        Framing::Messages,
    );
    c.connect(T0).unwrap();
    drain(&mut c);
    feed(
        &mut c,
        T0,
        json!({"jsonrpc":"2.0","id":0,"result":{"resultType":"complete","supportedVersions":["2026-07-28"],
        "capabilities":{"tools":{}},"ttlMs":0,"cacheScope":"public"}}),
    );
    drain(&mut c);
    c.send_request(T0, "tools/list", None, RequestOptions::default()).unwrap();
    let e = c.send_request(T0, "tools/list", None, RequestOptions::default()).unwrap_err();
    assert_eq!(e, SendError::TooManyInFlight { limit: 1 });
    assert!(e.to_string().contains("limit 1"));
}

#[test]
fn mrtr_retries_echo_request_state_under_a_new_id() {
    let mut c = client();
    c.connect(T0).unwrap();
    drain(&mut c);
    feed(
        &mut c,
        T0,
        json!({"jsonrpc":"2.0","id":0,"result":{"resultType":"complete","supportedVersions":["2026-07-28"],
        "capabilities":{"tools":{}},"ttlMs":0,"cacheScope":"public"}}),
    );
    let (_, events) = drain(&mut c);
    assert!(
        matches!(&events[0], Event::Connected(p) if p.protocol_version == ProtocolVersion::V2026_07_28)
    );
    let id = c
        .send_request(
            T0,
            "tools/call",
            Some(RawJson::to_raw(&json!({"name":"t","arguments":{"a":1}}))),
            RequestOptions::default(),
        )
        .unwrap();
    let (sent, _) = drain(&mut c);
    assert_eq!(sent[0]["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"], "2026-07-28");
    feed(
        &mut c,
        T0,
        json!({"jsonrpc":"2.0","id":id,"result":{"resultType":"input_required",
        "inputRequests":{"q":{"method":"elicitation/create","params":{"message":"?","requestedSchema":{"type":"object","properties":{}}}}},
        "requestState":"opaque"}}),
    );
    let (_, events) = drain(&mut c);
    assert!(
        matches!(&events[0], Event::InputRequired { id: i, input_requests: Some(_) } if *i == id)
    );
    assert_eq!(
        c.poll_timeout(),
        Some(T0 + Duration::from_secs(600)),
        "waiting for input keeps the hard maximum"
    );
    c.provide_input(T0, &id, RawJson::to_raw(&json!({"q":{"action":"decline"}}))).unwrap();
    let (sent, _) = drain(&mut c);
    let retry = &sent[0];
    assert_ne!(retry["id"], serde_json::to_value(&id).unwrap());
    assert_eq!(retry["params"]["requestState"], "opaque");
    assert_eq!(retry["params"]["inputResponses"]["q"]["action"], "decline");
    assert_eq!(retry["params"]["arguments"], json!({"a":1}));
    feed(
        &mut c,
        T0,
        json!({"jsonrpc":"2.0","id":retry["id"],"result":{"resultType":"complete","content":[]}}),
    );
    let (_, events) = drain(&mut c);
    assert!(
        matches!(&events[0], Event::Outcome { id: i, outcome: Outcome::Result(_) } if *i == id)
    );
}

#[test]
fn server_checks_input_required_against_the_clients_capabilities() {
    let mut s = server();
    feed(
        &mut s,
        T0,
        json!({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","_meta":stateless_meta()}}),
    );
    let (_, events) = drain(&mut s);
    let Event::Request(r) = &events[0] else { panic!() };
    let ask = RawJson::to_raw(
        &json!({"resultType":"input_required","inputRequests":{"s":{"method":"sampling/createMessage","params":{}}}}),
    );
    assert_eq!(
        s.respond(&r.id, ask),
        Err(SendError::CapabilityNotDeclared {
            method: "sampling/createMessage".into(),
            capability: "sampling"
        })
    );
}

#[test]
fn listen_streams_are_acknowledged_and_tagged() {
    let mut cfg = server_config();
    cfg.capabilities.tools =
        Some(ToolsCapability { list_changed: Some(true), ..Default::default() });
    let mut s = Session::server(cfg, Framing::Messages);
    feed(
        &mut s,
        T0,
        json!({"jsonrpc":"2.0","id":"L","method":"subscriptions/listen","params":{"_meta":stateless_meta(),
        "notifications":{"toolsListChanged":true,"promptsListChanged":true}}}),
    );
    let (sent, _) = drain(&mut s);
    assert_eq!(sent[0]["method"], "notifications/subscriptions/acknowledged");
    assert_eq!(sent[0]["params"]["notifications"], json!({"toolsListChanged":true}));
    assert_eq!(sent[0]["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"], "L");
    assert_eq!(s.notify_list_changed("notifications/prompts/list_changed"), Ok(0));
    assert_eq!(s.notify_list_changed("notifications/tools/list_changed"), Ok(1));
    s.end_subscription(&RequestId::from("L")).unwrap();
    let (sent, _) = drain(&mut s);
    assert_eq!(sent[0]["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"], "L");
    assert_eq!(sent[1]["result"]["resultType"], "complete");
}

#[test]
fn listen_streams_end_with_the_connection() {
    let mut cfg = server_config();
    cfg.capabilities.tools =
        Some(ToolsCapability { list_changed: Some(true), ..Default::default() });
    cfg.capabilities.resources = Some(serde_json::from_value(json!({"subscribe": true})).unwrap());
    let mut s = Session::server(cfg, Framing::Messages);
    feed(
        &mut s,
        T0,
        json!({"jsonrpc":"2.0","id":"L","method":"subscriptions/listen","params":{"_meta":stateless_meta(),
        "notifications":{"toolsListChanged":true,"resourceSubscriptions":["file:///a"]}}}),
    );
    drain(&mut s);
    assert_eq!(s.notify_list_changed("notifications/tools/list_changed"), Ok(1));
    drain(&mut s);
    s.handle_eof(T0);
    let (_, events) = drain(&mut s);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::ResourceUnsubscribed { uri } if uri == "file:///a")),
        "{events:?}"
    );
    assert!(matches!(events.last(), Some(Event::Closed)));
    assert_eq!(s.notify_list_changed("notifications/tools/list_changed"), Err(SendError::Closed));
}

#[test]
fn legacy_logging_respects_set_level() {
    let mut cfg = server_config();
    cfg.capabilities.logging = Some(Default::default());
    let mut s = Session::server(cfg, Framing::Messages);
    feed(&mut s, T0, init("2025-11-25"));
    feed_drained(&mut s, json!({"jsonrpc":"2.0","method":"notifications/initialized"}));
    feed(
        &mut s,
        T0,
        json!({"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"warning"}}),
    );
    let (sent, events) = drain(&mut s);
    assert_eq!(sent[0]["result"], json!({}));
    assert!(matches!(events[0], Event::LogLevelChanged(LoggingLevel::Warning)));
    assert_eq!(s.log(LoggingLevel::Info, None, RawJson::null(), None), Ok(false));
    assert_eq!(s.log(LoggingLevel::Error, Some("db"), RawJson::to_raw("down"), None), Ok(true));
    let (sent, _) = drain(&mut s);
    assert_eq!(sent[0]["params"], json!({"level":"error","logger":"db","data":"down"}));
}

#[test]
fn eof_closes_every_pending_request() {
    let mut c = connected_client(json!({"tools":{}}));
    let id = c.send_request(T0, "tools/list", None, RequestOptions::default()).unwrap();
    drain(&mut c);
    c.handle_eof(T0);
    let (_, events) = drain(&mut c);
    assert!(matches!(&events[0], Event::Outcome { id: i, outcome: Outcome::Closed } if *i == id));
    assert!(matches!(events[1], Event::Closed));
    assert_eq!(
        c.send_request(T0, "tools/list", None, RequestOptions::default()),
        Err(SendError::Closed)
    );
}

#[test]
fn resource_subscriptions_are_capped() {
    let mut config = server_config();
    config.capabilities.resources =
        Some(serde_json::from_value(json!({"subscribe": true})).unwrap());
    config.limits.max_subscriptions = 2;
    let mut s = Session::server(config, Framing::Messages);
    feed(&mut s, T0, init("2025-11-25"));
    feed_drained(&mut s, json!({"jsonrpc":"2.0","method":"notifications/initialized"}));
    let subscribe = |id: u32, uri: &str| json!({"jsonrpc":"2.0","id":id,"method":"resources/subscribe","params":{"uri":uri}});
    for (id, uri) in [(1, "a://1"), (2, "a://2"), (3, "a://2")] {
        feed(&mut s, T0, subscribe(id, uri));
        let (sent, _) = drain(&mut s);
        assert_eq!(sent[0]["result"], json!({}), "{uri}: {sent:?}");
    }
    feed(&mut s, T0, subscribe(4, "a://3"));
    let (sent, events) = drain(&mut s);
    assert_eq!(sent[0]["error"]["code"], -32602, "{sent:?}");
    assert!(sent[0]["error"]["message"].as_str().unwrap().contains("at most 2"));
    assert!(events.is_empty(), "{events:?}");
    // Unsubscribing makes room again.
    feed(
        &mut s,
        T0,
        json!({"jsonrpc":"2.0","id":5,"method":"resources/unsubscribe","params":{"uri":"a://1"}}),
    );
    drain(&mut s);
    feed(&mut s, T0, subscribe(6, "a://3"));
    let (sent, _) = drain(&mut s);
    assert_eq!(sent[0]["result"], json!({}), "{sent:?}");
}
