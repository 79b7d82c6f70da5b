//! [mcp-sansio](mcp_sansio) bound to [async-std](https://docs.rs/async-std).
//!
//! The core does no I/O and reads no clock; this crate supplies both from async-std: tasks on
//! its executor, timers from `async-io` (the reactor async-std itself runs on). The loops themselves are the shared
//! ones in [`mcp_sansio_rt`], the same code `mcp-sansio-tokio` runs.
//!
//! async-std is discontinued upstream; new code should use [smol](https://docs.rs/smol) and
//! `mcp-sansio-smol`, which has the same API. This crate stays for the users who still run
//! async-std.
//!
//! Latency: async-std runs one executor thread per core by default, and every task wake-up
//! goes through its shared queue to a sleeping worker, so each hand-off between the tasks of
//! a call is a cross-thread wake-up. Over stdio a waiting caller writes its request and
//! reads its answer itself, so no hand-off is left and a round trip is as fast as on tokio. Over
//! Streamable HTTP the caller, the client loop and hyper's connections are still tasks of
//! their own; on a small machine a client or server whose calls are latency-bound answers
//! faster with `ASYNC_STD_THREAD_COUNT=1` in its environment: on 2 vCPUs a Streamable HTTP
//! round trip went from 1.4× tokio's time to 0.97× (`benches/README.md` in the repository).
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
//!     async_std::task::block_on(mcp_sansio_async_std::serve_stdio(server))
//! }
//! ```
#![warn(missing_docs)]

pub mod http;
mod runtime;

use std::io;

use async_std::task::JoinHandle;
use futures_io::{AsyncRead, AsyncWrite};
use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::server::{Server, ServerHandle};
use mcp_sansio::session::ClientConfig;

pub use http::{connect_http, connect_https};
pub use mcp_sansio;
pub use mcp_sansio_rt::{
    COMMAND_QUEUE, ChannelSink, Clock, CommandReceiver, MAX_PENDING_OUTPUT, channel,
};
pub use mcp_sansio_rt::{ServerCommand, Stderr, Stdin, Stdout, stdio};
pub use runtime::AsyncStd;
pub use rustls;

/// A running server process and the client connected to it: spawn it with
/// `ChildProcess::spawn(command, config, handlers)`, call [`Client::connect`] on
/// `child.client()`, and end it with `child.shutdown(grace)` (stdin closed, then SIGTERM,
/// then SIGKILL, as the spec says).
pub type ChildProcess = mcp_sansio_rt::ChildProcess<AsyncStd>;

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
    mcp_sansio_rt::serving(AsyncStd, server, reader, writer)
}

/// Starts a client on any byte stream; call [`Client::connect`] next. The returned task runs
/// the connection's loop (dropping it lets the loop run on).
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
    let (client, run) = mcp_sansio_rt::client(AsyncStd, reader, writer, config, handlers);
    (client, async_std::task::spawn(run))
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
    let (client, server, run) = mcp_sansio_rt::joined(AsyncStd, server, config, handlers)?;
    Ok(MemoryPair { client, server, task: async_std::task::spawn(run) })
}
