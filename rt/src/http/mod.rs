//! MCP over HTTP on hyper, for every runtime: the Streamable HTTP (and legacy HTTP+SSE)
//! server as a tower `Service` and on a listener, and the client. TLS is rustls.
//!
//! The core's HTTP machines decide everything about each exchange; this module moves heads
//! and bodies between them and hyper, which runs on the [`Runtime`](crate::Runtime) through
//! [`hyper_rt`]'s adapters.

mod client;
pub mod hyper_rt;
mod listen;
mod pool;
mod service;

pub use client::{client, default_tls};
pub use listen::{protect_loopback, serve, serve_connections};
pub use pool::Connect;
pub use service::{ExchangeBody, HttpTimeouts, McpHttpService, McpResponse, service};
