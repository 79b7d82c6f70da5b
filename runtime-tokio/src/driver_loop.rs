//! The one loop: bytes in, commands in, the deadline; transmits out, tasks spawned and aborted.

use std::collections::HashMap;
use std::io;

use mcp_sansio::driver::{Command, Driver, DriverOutput, TaskId};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::Clock;

/// Size of one read from the peer.
const READ_CHUNK: usize = 64 * 1024;

/// Runs `driver` until the connection ends: the peer's input closes (or fails), writing to the
/// peer fails, or a `Shutdown` command arrives. Handler tasks still running are aborted.
/// Diagnostics (protocol violations, panicked handlers, a peer gone mid-call) go to stderr,
/// the log channel the spec gives stdio servers.
pub async fn run<R, W>(
    driver: Driver,
    reader: R,
    writer: W,
    commands: mpsc::Receiver<Command>,
) -> io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    run_with_diagnostics(driver, reader, writer, commands, |text| eprintln!("mcp-sansio: {text}"))
        .await
}

/// Like [`run`], sending each diagnostic line to `log` instead of stderr.
pub async fn run_with_diagnostics<R, W>(
    mut driver: Driver,
    mut reader: R,
    mut writer: W,
    mut commands: mpsc::Receiver<Command>,
    log: impl Fn(&str),
) -> io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let clock = Clock::new();
    let mut tasks: JoinSet<()> = JoinSet::new();
    let mut ids: HashMap<tokio::task::Id, TaskId> = HashMap::new();
    let mut aborts: HashMap<TaskId, tokio::task::AbortHandle> = HashMap::new();
    let mut buf = vec![0u8; READ_CHUNK];
    let mut reading = true;
    loop {
        let mut wrote = false;
        while let Some(out) = driver.poll_output() {
            match out {
                DriverOutput::Transmit(t) => {
                    if let Err(e) = writer.write_all(&t.bytes).await {
                        // The peer is gone: nothing more can be delivered.
                        log(&format!("write to peer failed: {e}; closing"));
                        driver.handle_eof(clock.now());
                        tasks.abort_all();
                        return Ok(());
                    }
                    wrote = true;
                }
                DriverOutput::Spawn(task) => {
                    let handle = tasks.spawn(task.future);
                    ids.insert(handle.id(), task.id);
                    aborts.insert(task.id, handle);
                }
                DriverOutput::Abort(id) => {
                    if let Some(h) = aborts.remove(&id) {
                        h.abort();
                    }
                }
                DriverOutput::Diagnostic(text) => log(&text),
                DriverOutput::Closed => {
                    let _ = writer.flush().await;
                    let _ = writer.shutdown().await;
                    tasks.abort_all();
                    return Ok(());
                }
            }
        }
        if wrote {
            if let Err(e) = writer.flush().await {
                log(&format!("flush to peer failed: {e}; closing"));
                driver.handle_eof(clock.now());
                tasks.abort_all();
                return Ok(());
            }
        }
        let deadline = driver.poll_timeout().map(|t| clock.deadline(t));
        tokio::select! {
            read = reader.read(&mut buf), if reading => match read {
                Ok(0) => {
                    reading = false;
                    driver.handle_eof(clock.now());
                }
                Ok(n) => driver.handle_bytes(clock.now(), &buf[..n]),
                Err(e) => {
                    log(&format!("read from peer failed: {e}; closing"));
                    reading = false;
                    driver.handle_eof(clock.now());
                }
            },
            Some(cmd) = commands.recv() => driver.handle_command(clock.now(), cmd),
            Some(done) = tasks.join_next_with_id(), if !tasks.is_empty() => match done {
                Ok((id, ())) => {
                    if let Some(task) = ids.remove(&id) {
                        aborts.remove(&task);
                    }
                }
                Err(e) => {
                    let task = ids.remove(&e.id());
                    if let Some(task) = task {
                        aborts.remove(&task);
                        if e.is_panic() {
                            driver.handle_task_panicked(clock.now(), task);
                        }
                    }
                }
            },
            () = sleep_until(deadline), if deadline.is_some() => driver.handle_timeout(clock.now()),
        }
    }
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}
