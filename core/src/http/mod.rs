//! MCP over HTTP, sans-IO: the Streamable HTTP transport (2025-03-26 … 2026-07-28) and the
//! legacy HTTP+SSE transport (2024-11-05), server side.
//!
//! The runtime parses HTTP (hyper) and hands the machine request heads, body chunks and the end
//! of each request; the machine answers with response heads, body chunks and ends. Everything
//! the spec says about the exchange lives here: which headers are required and what they must
//! say, when to answer 202, JSON or an SSE stream, sessions, event ids and resumption, DNS
//! rebinding protection, body limits and keep-alives.

pub mod client;
mod head;
pub mod param_headers;
pub mod server;

pub use head::{HeaderPairs, Headers, HttpMethod, RequestHead};
