//! The one loop: bytes in, commands in, the deadline; transmits out, tasks spawned and aborted.

use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::{Buf, Bytes};
use futures_io::{AsyncRead, AsyncWrite};
use mcp_sansio::driver::{Command, Driver, DriverOutput, TaskId};

use crate::direct::{DirectSink, LoopState, SharedLoop};
use crate::input::{InputWaker, InputWatch, ReadInput};
use crate::tasks::Ended;
use crate::{Clock, CommandReceiver, DeadlineTimer, Runtime, TaskSet};

/// How many event sources the loop polls: writer, reader, commands, tasks, timer.
const SOURCES: usize = 5;

/// Size of one read from the peer.
const READ_CHUNK: usize = 64 * 1024;

/// Wake-ups one poll of the loop handles before it yields to other tasks.
const BUDGET: usize = 64;

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
    run_with_diagnostics(runtime, driver, reader, writer, commands, stderr).await
}

/// Like [`run`], sending each diagnostic line to `log` instead of stderr.
///
/// Writing never stops the loop from reading: output queues up (to [`MAX_PENDING_OUTPUT`])
/// while the peer is slow, so two peers writing to each other at once cannot deadlock.
pub async fn run_with_diagnostics<Rt, R, W>(
    runtime: Rt,
    driver: Driver,
    reader: R,
    writer: W,
    commands: CommandReceiver,
    log: impl Fn(&str),
) -> io::Result<()>
where
    Rt: Runtime,
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut conn = Conn::new(runtime, driver, reader, writer, commands, log);
    std::future::poll_fn(|cx| conn.poll(cx)).await
}

/// Like [`run`], with the loop's state behind a lock that `sink` takes too: a command sent
/// while the loop is not running is applied, and its bytes written, on the sender's thread
/// (see [`DirectSink`]). `sink` must be the one `driver` and its handles send through.
pub(crate) fn run_direct<Rt, R, W>(
    runtime: Rt,
    driver: Driver,
    reader: R,
    writer: W,
    commands: CommandReceiver,
    sink: &DirectSink,
) -> impl Future<Output = io::Result<()>> + Send + 'static + use<Rt, R, W>
where
    Rt: Runtime,
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let mut conn = Conn::new(runtime.clone(), driver, reader, writer, commands, stderr as fn(&str));
    let input = Arc::new(InputWaker::default());
    conn.input = Some((input.clone(), Waker::from(input.clone())));
    let shared = SharedLoop::bind(runtime, input, conn, sink);
    async move { std::future::poll_fn(|cx| shared.lock().poll(cx)).await }
}

fn stderr(text: &str) {
    eprintln!("mcp-sansio: {text}");
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

/// How the loop ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// The driver closed: deliver what is queued, then close the writer.
    Deliver,
    /// The peer stopped reading or writing failed: nothing more goes out.
    Abandon,
}

/// A loop's whole state, polled by its task and, for [`run_direct`], by senders of commands.
struct Conn<Rt: Runtime, R, W, L> {
    runtime: Rt,
    clock: Clock,
    driver: Driver,
    reader: R,
    writer: W,
    commands: CommandReceiver,
    tasks: TaskSet<Rt, TaskId, Command>,
    buf: Vec<u8>,
    reading: bool,
    pending: VecDeque<Bytes>,
    pending_len: usize,
    flushing: bool,
    ending: Option<Ending>,
    timer: DeadlineTimer<Rt>,
    turn: usize,
    /// The loop's task; a sender writing on the loop's behalf registers it with the writer.
    waker: Option<Waker>,
    /// For [`run_direct`]: the one waker the reader is polled with, and what it forwards to.
    input: Option<(Arc<InputWaker>, Waker)>,
    input_watch: InputWatch,
    log: L,
}

impl<Rt, R, W, L> Conn<Rt, R, W, L>
where
    Rt: Runtime,
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
    L: Fn(&str),
{
    fn new(
        runtime: Rt,
        driver: Driver,
        reader: R,
        writer: W,
        commands: CommandReceiver,
        log: L,
    ) -> Self {
        Conn {
            clock: Clock::new(runtime.now()),
            tasks: TaskSet::new(runtime.clone()),
            runtime,
            driver,
            reader,
            writer,
            commands,
            buf: vec![0u8; READ_CHUNK],
            reading: true,
            pending: VecDeque::new(),
            pending_len: 0,
            flushing: false,
            ending: None,
            timer: DeadlineTimer::default(),
            turn: 0,
            waker: None,
            input: None,
            input_watch: InputWatch::default(),
            log,
        }
    }

    fn now(&self) -> mcp_sansio::Instant {
        self.clock.at(self.runtime.now())
    }

    /// The timer's next deadline: the core's, or sooner the watch over input a waiter took.
    fn deadline(&self) -> Option<std::time::Instant> {
        self.input_watch.sooner(self.driver.poll_timeout().map(|t| self.clock.deadline(t)))
    }

    fn watch_input(&mut self) {
        if let Some((input, _)) = &self.input {
            self.input_watch.update(input, self.runtime.now());
        }
    }

    /// One poll of the loop's task: handles whatever is ready until nothing is.
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if !self.waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
            self.waker = Some(cx.waker().clone());
        }
        if let Some((input, _)) = &self.input {
            input.register_loop(cx);
        }
        for _ in 0..BUDGET {
            self.drain();
            if self.ending.is_some() {
                return self.poll_end(cx);
            }
            self.watch_input();
            let deadline = self.deadline();
            self.timer.set(&self.runtime, deadline);
            // Sources are polled from a rotating start so that a peer that never stops
            // sending cannot starve commands, finished tasks or the timer.
            self.turn = (self.turn + 1) % SOURCES;
            let turn = self.turn;
            let Some(wake) = (0..SOURCES).find_map(|i| self.poll_source((turn + i) % SOURCES, cx))
            else {
                return Poll::Pending;
            };
            self.apply(wake);
        }
        // Busy: let other tasks run, and come back.
        cx.waker().wake_by_ref();
        Poll::Pending
    }

    /// Drains the driver's output: transmits queue up, handlers start (and are answered at
    /// once when they finish inline).
    fn drain(&mut self) {
        let now = self.now();
        while let Some(out) = self.driver.poll_output() {
            match out {
                DriverOutput::Transmit(t) => {
                    self.pending_len += t.bytes.len();
                    self.pending.push_back(t.bytes);
                }
                DriverOutput::Spawn(task) => {
                    if let Some(answer) = self.tasks.spawn(task.id, task.future) {
                        let driver = &mut self.driver;
                        self.commands.answer_in_order(answer, |c| driver.handle_command(now, c));
                    }
                }
                DriverOutput::Abort(id) => self.tasks.abort(id),
                DriverOutput::Diagnostic(text) => (self.log)(&text),
                DriverOutput::Closed => self.end(Ending::Deliver),
            }
        }
        if self.pending_len > MAX_PENDING_OUTPUT && self.ending != Some(Ending::Abandon) {
            let waiting = self.pending_len;
            (self.log)(&format!("the peer is not reading ({waiting} bytes waiting); closing"));
            self.end(Ending::Abandon);
        }
    }

    fn end(&mut self, how: Ending) {
        if how == Ending::Abandon {
            self.pending.clear();
            self.pending_len = 0;
        }
        if self.ending != Some(Ending::Abandon) {
            self.ending = Some(how);
        }
        self.tasks.abort_all();
    }

    /// The ending: handlers stopped, then what is queued delivered and the writer closed.
    fn poll_end(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.tasks.poll_stopped(cx).is_pending() {
            return Poll::Pending;
        }
        if self.ending == Some(Ending::Deliver) {
            while let Some(front) = self.pending.front_mut() {
                match Pin::new(&mut self.writer).poll_write(cx, front) {
                    Poll::Ready(Ok(n)) if n > 0 => {
                        front.advance(n);
                        if front.is_empty() {
                            self.pending.pop_front();
                        }
                    }
                    Poll::Ready(_) => return Poll::Ready(Ok(())),
                    Poll::Pending => return Poll::Pending,
                }
            }
            if Pin::new(&mut self.writer).poll_flush(cx).is_pending() {
                return Poll::Pending;
            }
            if Pin::new(&mut self.writer).poll_close(cx).is_pending() {
                return Poll::Pending;
            }
        }
        Poll::Ready(Ok(()))
    }

    fn poll_source(&mut self, source: usize, cx: &mut Context<'_>) -> Option<Wake> {
        let ready = match source {
            0 => self.poll_writer(cx),
            1 if self.reading => self.poll_reader(cx).map(Wake::Read),
            2 => match self.commands.poll_recv(cx) {
                Poll::Ready(Some(c)) => Poll::Ready(Wake::Command(c)),
                _ => Poll::Pending,
            },
            3 => self.tasks.poll_ended(cx).map(|(id, ended)| Wake::TaskEnded(id, ended)),
            4 => self.timer.poll(cx).map(|()| Wake::Timeout),
            _ => Poll::Pending,
        };
        match ready {
            Poll::Ready(wake) => Some(wake),
            Poll::Pending => None,
        }
    }

    /// Reads from the peer, with the input waker when there is one.
    fn poll_reader(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        match &self.input {
            Some((_, waker)) => {
                let mut cx = Context::from_waker(waker);
                Pin::new(&mut self.reader).poll_read(&mut cx, &mut self.buf)
            }
            None => Pin::new(&mut self.reader).poll_read(cx, &mut self.buf),
        }
    }

    /// Writes the front of the queue, or flushes once the queue has drained.
    fn poll_writer(&mut self, cx: &mut Context<'_>) -> Poll<Wake> {
        if let Some(front) = self.pending.front() {
            return Pin::new(&mut self.writer).poll_write(cx, front).map(Wake::Wrote);
        }
        if self.flushing {
            match Pin::new(&mut self.writer).poll_flush(cx) {
                Poll::Ready(Ok(())) => self.flushing = false,
                Poll::Ready(Err(e)) => return Poll::Ready(Wake::Wrote(Err(e))),
                Poll::Pending => {}
            }
        }
        Poll::Pending
    }

    fn apply(&mut self, wake: Wake) {
        let now = self.now();
        match wake {
            Wake::Wrote(Ok(0) | Err(_)) => {
                (self.log)("writing to the peer failed; closing");
                self.driver.set_unix_time_ms(unix_ms());
                self.driver.handle_eof(now);
                self.pending.clear();
                self.pending_len = 0;
            }
            Wake::Wrote(Ok(n)) => {
                self.pending_len -= n;
                if let Some(front) = self.pending.front_mut() {
                    front.advance(n);
                    if front.is_empty() {
                        self.pending.pop_front();
                    }
                }
                // Flushed once the queue drains, without holding up reading meanwhile.
                self.flushing = self.pending.is_empty();
            }
            Wake::Read(r) => {
                self.driver.set_unix_time_ms(unix_ms());
                match r {
                    Ok(0) => {
                        self.reading = false;
                        self.driver.handle_eof(now);
                    }
                    Ok(n) => self.driver.handle_bytes(now, &self.buf[..n]),
                    Err(e) => {
                        (self.log)(&format!("reading from the peer failed: {e}; closing"));
                        self.reading = false;
                        self.driver.handle_eof(now);
                    }
                }
            }
            Wake::Command(cmd) => {
                self.driver.set_unix_time_ms(unix_ms());
                self.driver.handle_command(now, cmd);
            }
            Wake::TaskEnded(_, Ended::Completed(answer)) => {
                let driver = &mut self.driver;
                self.commands.answer_in_order(answer, |c| driver.handle_command(now, c));
            }
            Wake::TaskEnded(id, Ended::Panicked) => self.driver.handle_task_panicked(now, id),
            Wake::TaskEnded(_, Ended::Aborted) => {}
            Wake::Timeout => self.driver.handle_timeout(now),
        }
    }

    /// Writes what is queued on the loop's behalf, registering the loop's waker for a write
    /// that cannot finish; wakes the loop only to arm its timer sooner or to end.
    fn write_for_loop(&mut self) {
        let Some(waker) = self.waker.take() else { return };
        let mut cx = Context::from_waker(&waker);
        while self.ending.is_none() {
            let Poll::Ready(wrote) = self.poll_writer(&mut cx) else { break };
            self.apply(wrote);
            self.drain();
        }
        if self.ending.is_some() || !self.timer.covers(self.deadline()) {
            waker.wake_by_ref();
        }
        self.waker = Some(waker);
    }
}

impl<Rt, R, W, L> ReadInput for Conn<Rt, R, W, L>
where
    Rt: Runtime,
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
    L: Fn(&str),
{
    /// Reads and applies what the peer sent, for a waiter that took the input (or gave it
    /// back), then writes what that produced.
    fn read_input(&mut self) {
        if self.waker.is_none() {
            // The loop has not run yet: it reads first.
            return;
        }
        let mut cx = Context::from_waker(Waker::noop());
        while self.reading && self.ending.is_none() {
            let Poll::Ready(read) = self.poll_reader(&mut cx) else { break };
            self.apply(Wake::Read(read));
            self.drain();
        }
        self.watch_input();
        self.write_for_loop();
    }

    fn input_taken(&mut self) {
        self.watch_input();
        // Arms the watch (waking the loop only if its timer is not already due sooner).
        self.write_for_loop();
    }
}

/// A loop whose diagnostics go to stderr, as [`run_direct`] runs it.
type StderrConn<Rt, R, W> = Conn<Rt, R, W, fn(&str)>;

impl<Rt, R, W> LoopState for StderrConn<Rt, R, W>
where
    Rt: Runtime,
    R: AsyncRead + Unpin + Send,
    W: AsyncWrite + Unpin + Send,
{
    /// Applies `command` for a sender on its own thread, then writes what it produced with
    /// the loop's waker (a write that cannot finish now wakes the loop when it can). `None`
    /// when the loop has not run yet or is ending; the command then goes through the channel.
    fn apply_now(&mut self, command: Command) -> Option<Command> {
        if self.ending.is_some() || self.waker.is_none() {
            return Some(command);
        }
        // What waits in the channel was sent first.
        while let Some(earlier) = self.commands.try_recv() {
            self.apply(Wake::Command(earlier));
        }
        self.apply(Wake::Command(command));
        self.drain();
        self.write_for_loop();
        None
    }
}
