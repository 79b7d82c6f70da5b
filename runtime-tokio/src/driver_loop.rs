//! The shared driver loop on tokio byte streams.

use std::io;

use mcp_sansio::driver::Driver;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_util::compat::{TokioAsyncReadCompatExt, TokioAsyncWriteCompatExt};

use crate::{CommandReceiver, Tokio};

pub use mcp_sansio_rt::MAX_PENDING_OUTPUT;

/// Runs `driver` until the connection ends: the peer's input closes (or fails), writing to the
/// peer fails, or a `Shutdown` command arrives. Handler tasks still running are aborted.
/// Diagnostics (protocol violations, panicked handlers, a peer gone mid-call) go to stderr,
/// the log channel the spec gives stdio servers.
pub async fn run<R, W>(
    driver: Driver,
    reader: R,
    writer: W,
    commands: CommandReceiver,
) -> io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    mcp_sansio_rt::run(Tokio, driver, reader.compat(), writer.compat_write(), commands).await
}

/// Like [`run`], sending each diagnostic line to `log` instead of stderr.
///
/// Writing never stops the loop from reading: output queues up (to [`MAX_PENDING_OUTPUT`])
/// while the peer is slow, so two peers writing to each other at once cannot deadlock.
pub async fn run_with_diagnostics<R, W>(
    driver: Driver,
    reader: R,
    writer: W,
    commands: CommandReceiver,
    log: impl Fn(&str),
) -> io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let (reader, writer) = (reader.compat(), writer.compat_write());
    mcp_sansio_rt::run_with_diagnostics(Tokio, driver, reader, writer, commands, log).await
}
