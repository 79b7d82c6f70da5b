//! Servers and clients on one byte stream (stdio, a pipe, a socket), newline-delimited JSON.

use std::future::Future;
use std::io;
use std::sync::Arc;

use futures_io::{AsyncRead, AsyncWrite};
use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::driver::Driver;
use mcp_sansio::server::{Server, ServerHandle};
use mcp_sansio::session::{ClientConfig, Framing};

use crate::direct::DirectSink;
use crate::driver_loop::run_direct;
use crate::{Runtime, channel, random_key, run};

/// A server's driver loop on `reader` and `writer`, and the [`ServerHandle`] through which the
/// application tells the connection about changes while the loop runs.
pub fn serving<Rt, R, W>(
    runtime: Rt,
    mut server: Server,
    reader: R,
    writer: W,
) -> io::Result<(ServerHandle, impl Future<Output = io::Result<()>> + Send)>
where
    Rt: Runtime,
    R: AsyncRead + Unpin + Send,
    W: AsyncWrite + Unpin + Send,
{
    server.ensure_request_state_key(random_key()?);
    let (sink, rx) = channel();
    let sink = Arc::new(sink);
    let handle = ServerHandle::new(sink.clone());
    let driver = Driver::server(server, Framing::Lines, sink);
    Ok((handle, run(runtime, driver, reader, writer, rx)))
}

/// A client's driver loop on `reader` and `writer`, and the [`Client`] that talks through it
/// (call [`Client::connect`] once the loop runs).
///
/// A call made while the loop is idle is applied, and its request written, by the caller
/// itself ([`DirectSink`]); the loop's task runs for the answer.
pub fn client<Rt, R, W>(
    runtime: Rt,
    reader: R,
    writer: W,
    config: ClientConfig,
    handlers: ClientHandlers,
) -> (Client, impl Future<Output = io::Result<()>> + Send + 'static)
where
    Rt: Runtime,
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (channel, rx) = channel();
    let sink = DirectSink::new(channel, 0);
    let (driver, client) =
        Driver::client_with_handle(config, handlers, Framing::Lines, sink.clone());
    (client, run_direct(runtime, driver, reader, writer, rx, &sink))
}

/// One end of an in-memory byte stream from [`duplex`].
pub struct MemoryStream {
    /// What the other end wrote.
    pub reader: piper::Reader,
    /// What the other end reads.
    pub writer: piper::Writer,
}

impl std::fmt::Debug for MemoryStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemoryStream")
    }
}

/// Two ends of an in-memory byte stream, each buffering up to `capacity` bytes per direction.
pub fn duplex(capacity: usize) -> (MemoryStream, MemoryStream) {
    let (a_reader, b_writer) = piper::pipe(capacity);
    let (b_reader, a_writer) = piper::pipe(capacity);
    (
        MemoryStream { reader: a_reader, writer: a_writer },
        MemoryStream { reader: b_reader, writer: b_writer },
    )
}
