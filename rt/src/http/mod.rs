//! MCP over HTTP on hyper, for every runtime: the Streamable HTTP (and legacy HTTP+SSE)
//! server as a tower `Service` and on a listener, and the client. TLS is rustls.
//!
//! The core's HTTP machines decide everything about each exchange; this module moves heads
//! and bodies between them and hyper, which runs on the [`Runtime`](crate::Runtime) through
//! [`hyper_rt`]'s adapters.

mod client;
mod headers;
pub mod hyper_rt;
mod listen;
mod pool;
mod service;

pub use client::{client, default_tls};
pub use listen::{protect_loopback, serve, serve_connections};
pub use pool::Connect;
pub use service::{ExchangeBody, HttpTimeouts, McpHttpService, McpResponse, service};

pub use rustls;

/// Writes a runtime crate's HTTP API — `McpHttpService`, `service`, `serve`,
/// `protect_loopback`, `serve_service`, `serve_service_tls`, `connect_http`, `connect_https` —
/// in terms of the shared server and client here, so the three runtime crates offer the same
/// functions with the same documentation. The crate supplies its runtime, its listener type,
/// a function `incoming(listener)` yielding accepted futures-io streams, the type of a spawned
/// task and how to spawn one.
#[macro_export]
macro_rules! http_api {
    (
        runtime: $rt:expr, $Rt:ty;
        listener: $Listener:ty;
        incoming: $incoming:path;
        task: $Task:ty, $spawn:path;
    ) => {
        /// A running MCP HTTP endpoint: mount it in a hyper or axum app as a tower `Service`,
        /// or serve it with [`serve_service`].
        pub type McpHttpService = $crate::http::McpHttpService<$Rt>;

        /// Starts the loop that owns the HTTP machine for `server`. Returns the service to
        /// mount and the server's handle (resources updated, tools added).
        pub fn service(
            server: $crate::mcp_sansio::server::Server,
            config: $crate::mcp_sansio::http::server::HttpConfig,
        ) -> ::std::io::Result<(McpHttpService, $crate::mcp_sansio::server::ServerHandle)> {
            $crate::http::service($rt, server, config)
        }

        /// Serves `server` over HTTP on `listener` until `shutdown` completes, then lets
        /// requests in flight finish. Bound to a loopback address, DNS-rebinding protection
        /// is on unless the config already sets allow-lists.
        pub async fn serve(
            listener: $Listener,
            server: $crate::mcp_sansio::server::Server,
            config: $crate::mcp_sansio::http::server::HttpConfig,
            shutdown: impl ::core::future::Future<Output = ()>,
        ) -> ::std::io::Result<()> {
            let addr = listener.local_addr()?;
            $crate::http::serve($rt, addr, $incoming(listener), server, config, shutdown).await
        }

        /// `config` with DNS-rebinding protection when `listener` is on a loopback address
        /// and the config sets no allow-lists of its own.
        pub fn protect_loopback(
            listener: &$Listener,
            config: $crate::mcp_sansio::http::server::HttpConfig,
        ) -> ::std::io::Result<$crate::mcp_sansio::http::server::HttpConfig> {
            Ok($crate::http::protect_loopback(listener.local_addr()?, config))
        }

        /// Serves a [`service`] on `listener` (HTTP/1.1 and HTTP/2) until `shutdown`
        /// completes, then lets requests in flight finish.
        pub async fn serve_service(
            listener: $Listener,
            svc: McpHttpService,
            shutdown: impl ::core::future::Future<Output = ()>,
        ) -> ::std::io::Result<()> {
            $crate::http::serve_connections($rt, $incoming(listener), svc, None, shutdown).await
        }

        /// Like [`serve_service`], over TLS (rustls): `https://`. Set `alpn_protocols` in
        /// `tls` to offer HTTP/2 (`h2`) as well as HTTP/1.1.
        pub async fn serve_service_tls(
            listener: $Listener,
            svc: McpHttpService,
            tls: ::std::sync::Arc<$crate::http::rustls::ServerConfig>,
            shutdown: impl ::core::future::Future<Output = ()>,
        ) -> ::std::io::Result<()> {
            $crate::http::serve_connections($rt, $incoming(listener), svc, Some(tls), shutdown)
                .await
        }

        /// Starts a client of the MCP server at `url` (its Streamable HTTP endpoint,
        /// `http://` or `https://`, the latter checked against the Mozilla root
        /// certificates); call `Client::connect` next. The returned task runs the
        /// connection's loop until `Client::close` (which sends `DELETE` for a session).
        pub fn connect_http(
            url: &str,
            config: $crate::mcp_sansio::session::ClientConfig,
            handlers: $crate::mcp_sansio::client::ClientHandlers,
        ) -> ::std::io::Result<($crate::mcp_sansio::client::Client, $Task)> {
            connect_https(url, config, handlers, $crate::http::default_tls()?)
        }

        /// Like [`connect_http`], with your own TLS settings (private roots, client
        /// certificates).
        pub fn connect_https(
            url: &str,
            config: $crate::mcp_sansio::session::ClientConfig,
            handlers: $crate::mcp_sansio::client::ClientHandlers,
            tls: ::std::sync::Arc<$crate::http::rustls::ClientConfig>,
        ) -> ::std::io::Result<($crate::mcp_sansio::client::Client, $Task)> {
            let (client, run) = $crate::http::client($rt, url, config, handlers, tls)?;
            Ok((client, $spawn(run)))
        }
    };
}
