//! The one loop: bytes in, commands in, the deadline; transmits out, tasks spawned and aborted.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::{Buf, Bytes};
use mcp_sansio::driver::{Driver, DriverOutput, TaskId};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::task::JoinSet;

use crate::{Clock, CommandReceiver};

/// Size of one read from the peer.
const READ_CHUNK: usize = 64 * 1024;

/// Output waiting for a peer that reads too slowly, beyond which the peer counts as gone.
pub const MAX_PENDING_OUTPUT: usize = 16 * 1024 * 1024;

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
    run_with_diagnostics(driver, reader, writer, commands, |text| eprintln!("mcp-sansio: {text}"))
        .await
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Like [`run`], sending each diagnostic line to `log` instead of stderr.
///
/// Writing never stops the loop from reading: output queues up (to [`MAX_PENDING_OUTPUT`])
/// while the peer is slow, so two peers writing to each other at once cannot deadlock.
pub async fn run_with_diagnostics<R, W>(
    mut driver: Driver,
    mut reader: R,
    mut writer: W,
    mut commands: CommandReceiver,
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
    let mut pending: VecDeque<Bytes> = VecDeque::new();
    let mut pending_len = 0usize;
    let mut closing = false;
    loop {
        while let Some(out) = driver.poll_output() {
            match out {
                DriverOutput::Transmit(t) => {
                    pending_len += t.bytes.len();
                    pending.push_back(t.bytes);
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
                DriverOutput::Closed => closing = true,
            }
        }
        if pending_len > MAX_PENDING_OUTPUT {
            log(&format!("the peer is not reading ({pending_len} bytes waiting); closing"));
            stop(&mut tasks).await;
            return Ok(());
        }
        if closing {
            // Deliver what is queued, then end; tasks still running are stopped.
            stop(&mut tasks).await;
            while let Some(front) = pending.pop_front() {
                if writer.write_all(&front).await.is_err() {
                    return Ok(());
                }
            }
            let _ = writer.flush().await;
            let _ = writer.shutdown().await;
            return Ok(());
        }
        let deadline = driver.poll_timeout().map(|t| clock.deadline(t));
        tokio::select! {
            written = writer.write(pending.front().map_or(&[][..], |b| &b[..])), if !pending.is_empty() => match written {
                Ok(0) | Err(_) => {
                    log("writing to the peer failed; closing");
                    driver.set_unix_time_ms(unix_ms());
                    driver.handle_eof(clock.now());
                    pending.clear();
                    pending_len = 0;
                }
                Ok(n) => {
                    pending_len -= n;
                    if let Some(front) = pending.front_mut() {
                        front.advance(n);
                        if front.is_empty() {
                            pending.pop_front();
                        }
                    }
                    if pending.is_empty() && writer.flush().await.is_err() {
                        log("flushing to the peer failed; closing");
                        driver.handle_eof(clock.now());
                    }
                }
            },
            read = reader.read(&mut buf), if reading => {
                driver.set_unix_time_ms(unix_ms());
                match read {
                    Ok(0) => {
                        reading = false;
                        driver.handle_eof(clock.now());
                    }
                    Ok(n) => driver.handle_bytes(clock.now(), &buf[..n]),
                    Err(e) => {
                        log(&format!("reading from the peer failed: {e}; closing"));
                        reading = false;
                        driver.handle_eof(clock.now());
                    }
                }
            },
            Some(cmd) = commands.recv() => {
                driver.set_unix_time_ms(unix_ms());
                driver.handle_command(clock.now(), cmd);
            },
            Some(done) = tasks.join_next_with_id(), if !tasks.is_empty() => match done {
                Ok((id, ())) => {
                    if let Some(task) = ids.remove(&id) {
                        aborts.remove(&task);
                    }
                }
                Err(e) => {
                    if let Some(task) = ids.remove(&e.id()) {
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

/// Aborts every task and waits until each is gone, so nothing it holds outlives the loop.
async fn stop(tasks: &mut JoinSet<()>) {
    tasks.abort_all();
    while tasks.join_next().await.is_some() {}
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}
