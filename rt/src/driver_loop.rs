//! The one loop: bytes in, commands in, the deadline; transmits out, tasks spawned and aborted.

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::task::Poll;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::{Buf, Bytes};
use futures_io::{AsyncRead, AsyncWrite};
use futures_util::AsyncWriteExt;
use mcp_sansio::driver::{Command, Driver, DriverOutput, TaskId};

use crate::tasks::Ended;
use crate::{Clock, CommandReceiver, DeadlineTimer, Runtime, TaskSet};

/// How many event sources the loop polls: writer, reader, commands, tasks, timer.
const SOURCES: usize = 5;

/// Size of one read from the peer.
const READ_CHUNK: usize = 64 * 1024;

/// Output waiting for a peer that reads too slowly, beyond which the peer counts as gone.
pub const MAX_PENDING_OUTPUT: usize = 16 * 1024 * 1024;

/// Runs `driver` until the connection ends: the peer's input closes (or fails), writing to the
/// peer fails, or a `Shutdown` command arrives. Handler tasks still running are aborted.
/// Diagnostics (protocol violations, panicked handlers, a peer gone mid-call) go to stderr,
/// the log channel the spec gives stdio servers.
pub async fn run<Rt, R, W>(
    runtime: Rt,
    driver: Driver,
    reader: R,
    writer: W,
    commands: CommandReceiver,
) -> io::Result<()>
where
    Rt: Runtime,
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    run_with_diagnostics(runtime, driver, reader, writer, commands, |text| {
        eprintln!("mcp-sansio: {text}")
    })
    .await
}

/// Milliseconds since the Unix epoch, the core's wall clock for `requestState` expiry.
pub(crate) fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// What woke the loop.
enum Wake {
    Wrote(io::Result<usize>),
    Read(io::Result<usize>),
    Command(Command),
    TaskEnded(TaskId, Ended<Command>),
    Timeout,
}

/// Like [`run`], sending each diagnostic line to `log` instead of stderr.
///
/// Writing never stops the loop from reading: output queues up (to [`MAX_PENDING_OUTPUT`])
/// while the peer is slow, so two peers writing to each other at once cannot deadlock.
pub async fn run_with_diagnostics<Rt, R, W>(
    runtime: Rt,
    mut driver: Driver,
    mut reader: R,
    mut writer: W,
    mut commands: CommandReceiver,
    log: impl Fn(&str),
) -> io::Result<()>
where
    Rt: Runtime,
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let clock = Clock::new(runtime.now());
    let mut tasks = TaskSet::new(runtime.clone());
    let mut buf = vec![0u8; READ_CHUNK];
    let mut reading = true;
    let mut pending: VecDeque<Bytes> = VecDeque::new();
    let mut pending_len = 0usize;
    let mut flushing = false;
    let mut closing = false;
    let mut timer = DeadlineTimer::<Rt>::default();
    let mut turn = 0usize;
    let mut now = clock.at(runtime.now());
    loop {
        while let Some(out) = driver.poll_output() {
            match out {
                DriverOutput::Transmit(t) => {
                    pending_len += t.bytes.len();
                    pending.push_back(t.bytes);
                }
                DriverOutput::Spawn(task) => {
                    if let Some(answer) = tasks.spawn(task.id, task.future) {
                        commands.answer_in_order(answer, |c| driver.handle_command(now, c));
                    }
                }
                DriverOutput::Abort(id) => tasks.abort(id),
                DriverOutput::Diagnostic(text) => log(&text),
                DriverOutput::Closed => closing = true,
            }
        }
        if pending_len > MAX_PENDING_OUTPUT {
            log(&format!("the peer is not reading ({pending_len} bytes waiting); closing"));
            tasks.stop().await;
            return Ok(());
        }
        if closing {
            // Deliver what is queued, then end; tasks still running are stopped.
            tasks.stop().await;
            while let Some(front) = pending.pop_front() {
                if writer.write_all(&front).await.is_err() {
                    return Ok(());
                }
            }
            let _ = writer.flush().await;
            let _ = writer.close().await;
            return Ok(());
        }
        timer.set(&runtime, driver.poll_timeout().map(|t| clock.deadline(t)));
        // Sources are polled from a rotating start so that a peer that never stops sending
        // cannot starve commands, finished tasks or the timer.
        turn = (turn + 1) % SOURCES;
        let wake = std::future::poll_fn(|cx| {
            for source in (0..SOURCES).map(|i| (turn + i) % SOURCES) {
                let ready = match source {
                    0 => {
                        if let Some(front) = pending.front() {
                            Pin::new(&mut writer).poll_write(cx, front).map(Wake::Wrote)
                        } else if flushing {
                            match Pin::new(&mut writer).poll_flush(cx) {
                                Poll::Ready(Ok(())) => {
                                    flushing = false;
                                    Poll::Pending
                                }
                                Poll::Ready(Err(e)) => Poll::Ready(Wake::Wrote(Err(e))),
                                Poll::Pending => Poll::Pending,
                            }
                        } else {
                            Poll::Pending
                        }
                    }
                    1 if reading => Pin::new(&mut reader).poll_read(cx, &mut buf).map(Wake::Read),
                    2 => match commands.poll_recv(cx) {
                        Poll::Ready(Some(c)) => Poll::Ready(Wake::Command(c)),
                        _ => Poll::Pending,
                    },
                    3 => tasks.poll_ended(cx).map(|(id, ended)| Wake::TaskEnded(id, ended)),
                    4 => timer.poll(cx).map(|()| Wake::Timeout),
                    _ => Poll::Pending,
                };
                if ready.is_ready() {
                    return ready;
                }
            }
            Poll::Pending
        })
        .await;
        now = clock.at(runtime.now());
        match wake {
            Wake::Wrote(Ok(0) | Err(_)) => {
                log("writing to the peer failed; closing");
                driver.set_unix_time_ms(unix_ms());
                driver.handle_eof(now);
                pending.clear();
                pending_len = 0;
            }
            Wake::Wrote(Ok(n)) => {
                pending_len -= n;
                if let Some(front) = pending.front_mut() {
                    front.advance(n);
                    if front.is_empty() {
                        pending.pop_front();
                    }
                }
                // Flushed once the queue drains, without holding up reading meanwhile.
                flushing = pending.is_empty();
            }
            Wake::Read(r) => {
                driver.set_unix_time_ms(unix_ms());
                match r {
                    Ok(0) => {
                        reading = false;
                        driver.handle_eof(now);
                    }
                    Ok(n) => driver.handle_bytes(now, &buf[..n]),
                    Err(e) => {
                        log(&format!("reading from the peer failed: {e}; closing"));
                        reading = false;
                        driver.handle_eof(now);
                    }
                }
            }
            Wake::Command(cmd) => {
                driver.set_unix_time_ms(unix_ms());
                driver.handle_command(now, cmd);
            }
            Wake::TaskEnded(_, Ended::Completed(answer)) => {
                commands.answer_in_order(answer, |c| driver.handle_command(now, c));
            }
            Wake::TaskEnded(id, Ended::Panicked) => driver.handle_task_panicked(now, id),
            Wake::TaskEnded(_, Ended::Aborted) => {}
            Wake::Timeout => driver.handle_timeout(now),
        }
    }
}
