//! MCP client over Streamable HTTP on hyper (the shared client in [`mcp_sansio_rt::http`]).

use std::io;
use std::sync::Arc;

use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::session::ClientConfig;
use tokio::task::JoinHandle;

use crate::Tokio;

/// Starts a client of the MCP server at `url` (its Streamable HTTP endpoint, `http://` or
/// `https://`, the latter checked against the Mozilla root certificates); call
/// [`Client::connect`] next. The returned task runs the connection's loop until
/// [`Client::close`] (which sends `DELETE` for a session).
pub fn connect_http(
    url: &str,
    config: ClientConfig,
    handlers: ClientHandlers,
) -> io::Result<(Client, JoinHandle<()>)> {
    connect_https(url, config, handlers, mcp_sansio_rt::http::default_tls()?)
}

/// Like [`connect_http`], with your own TLS settings (private roots, client certificates).
pub fn connect_https(
    url: &str,
    config: ClientConfig,
    handlers: ClientHandlers,
    tls: Arc<rustls::ClientConfig>,
) -> io::Result<(Client, JoinHandle<()>)> {
    let (client, run) = mcp_sansio_rt::http::client(Tokio, url, config, handlers, tls)?;
    Ok((client, tokio::spawn(run)))
}
