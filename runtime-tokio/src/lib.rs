//! [mcp-sansio](mcp_sansio) on tokio: serve a [`Server`] over stdio or any byte stream, run a
//! [`Client`] against a spawned server process, or join the two in memory.
//!
//! The crate holds no protocol logic. Its one loop ([`run`]) moves bytes between a stream and
//! the core's [`Driver`], spawns the handler tasks the driver asks for (aborting them when the
//! peer cancels, answering with an internal error when one panics), and arms one timer.
//!
//! ```no_run
//! use mcp_sansio::server::{Context, ServerBuilder};
//!
//! #[derive(serde::Deserialize, schemars::JsonSchema)]
//! struct Echo {
//!     text: String,
//! }
//!
//! #[tokio::main]
//! async fn main() -> std::io::Result<()> {
//!     let server = ServerBuilder::new("echo", "1.0.0")
//!         .tool("echo", "Echo the text back", |args: Echo, _ctx: Context| async move { args.text })
//!         .build()
//!         .expect("valid definitions");
//!     mcp_sansio_tokio::serve_stdio(server).await
//! }
//! ```
#![warn(missing_docs)]

mod child;
mod driver_loop;
pub mod http;
mod runtime;
mod stdio;

use std::io;
use std::sync::Arc;

use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::driver::Driver;
use mcp_sansio::server::{Server, ServerHandle};
use mcp_sansio::session::{ClientConfig, Framing};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::task::JoinHandle;
use tokio_util::compat::{TokioAsyncReadCompatExt, TokioAsyncWriteCompatExt};

pub use child::{ChildProcess, ServerCommand, Stderr};
pub use driver_loop::{MAX_PENDING_OUTPUT, run, run_with_diagnostics};
pub use http::{connect_http, connect_https};
pub use mcp_sansio;
pub use mcp_sansio_rt::{COMMAND_QUEUE, ChannelSink, Clock, CommandReceiver, channel};
pub use runtime::Tokio;
pub use rustls;
pub use stdio::{Stdin, Stdout, stdio};

use mcp_sansio_rt::random_key;

/// Serves `server` on this process's stdin and stdout until stdin closes.
pub async fn serve_stdio(server: Server) -> io::Result<()> {
    let (stdin, stdout) = stdio();
    serve(server, stdin, stdout).await
}

/// Serves `server` on any byte stream (newline-delimited JSON) until its input closes.
pub async fn serve<R, W>(server: Server, reader: R, writer: W) -> io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    serving(server, reader, writer)?.1.await
}

/// Like [`serve`], also returning a [`ServerHandle`] through which the application tells the
/// connection about changes (resources updated, tools added) while the returned future runs.
pub fn serving<R, W>(
    mut server: Server,
    reader: R,
    writer: W,
) -> io::Result<(ServerHandle, impl std::future::Future<Output = io::Result<()>>)>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    server.ensure_request_state_key(random_key()?);
    let (sink, rx) = channel();
    let sink = Arc::new(sink);
    let handle = ServerHandle::new(sink.clone());
    let driver = Driver::server(server, Framing::Lines, sink);
    Ok((handle, run(driver, reader, writer, rx)))
}

/// Starts a client on any byte stream; call [`Client::connect`] next. The returned task runs
/// the connection's loop.
pub fn connect<R, W>(
    reader: R,
    writer: W,
    config: ClientConfig,
    handlers: ClientHandlers,
) -> (Client, JoinHandle<io::Result<()>>)
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (client, run) =
        mcp_sansio_rt::client(Tokio, reader.compat(), writer.compat_write(), config, handlers);
    (client, tokio::spawn(run))
}

/// A server and a client joined in memory, from [`memory_pair`].
#[derive(Debug)]
pub struct MemoryPair {
    /// The client handle (call [`Client::connect`] first).
    pub client: Client,
    /// The server's handle.
    pub server: ServerHandle,
    /// The pair's task: handlers that wait, the timer, and the end of the pair.
    pub task: JoinHandle<io::Result<()>>,
}

/// A server and a client joined in memory, for tests and for embedding a server in-process.
///
/// The two cores hand each other their bytes directly ([`mcp_sansio_rt::joined`]): a call
/// whose handler does not wait is answered on the caller's own thread, with no task switch.
/// The pair ends when either side shuts down.
pub fn memory_pair(
    server: Server,
    config: ClientConfig,
    handlers: ClientHandlers,
) -> io::Result<MemoryPair> {
    let (client, server, run) = mcp_sansio_rt::joined(Tokio, server, config, handlers)?;
    Ok(MemoryPair { client, server, task: tokio::spawn(run) })
}
