//! Golden transcripts: a client core and a server core talking in memory on a virtual clock.
//!
//! Each scenario runs over several links (different latencies and chunkings, down to one byte
//! at a time); the transcript must come out identical, and equal to the golden file.

mod harness;
mod support;

use std::collections::HashMap;
use std::time::Duration;

use harness::{Harness, LinkConfig, Side, assert_golden};
use mcp_sansio::ProtocolVersion;
use mcp_sansio::jsonrpc::{RawJson, RequestId};
use mcp_sansio::session::{
    ClientConfig, Event, Framing, Outcome, RequestOptions, SendError, ServerConfig, Session,
};
use mcp_sansio::types::{ElicitationCapability, Implementation};
use serde_json::json;

fn raw(v: serde_json::Value) -> RawJson {
    RawJson::to_raw(&v)
}

fn links() -> Vec<LinkConfig> {
    vec![
        LinkConfig::default(),
        LinkConfig { max_chunk: 1, ..LinkConfig::default() },
        LinkConfig { max_chunk: 7, seed: 42, ..LinkConfig::default() },
        LinkConfig { max_chunk: 64, seed: 7, ..LinkConfig::default() },
    ]
}

/// Runs `scenario` over every link and checks the transcripts agree with each other and with
/// the golden file, and that every message either side sent is valid under its revision's
/// schema.json.
fn check(name: &str, scenario: fn(LinkConfig) -> Harness) {
    let reference = scenario(LinkConfig::default());
    for link in links() {
        assert_eq!(
            scenario(link).transcript,
            reference.transcript,
            "transcript {name} changed with {link:?}"
        );
    }
    assert_golden(name, &reference.transcript);
    validate_wire(&reference);
}

fn validate_wire(h: &Harness) {
    let mut methods: HashMap<(bool, String), String> = HashMap::new();
    for (side, version, bytes) in &h.sent {
        let msg: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        let from_client = *side == Side::Client;
        let method = msg.get("method").and_then(|m| m.as_str());
        // Before a revision is settled, the client's probe and its error reply are 2026-07-28
        // messages and `initialize` is a legacy one.
        let rev = version.unwrap_or(if method == Some("initialize") {
            ProtocolVersion::LATEST_LEGACY
        } else {
            ProtocolVersion::LATEST
        });
        let id = msg.get("id").map(|i| i.to_string());
        match (method, id) {
            (Some(m), Some(id)) => {
                methods.insert((from_client, id), m.to_owned());
                support::schema::assert_message_valid(rev, &msg);
            }
            (Some(_), None) => support::schema::assert_message_valid(rev, &msg),
            (None, Some(id)) => {
                let m = methods.get(&(!from_client, id)).expect("a response answers a request");
                // The answer to the 2026-07-28 probe is judged by the revision it was asked in.
                let rev = if m == "server/discover" { ProtocolVersion::LATEST } else { rev };
                support::schema::assert_response_valid(rev, m, &msg);
            }
            (None, None) => support::schema::assert_message_valid(rev, &msg),
        }
    }
}

fn request_id(e: Event) -> RequestId {
    match e {
        Event::Request(r) => r.id,
        other => panic!("expected a request, got {other:?}"),
    }
}

fn legacy(link: LinkConfig) -> Harness {
    let mut server = ServerConfig::new(Implementation::new("golden-server", "1.0.0"));
    server.versions = vec![ProtocolVersion::V2025_06_18, ProtocolVersion::V2025_11_25];
    server.capabilities.tools = Some(Default::default());
    let client = ClientConfig::new(Implementation::new("golden-client", "1.0.0"));
    let mut h = Harness::new(
        Session::client(client, Framing::Lines),
        Session::server(server, Framing::Lines),
        link,
    );

    h.note(
        "connect: the server/discover probe gets -32022, so the client falls back to initialize",
    );
    h.client.connect(h.now).unwrap();
    h.settle();
    assert!(
        matches!(h.client_event(), Event::Connected(p) if p.protocol_version == ProtocolVersion::V2025_11_25)
    );
    assert!(matches!(h.server_event(), Event::Connected(_)));

    h.note("tools/call with progress");
    let opts = RequestOptions { progress: true, ..Default::default() };
    let call = h
        .client
        .send_request(
            h.now,
            "tools/call",
            Some(raw(json!({"name":"slow_add","arguments":{"a":2,"b":3}}))),
            opts,
        )
        .unwrap();
    h.settle();
    let rid = request_id(h.server_event());
    h.server.notify_progress(&rid, 0.5, Some(1.0), Some("halfway")).unwrap();
    h.advance(Duration::from_millis(10));
    h.server.notify_progress(&rid, 1.0, Some(1.0), None).unwrap();
    h.server.respond(&rid, raw(json!({"content":[{"type":"text","text":"5"}]}))).unwrap();
    h.settle();
    assert!(matches!(h.client_event(), Event::Progress { progress, .. } if progress == 0.5));
    assert!(matches!(h.client_event(), Event::Progress { progress, .. } if progress == 1.0));
    assert!(
        matches!(h.client_event(), Event::Outcome { id, outcome: Outcome::Result(_) } if id == call)
    );

    h.note("cancellation: the server drops the request and its answer goes nowhere");
    let call = h
        .client
        .send_request(
            h.now,
            "tools/call",
            Some(raw(json!({"name":"forever"}))),
            RequestOptions::default(),
        )
        .unwrap();
    h.settle();
    let rid = request_id(h.server_event());
    h.client.cancel(&call, Some("user pressed stop")).unwrap();
    h.settle();
    assert!(matches!(h.client_event(), Event::Outcome { outcome: Outcome::Cancelled, .. }));
    assert!(matches!(h.server_event(), Event::Cancelled { id, .. } if id == rid));
    assert_eq!(h.server.respond(&rid, raw(json!({"content":[]}))), Err(SendError::UnknownRequest));

    h.note("timeout: no answer within a second");
    let opts = RequestOptions { timeout: Some(Duration::from_secs(1)), ..Default::default() };
    let call = h
        .client
        .send_request(h.now, "tools/call", Some(raw(json!({"name":"forever"}))), opts)
        .unwrap();
    h.settle();
    let rid = request_id(h.server_event());
    h.advance(Duration::from_secs(2));
    assert!(
        matches!(h.client_event(), Event::Outcome { id, outcome: Outcome::TimedOut } if id == call)
    );
    assert!(matches!(h.server_event(), Event::Cancelled { id, .. } if id == rid));
    h
}

fn stateless(link: LinkConfig) -> Harness {
    let mut server = ServerConfig::new(Implementation::new("golden-server", "1.0.0"));
    server.capabilities.tools = Some(Default::default());
    let mut client = ClientConfig::new(Implementation::new("golden-client", "1.0.0"));
    client.capabilities.elicitation = Some(ElicitationCapability::default());
    let mut h = Harness::new(
        Session::client(client, Framing::Lines),
        Session::server(server, Framing::Lines),
        link,
    );

    h.note("connect: server/discover answers, so every request carries its own _meta");
    h.client.connect(h.now).unwrap();
    h.settle();
    assert!(
        matches!(h.client_event(), Event::Connected(p) if p.protocol_version == ProtocolVersion::V2026_07_28)
    );

    h.note("tools/call needs the user's confirmation: an MRTR round trip");
    let call = h
        .client
        .send_request(
            h.now,
            "tools/call",
            Some(raw(json!({"name":"book_table","arguments":{"party":4}}))),
            RequestOptions::default(),
        )
        .unwrap();
    h.settle();
    let rid = request_id(h.server_event());
    let ask = json!({
        "resultType": "input_required",
        "inputRequests": {"confirm": {"method": "elicitation/create", "params": {
            "mode": "form", "message": "Book a table for 4?",
            "requestedSchema": {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}}}},
        "requestState": "state-1"
    });
    h.server.respond(&rid, raw(ask)).unwrap();
    h.settle();
    assert!(matches!(h.client_event(), Event::InputRequired { id, .. } if id == call));
    h.client
        .provide_input(
            h.now,
            &call,
            raw(json!({"confirm":{"action":"accept","content":{"ok":true}}})),
        )
        .unwrap();
    h.settle();
    let Event::Request(retry) = h.server_event() else { panic!("expected the retry") };
    assert_ne!(retry.id, rid);
    let params: serde_json::Value = retry.params.as_ref().unwrap().parse_owned().unwrap();
    assert_eq!(params["requestState"], "state-1");
    assert_eq!(params["inputResponses"]["confirm"]["content"]["ok"], true);
    h.server
        .respond(&retry.id, raw(json!({"content":[{"type":"text","text":"Booked."}]})))
        .unwrap();
    h.settle();
    assert!(
        matches!(h.client_event(), Event::Outcome { id, outcome: Outcome::Result(_) } if id == call)
    );
    h
}

#[test]
fn legacy_handshake_tools_call_progress_cancellation_timeout() {
    check("legacy", legacy);
}

#[test]
fn stateless_discover_tools_call_and_mrtr() {
    check("stateless", stateless);
}
