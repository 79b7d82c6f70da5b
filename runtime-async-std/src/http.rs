//! MCP over HTTP on hyper: a standalone server, a tower `Service` to mount in a hyper
//! application, and the client. The server and client are the shared ones in
//! [`mcp_sansio_rt::http`]; this module hands them async-std's sockets.

use std::future::Future;
use std::io;
use std::pin::Pin;

use async_std::net::{TcpListener, TcpStream};
use futures_core::Stream;

use mcp_sansio_rt::ReadinessTcp;

use crate::AsyncStd;

pub use mcp_sansio_rt::http::{ExchangeBody, HttpTimeouts, McpResponse};

mcp_sansio_rt::http_api! {
    runtime: AsyncStd, AsyncStd;
    listener: TcpListener;
    incoming: incoming;
    task: async_std::task::JoinHandle<()>, async_std::task::spawn;
}

/// The connections `listener` accepts.
fn incoming(listener: TcpListener) -> impl Stream<Item = io::Result<ReadinessTcp>> {
    futures_util::stream::unfold(listener, |listener| async move {
        let accepted = match listener.accept().await {
            Ok((stream, _)) => readiness(&stream),
            Err(e) => Err(e),
        };
        Some((accepted, listener))
    })
}

/// The same socket, as a stream that waits for the reactor's readiness after an empty read
/// (async-std's own stream tries a read on every poll). A duplicate of the descriptor, on
/// async-std's reactor (async-io) still: `stream` itself is closed when dropped.
fn readiness(stream: &TcpStream) -> io::Result<ReadinessTcp> {
    // MCP messages are small and latency-bound.
    stream.set_nodelay(true)?;
    #[cfg(unix)]
    let std = std::net::TcpStream::from(std::os::fd::AsFd::as_fd(stream).try_clone_to_owned()?);
    #[cfg(windows)]
    let std = std::net::TcpStream::from(
        std::os::windows::io::AsSocket::as_socket(stream).try_clone_to_owned()?,
    );
    Ok(ReadinessTcp::new(std::sync::Arc::new(async_io::Async::new(std)?)))
}

impl mcp_sansio_rt::http::Connect for AsyncStd {
    type Tcp = ReadinessTcp;

    fn connect_tcp(
        &self,
        host: String,
        port: u16,
    ) -> Pin<Box<dyn Future<Output = io::Result<ReadinessTcp>> + Send>> {
        Box::pin(async move { readiness(&TcpStream::connect((host.as_str(), port)).await?) })
    }
}
