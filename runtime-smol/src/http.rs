//! MCP over HTTP on hyper: a standalone server, a tower `Service` to mount in a hyper
//! application, and the client. The server and client are the shared ones in
//! [`mcp_sansio_rt::http`]; this module hands them smol's sockets.

use std::future::Future;
use std::io;
use std::pin::Pin;

use futures_core::Stream;
use smol::net::{TcpListener, TcpStream};

use mcp_sansio_rt::ReadinessTcp;

use crate::Smol;

pub use mcp_sansio_rt::http::{ExchangeBody, HttpTimeouts, McpResponse};

mcp_sansio_rt::http_api! {
    runtime: Smol, Smol;
    listener: TcpListener;
    incoming: incoming;
    task: smol::Task<()>, smol::spawn;
}

/// The connections `listener` accepts.
fn incoming(listener: TcpListener) -> impl Stream<Item = io::Result<ReadinessTcp>> {
    futures_util::stream::unfold(listener, |listener| async move {
        let accepted = listener.accept().await.map(|(stream, _)| {
            // MCP messages are small and latency-bound.
            let _ = stream.set_nodelay(true);
            ReadinessTcp::new(stream.into())
        });
        Some((accepted, listener))
    })
}

impl mcp_sansio_rt::http::Connect for Smol {
    type Tcp = ReadinessTcp;

    fn connect_tcp(
        &self,
        host: String,
        port: u16,
    ) -> Pin<Box<dyn Future<Output = io::Result<ReadinessTcp>> + Send>> {
        Box::pin(async move {
            let stream = TcpStream::connect((host.as_str(), port)).await?;
            stream.set_nodelay(true)?;
            Ok(ReadinessTcp::new(stream.into()))
        })
    }
}
