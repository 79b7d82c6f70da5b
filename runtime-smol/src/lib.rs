//! [mcp-sansio](mcp_sansio) bound to [smol](https://docs.rs/smol).
//!
//! The core does no I/O and reads no clock; this crate supplies both from smol: tasks on
//! smol's global executor, timers and I/O from `async-io`. The loops themselves are the shared
//! ones in [`mcp_sansio_rt`], the same code `mcp-sansio-tokio` runs.
//!
//! ```no_run
//! use mcp_sansio::server::{Context, ServerBuilder};
//!
//! fn main() -> std::io::Result<()> {
//!     let server = ServerBuilder::new("Demo", "1.0.0")
//!         .tool("hello", "Say hello", |_: serde_json::Value, _ctx: Context| async move {
//!             "hello".to_string()
//!         })
//!         .build()
//!         .map_err(std::io::Error::other)?;
//!     smol::block_on(mcp_sansio_smol::serve_stdio(server))
//! }
//! ```
#![warn(missing_docs)]

pub mod http;
mod runtime;

use std::io;

use futures_io::{AsyncRead, AsyncWrite};
use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::server::{Server, ServerHandle};
use mcp_sansio::session::ClientConfig;
use smol::Task;

pub use http::{connect_http, connect_https};
pub use mcp_sansio;
pub use mcp_sansio_rt::{
    COMMAND_QUEUE, ChannelSink, Clock, CommandReceiver, MAX_PENDING_OUTPUT, channel,
};
pub use mcp_sansio_rt::{ServerCommand, Stderr, Stdin, Stdout, stdio};
pub use runtime::Smol;
pub use rustls;

/// A running server process and the client connected to it: spawn it with
/// `ChildProcess::spawn(command, config, handlers)`, call [`Client::connect`] on
/// `child.client()`, and end it with `child.shutdown(grace)` (stdin closed, then SIGTERM,
/// then SIGKILL, as the spec says).
pub type ChildProcess = mcp_sansio_rt::ChildProcess<Smol>;

/// Serves `server` on this process's stdin and stdout until stdin closes.
pub async fn serve_stdio(server: Server) -> io::Result<()> {
    let (stdin, stdout) = stdio();
    serve(server, stdin, stdout).await
}

/// Serves `server` on any byte stream (newline-delimited JSON) until its input closes.
pub async fn serve<R, W>(server: Server, reader: R, writer: W) -> io::Result<()>
where
    R: AsyncRead + Unpin + Send,
    W: AsyncWrite + Unpin + Send,
{
    serving(server, reader, writer)?.1.await
}

/// Like [`serve`], also returning a [`ServerHandle`] through which the application tells the
/// connection about changes (resources updated, tools added) while the returned future runs.
pub fn serving<R, W>(
    server: Server,
    reader: R,
    writer: W,
) -> io::Result<(ServerHandle, impl Future<Output = io::Result<()>> + Send)>
where
    R: AsyncRead + Unpin + Send,
    W: AsyncWrite + Unpin + Send,
{
    mcp_sansio_rt::serving(Smol, server, reader, writer)
}

/// Starts a client on any byte stream; call [`Client::connect`] next. The returned task runs
/// the connection's loop (dropping it stops the loop; `detach` it to let it run on).
pub fn connect<R, W>(
    reader: R,
    writer: W,
    config: ClientConfig,
    handlers: ClientHandlers,
) -> (Client, Task<io::Result<()>>)
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (client, run) = mcp_sansio_rt::client(Smol, reader, writer, config, handlers);
    (client, smol::spawn(run))
}

/// A server and a client joined in memory, from [`memory_pair`].
#[derive(Debug)]
pub struct MemoryPair {
    /// The client handle (call [`Client::connect`] first).
    pub client: Client,
    /// The server's handle.
    pub server: ServerHandle,
    /// The pair's task: handlers that wait, the timer, and the end of the pair.
    pub task: Task<io::Result<()>>,
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
    let (client, server, run) = mcp_sansio_rt::joined(Smol, server, config, handlers)?;
    Ok(MemoryPair { client, server, task: smol::spawn(run) })
}
