//! A sans-IO implementation of the Model Context Protocol (MCP).
//!
//! This crate turns bytes into events and commands into bytes. It performs no I/O, reads no
//! clock and needs no async runtime: the caller passes time in as an [`Instant`] and moves the
//! bytes. It is `#![no_std]` with `alloc`; the default `std` feature only adds
//! `std::error::Error` impls.
//!
//! - [`jsonrpc`]: JSON-RPC 2.0 messages, decoded without copying their payloads.
//! - [`types`]: the MCP data model, one set of types for every revision from 2024-11-05 to
//!   2026-07-28.
//! - [`framing`]: newline-delimited JSON (stdio) and Server-Sent Events.
//! - [`session`]: the protocol state machine for either role and either era.
//!
//! # Driving a client and a server by hand
//!
//! No runtime is needed: move the bytes one session transmits into the other, and act on the
//! events. A runtime crate does the same with stdin and stdout, sockets and a timer.
//!
//! ```
//! use mcp_sansio::Instant;
//! use mcp_sansio::jsonrpc::RawJson;
//! use mcp_sansio::session::{
//!     ClientConfig, Event, Framing, Outcome, Output, RequestOptions, ServerConfig, Session,
//! };
//! use mcp_sansio::types::Implementation;
//!
//! /// Delivers everything `from` has to send into `to`; returns `from`'s events.
//! fn pump(from: &mut Session, to: &mut Session, now: Instant) -> Vec<Event> {
//!     let mut events = Vec::new();
//!     while let Some(out) = from.poll_output() {
//!         match out {
//!             Output::Transmit(t) => to.handle_bytes(now, &t.bytes),
//!             Output::Event(e) => events.push(e),
//!         }
//!     }
//!     events
//! }
//!
//! let now = Instant::ZERO;
//! let mut config = ServerConfig::new(Implementation::new("echo-server", "1.0.0"));
//! config.capabilities.tools = Some(Default::default());
//! let mut server = Session::server(config, Framing::Lines);
//! let mut client =
//!     Session::client(ClientConfig::new(Implementation::new("demo", "1.0.0")), Framing::Lines);
//!
//! // `connect` sends `server/discover`; this server answers it, so the two talk 2026-07-28.
//! client.connect(now).unwrap();
//! pump(&mut client, &mut server, now);
//! pump(&mut server, &mut client, now);
//! let events = pump(&mut client, &mut server, now);
//! assert!(matches!(&events[0], Event::Connected(peer) if peer.protocol_version.as_str() == "2026-07-28"));
//!
//! // The client calls a tool; the server's application answers it.
//! let params = RawJson::from_string(r#"{"name":"echo","arguments":{"text":"hi"}}"#.into()).unwrap();
//! let call = client.send_request(now, "tools/call", Some(params), RequestOptions::default()).unwrap();
//! pump(&mut client, &mut server, now);
//! for event in pump(&mut server, &mut client, now) {
//!     if let Event::Request(request) = event {
//!         assert_eq!(request.method, "tools/call");
//!         let result = RawJson::from_string(r#"{"content":[{"type":"text","text":"hi"}]}"#.into());
//!         server.respond(&request.id, result.unwrap()).unwrap();
//!     }
//! }
//! pump(&mut server, &mut client, now);
//! match &pump(&mut client, &mut server, now)[0] {
//!     Event::Outcome { id, outcome: Outcome::Result(result) } => {
//!         assert_eq!(*id, call);
//!         // The server filled in the 2026-07-28 `resultType`.
//!         assert!(result.as_str().contains(r#""resultType":"complete""#));
//!     }
//!     other => panic!("unexpected {other:?}"),
//! }
//! ```
#![no_std]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod client;
pub mod driver;
pub mod framing;
pub mod http;
pub mod jsonrpc;
pub mod methods;
pub mod server;
pub mod session;
pub mod time;
pub mod types;
pub mod uri_template;
pub mod version;

pub use time::Instant;
pub use version::{Era, ProtocolVersion};
