//! A server and a client joined in memory: two cores handing each other their bytes directly.
//!
//! Over a byte pipe an in-process call crosses four tasks (caller, client loop, server loop,
//! and back), and on a multi-threaded executor some of those hand-offs are wake-ups of another
//! thread. Here both drivers sit in one state behind one lock: what one transmits the other
//! reads at once, and a command sent while the lock is free is applied on the sender's own
//! thread ([`DirectSink`]). A `tools/call` whose handler does not wait is then answered before
//! the caller's first poll returns, with no task, channel or wake-up. The pair's own task is
//! left with what cannot happen inline: handlers that wait, commands sent while the lock was
//! taken, and the timer.

use std::future::Future;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::task::{Context, Poll, Waker};

use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::driver::{Command, Driver, DriverOutput, TaskId};
use mcp_sansio::server::{Server, ServerHandle};
use mcp_sansio::session::{ClientConfig, Framing};

use crate::direct::{ApplyNow, DirectSink};
use crate::driver_loop::unix_ms;
use crate::tasks::Ended;
use crate::{Clock, CommandReceiver, DeadlineTimer, Runtime, TaskSet, channel, random_key};

/// The client's lane: index of its driver, command channel and tasks.
const CLIENT: usize = 0;
/// The server's lane.
const SERVER: usize = 1;
/// Wake-ups one poll of the pair's task handles before it yields to other tasks.
const BUDGET: usize = 64;

/// A server and a client joined in memory: the [`Client`], the server's [`ServerHandle`], and
/// the future that runs the pair's timer and waiting handlers (spawn it). The pair ends when
/// either side shuts down: the other sees its input end.
pub fn joined<Rt: Runtime>(
    runtime: Rt,
    mut server: Server,
    config: ClientConfig,
    handlers: ClientHandlers,
) -> io::Result<(Client, ServerHandle, impl Future<Output = io::Result<()>> + Send)> {
    server.ensure_request_state_key(random_key()?);
    let (client_channel, client_rx) = channel();
    let (server_channel, server_rx) = channel();
    let client_sink = DirectSink::new(client_channel, CLIENT);
    let server_sink = DirectSink::new(server_channel, SERVER);
    let handle = ServerHandle::new(server_sink.clone());
    let server = Driver::server(server, Framing::Lines, server_sink.clone());
    let (client_driver, client) =
        Driver::client_with_handle(config, handlers, Framing::Lines, client_sink.clone());
    let clock = Clock::new(runtime.now());
    let shared = Arc::new(Shared {
        runtime: runtime.clone(),
        pair: Mutex::new(Pair {
            clock,
            drivers: [client_driver, server],
            commands: [client_rx, server_rx],
            tasks: TaskSet::new(runtime.clone()),
            timer: DeadlineTimer::default(),
            runtime,
            waker: None,
            closed: [false; 2],
            turn: 0,
        }),
    });
    let target: Weak<dyn ApplyNow> = Arc::downgrade(&shared) as Weak<Shared<Rt>>;
    client_sink.bind(target.clone());
    server_sink.bind(target);
    Ok((client, handle, run(shared)))
}

struct Shared<Rt: Runtime> {
    runtime: Rt,
    pair: Mutex<Pair<Rt>>,
}

impl<Rt: Runtime> Shared<Rt> {
    fn lock(&self) -> MutexGuard<'_, Pair<Rt>> {
        // A panic inside a driver is a broken invariant of the core; the state it left is
        // what the next input sees, as on any other loop.
        self.pair.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<Rt: Runtime> ApplyNow for Shared<Rt> {
    fn apply_now(&self, lane: usize, command: Command) -> Option<Command> {
        if !self.runtime.spawns_here() {
            return Some(command);
        }
        let Ok(mut pair) = self.pair.try_lock() else { return Some(command) };
        if pair.closed.contains(&true) {
            return Some(command);
        }
        let now = pair.now();
        // What waits in the channels was sent first.
        pair.drain_channels(now);
        pair.drivers[lane].set_unix_time_ms(unix_ms());
        pair.drivers[lane].handle_command(now, command);
        pair.settle(now);
        // The task arms the timer and tears the pair down; it is told only when there is
        // something of that kind to do.
        let deadline = pair.deadline();
        if pair.closed.contains(&true) || !pair.timer.covers(deadline) {
            if let Some(waker) = &pair.waker {
                waker.wake_by_ref();
            }
        }
        None
    }
}

struct Pair<Rt: Runtime> {
    runtime: Rt,
    clock: Clock,
    drivers: [Driver; 2],
    commands: [CommandReceiver; 2],
    tasks: TaskSet<Rt, (usize, TaskId), Command>,
    timer: DeadlineTimer<Rt>,
    /// The pair's task, woken when a command applied elsewhere leaves it work.
    waker: Option<Waker>,
    closed: [bool; 2],
    turn: usize,
}

impl<Rt: Runtime> Pair<Rt> {
    fn now(&self) -> mcp_sansio::Instant {
        self.clock.at(self.runtime.now())
    }

    /// The earlier of the two drivers' deadlines, on the runtime's clock.
    fn deadline(&self) -> Option<std::time::Instant> {
        let at = match (self.drivers[CLIENT].poll_timeout(), self.drivers[SERVER].poll_timeout()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        at.map(|t| self.clock.deadline(t))
    }

    fn drain_channels(&mut self, now: mcp_sansio::Instant) {
        for lane in [CLIENT, SERVER] {
            while let Some(command) = self.commands[lane].try_recv() {
                self.drivers[lane].set_unix_time_ms(unix_ms());
                self.drivers[lane].handle_command(now, command);
            }
        }
        self.settle(now);
    }

    /// Drains both drivers' output until neither has any: bytes go to the other driver,
    /// handlers are started (and answered at once when they finish inline).
    fn settle(&mut self, now: mcp_sansio::Instant) {
        loop {
            let mut idle = true;
            for lane in [CLIENT, SERVER] {
                let (mine, other) = match &mut self.drivers {
                    [client, server] if lane == CLIENT => (client, server),
                    [client, server] => (server, client),
                };
                while let Some(out) = mine.poll_output() {
                    idle = false;
                    match out {
                        DriverOutput::Transmit(t) => {
                            if !self.closed[1 - lane] {
                                other.set_unix_time_ms(unix_ms());
                                other.handle_bytes(now, &t.bytes);
                            }
                        }
                        DriverOutput::Spawn(task) => {
                            if let Some(answer) = self.tasks.spawn((lane, task.id), task.future) {
                                self.commands[lane]
                                    .answer_in_order(answer, |c| mine.handle_command(now, c));
                            }
                        }
                        DriverOutput::Abort(id) => self.tasks.abort((lane, id)),
                        DriverOutput::Diagnostic(text) => {
                            eprintln!("mcp-sansio: {}: {text}", side(lane));
                        }
                        DriverOutput::Closed => {
                            if !self.closed[lane] {
                                self.closed[lane] = true;
                                // The other side's input ends, as when a pipe closes.
                                other.handle_eof(now);
                            }
                        }
                    }
                }
            }
            if idle {
                return;
            }
        }
    }

    /// One poll of the pair's task: handles whatever is ready until nothing is.
    fn poll_turn(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if !self.waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
            self.waker = Some(cx.waker().clone());
        }
        for _ in 0..BUDGET {
            let now = self.now();
            self.settle(now);
            if self.closed.contains(&true) {
                return Poll::Ready(());
            }
            let deadline = self.deadline();
            self.timer.set(&self.runtime, deadline);
            // Sources are polled from a rotating start so none starves the others.
            self.turn = (self.turn + 1) % 4;
            let mut woke = false;
            for source in (0..4).map(|i| (self.turn + i) % 4) {
                woke = match source {
                    0 | 1 => match self.commands[source].poll_recv(cx) {
                        Poll::Ready(Some(command)) => {
                            self.drivers[source].set_unix_time_ms(unix_ms());
                            self.drivers[source].handle_command(now, command);
                            true
                        }
                        _ => false,
                    },
                    2 => match self.tasks.poll_ended(cx) {
                        Poll::Ready(((lane, _), Ended::Completed(answer))) => {
                            let driver = &mut self.drivers[lane];
                            self.commands[lane]
                                .answer_in_order(answer, |c| driver.handle_command(now, c));
                            true
                        }
                        Poll::Ready(((lane, id), Ended::Panicked)) => {
                            self.drivers[lane].handle_task_panicked(now, id);
                            true
                        }
                        Poll::Ready((_, Ended::Aborted)) => true,
                        Poll::Pending => false,
                    },
                    _ => match self.timer.poll(cx) {
                        Poll::Ready(()) => {
                            for driver in &mut self.drivers {
                                driver.handle_timeout(now);
                            }
                            true
                        }
                        Poll::Pending => false,
                    },
                };
                if woke {
                    break;
                }
            }
            if !woke {
                return Poll::Pending;
            }
        }
        // Busy: let other tasks run, and come back.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

fn side(lane: usize) -> &'static str {
    if lane == CLIENT { "client" } else { "server" }
}

/// The pair's task: runs until a side has closed (the other has then seen its input end), then stops the handlers still running.
async fn run<Rt: Runtime>(shared: Arc<Shared<Rt>>) -> io::Result<()> {
    std::future::poll_fn(|cx| shared.lock().poll_turn(cx)).await;
    shared.lock().tasks.abort_all();
    std::future::poll_fn(|cx| shared.lock().tasks.poll_stopped(cx)).await;
    Ok(())
}

impl<Rt: Runtime> Drop for Shared<Rt> {
    fn drop(&mut self) {
        // Handlers still running hold nothing of the pair's but their sinks; stop them.
        let pair = self.pair.get_mut().unwrap_or_else(PoisonError::into_inner);
        pair.tasks.abort_all();
    }
}
