//! The driver: a [`Session`] joined to an application (a [`Server`] or a client's handlers) and
//! to the tasks that run its handlers. Still sans-IO.
//!
//! A runtime crate owns one driver per connection and runs one loop:
//!
//! 1. wait for bytes from the peer, a [`Command`] from the channel behind its
//!    [`CommandSink`], or the deadline from [`Driver::poll_timeout`];
//! 2. hand it to the driver ([`Driver::handle_bytes`], [`Driver::handle_command`],
//!    [`Driver::handle_timeout`], …);
//! 3. drain [`Driver::poll_output`]: write [`DriverOutput::Transmit`]s, spawn
//!    [`DriverOutput::Spawn`]ed tasks, abort [`DriverOutput::Abort`]ed ones, print
//!    [`DriverOutput::Diagnostic`]s.
//!
//! A task's output is a [`Command`] (its answer) that goes back in through
//! [`Driver::handle_command`] once the task completes, without a trip through the sink: a
//! loop that polls a new task once before spawning it answers a handler that never waits in
//! the same turn.
//!
//! A task that panics is reported with [`Driver::handle_task_panicked`]; its request gets an
//! internal error and the connection goes on.

mod command;
#[cfg(test)]
mod tests;

use alloc::collections::{BTreeMap, VecDeque};
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use bytes::Bytes;
use futures_channel::oneshot;

pub(crate) use command::WaitAnswer;
pub use command::{BoxFuture, CallError, CallId, Closed, Command, CommandSink, ProgressFn, TaskId};

use crate::client::ClientHandlers;
use crate::jsonrpc::{ErrorObject, RawJson, RequestId};
use crate::methods as m;
use crate::server::{Context, Dispatch, InputReplay, Server, SharedServer};
use crate::session::{
    ClientConfig, Event, Framing, IncomingRequest, Output, PeerInfo, Session, Transmit,
};
use crate::time::Instant;

/// One item from [`Driver::poll_output`].
pub enum DriverOutput {
    /// Bytes for the peer.
    Transmit(Transmit),
    /// A task to spawn on the runtime.
    Spawn(Task),
    /// Stop a task spawned earlier (its request was cancelled); dropping it is enough.
    Abort(TaskId),
    /// Something worth a log line: the peer broke the protocol, a handler failed.
    Diagnostic(String),
    /// The connection is over: stop the loop once the transmits are written.
    Closed,
}

impl core::fmt::Debug for DriverOutput {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            DriverOutput::Transmit(t) => f.debug_tuple("Transmit").field(t).finish(),
            DriverOutput::Spawn(t) => f.debug_tuple("Spawn").field(&t.id).finish(),
            DriverOutput::Abort(t) => f.debug_tuple("Abort").field(t).finish(),
            DriverOutput::Diagnostic(d) => f.debug_tuple("Diagnostic").field(d).finish(),
            DriverOutput::Closed => f.write_str("Closed"),
        }
    }
}

/// A future the runtime must spawn, and its id.
pub struct Task {
    /// The id [`DriverOutput::Abort`] and [`Driver::handle_task_panicked`] refer to.
    pub id: TaskId,
    /// The work. Its output — the handler's answer — goes to [`Driver::handle_command`] when
    /// it completes; a task that is aborted has nothing to report.
    pub future: BoxFuture<'static, Command>,
}

struct Waiter {
    call: CallId,
    reply: oneshot::Sender<Result<RawJson, CallError>>,
    on_progress: Option<ProgressFn>,
}

struct TaskEntry {
    /// The peer's request the task answers.
    request: Option<RequestId>,
    /// Our request whose `input_required` the task is gathering input for.
    gathering: Option<RequestId>,
    cancelled: Arc<AtomicBool>,
}

enum App {
    Server(SharedServer),
    Client(ClientHandlers),
}

/// A session, its application and its tasks. See the [module docs](self).
pub struct Driver {
    session: Session,
    app: App,
    sink: Arc<dyn CommandSink>,
    calls: Arc<AtomicU64>,
    out: VecDeque<DriverOutput>,
    next_task: u64,
    tasks: BTreeMap<TaskId, TaskEntry>,
    task_of_request: BTreeMap<RequestId, TaskId>,
    /// Tasks gathering input for our requests that came back `input_required`.
    gather_of: BTreeMap<RequestId, TaskId>,
    waiting: BTreeMap<RequestId, Waiter>,
    call_ids: BTreeMap<CallId, RequestId>,
    connect_waiters: Vec<oneshot::Sender<Result<PeerInfo, String>>>,
    closed: bool,
    unix_ms: Option<u64>,
}

impl Driver {
    /// A driver serving `server`.
    pub fn server(server: Server, framing: Framing, sink: Arc<dyn CommandSink>) -> Driver {
        Driver::server_shared(Arc::new(spin::RwLock::new(server)), framing, sink)
    }

    /// A driver serving a server shared with other drivers (one per HTTP session or
    /// stateless request). Registry changes through [`Command::UpdateServer`] must then be
    /// applied by the owner of all the drivers, which tells each one with
    /// [`Driver::announce_changes`].
    pub fn server_shared(
        server: SharedServer,
        framing: Framing,
        sink: Arc<dyn CommandSink>,
    ) -> Driver {
        let session = Session::server(server.read().shared_session_config(), framing);
        Driver::new(session, App::Server(server), sink)
    }

    /// A driver serving a shared server on a session that skips the `initialize` handshake
    /// (HTTP without sessions, where every request stands alone at `version`).
    pub fn server_preinitialized(
        server: SharedServer,
        version: crate::ProtocolVersion,
        framing: Framing,
        sink: Arc<dyn CommandSink>,
    ) -> Driver {
        let session =
            Session::server_preinitialized(server.read().shared_session_config(), framing, version);
        Driver::new(session, App::Server(server), sink)
    }

    /// A driver for a client with `handlers` for the server's requests. Call
    /// [`Command::Connect`] (or [`Client::connect`](crate::client::Client::connect)) to start.
    pub fn client(
        config: ClientConfig,
        handlers: ClientHandlers,
        framing: Framing,
        sink: Arc<dyn CommandSink>,
    ) -> Driver {
        let mut config = config;
        handlers.declare(&mut config.capabilities);
        let session = Session::client(config, framing);
        Driver::new(session, App::Client(handlers), sink)
    }

    /// A client driver and the [`Client`](crate::client::Client) handle that talks to it,
    /// checking `structuredContent` against output schemas when the `validation` feature is
    /// on.
    pub fn client_with_handle(
        config: ClientConfig,
        handlers: ClientHandlers,
        framing: Framing,
        sink: Arc<dyn CommandSink>,
    ) -> (Driver, crate::client::Client) {
        let driver = Driver::client(config, handlers, framing, sink.clone());
        let client = crate::client::Client::new(sink, driver.call_counter());
        #[cfg(feature = "validation")]
        let client = client.with_validator(Arc::new(crate::client::JsonSchemaValidator));
        (driver, client)
    }

    fn new(session: Session, app: App, sink: Arc<dyn CommandSink>) -> Driver {
        Driver {
            session,
            app,
            sink,
            calls: Arc::new(AtomicU64::new(0)),
            out: VecDeque::new(),
            next_task: 0,
            tasks: BTreeMap::new(),
            task_of_request: BTreeMap::new(),
            gather_of: BTreeMap::new(),
            waiting: BTreeMap::new(),
            call_ids: BTreeMap::new(),
            connect_waiters: Vec::new(),
            closed: false,
            unix_ms: None,
        }
    }

    /// The session underneath, for inspection.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The counter that numbers calls made through handles of this driver's sink.
    pub fn call_counter(&self) -> Arc<AtomicU64> {
        self.calls.clone()
    }

    /// The wall-clock time (milliseconds since the Unix epoch), for stamping 2026-07-28
    /// `requestState`s that other processes must be able to check. Runtimes call this before
    /// each input; without it the monotonic clock is used, which only works within one
    /// connection.
    pub fn set_unix_time_ms(&mut self, ms: u64) {
        self.unix_ms = Some(ms);
    }

    /// Tasks spawned and not yet finished.
    pub fn tasks_in_flight(&self) -> usize {
        self.tasks.len()
    }

    // ----- inputs -----

    /// Bytes from the peer's byte stream.
    pub fn handle_bytes(&mut self, now: Instant, bytes: &[u8]) {
        self.session.handle_bytes(now, bytes);
        self.pump(now);
    }

    /// One JSON text from the peer.
    pub fn handle_frame(&mut self, now: Instant, frame: Bytes) {
        self.session.handle_frame(now, frame);
        self.pump(now);
    }

    /// One decoded message from the peer.
    pub fn handle_message(&mut self, now: Instant, message: crate::jsonrpc::Message) {
        self.session.handle_message(now, message);
        self.pump(now);
    }

    /// Client over HTTP: the server forgot the session (404). Pending calls fail, and the
    /// driver connects again (`initialize` or discovery) at once.
    pub fn handle_session_expired(&mut self, now: Instant) {
        self.session.handle_session_expired(now);
        self.pump(now);
        if self.session.connect(now).is_ok() {
            self.diagnostic("the server ended the session; connecting again".into());
        }
        self.pump(now);
    }

    /// Whether the connection is over.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// The deadline from [`Driver::poll_timeout`] has passed.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.session.handle_timeout(now);
        self.pump(now);
    }

    /// The peer's input ended.
    pub fn handle_eof(&mut self, now: Instant) {
        let in_flight = self.tasks.values().filter(|t| t.request.is_some()).count();
        if in_flight > 0 && !self.closed {
            self.diagnostic(alloc::format!(
                "the peer closed the connection with {in_flight} request(s) in flight; their handlers are stopped"
            ));
        }
        self.session.handle_eof(now);
        self.pump(now);
        self.close();
    }

    /// A task panicked (or was lost): its request gets an internal error.
    pub fn handle_task_panicked(&mut self, now: Instant, task: TaskId) {
        let Some(entry) = self.tasks.remove(&task) else { return };
        if let Some(id) = entry.gathering {
            self.gather_of.remove(&id);
            let _ = self.session.cancel(&id, Some("the client failed to gather the input"));
            self.out.push_back(DriverOutput::Diagnostic(alloc::format!(
                "the input handler for request {id} panicked; the request is cancelled"
            )));
        }
        if let Some(id) = entry.request {
            self.task_of_request.remove(&id);
            let _ = self
                .session
                .respond_error(&id, ErrorObject::internal_error("the handler panicked"));
            self.out.push_back(DriverOutput::Diagnostic(alloc::format!(
                "handler for request {id} panicked; answered with an internal error"
            )));
        }
        self.pump(now);
    }

    /// A command from a handle or a handler task.
    pub fn handle_command(&mut self, now: Instant, command: Command) {
        if self.closed {
            // Nothing more goes out; callers waiting for an answer learn so at once.
            match command {
                Command::Request { reply, .. } => {
                    let _ = reply.send(Err(CallError::Closed));
                }
                Command::Connect { reply } => {
                    let _ = reply.send(Err("the connection closed".into()));
                }
                _ => {}
            }
            return;
        }
        match command {
            Command::Request { call, method, params, options, on_progress, reply } => {
                match self.session.send_request(now, &method, params, options) {
                    Ok(id) => {
                        self.call_ids.insert(call, id.clone());
                        self.waiting.insert(id, Waiter { call, reply, on_progress });
                    }
                    Err(e) => {
                        let _ = reply.send(Err(CallError::Rejected(e)));
                    }
                }
            }
            Command::Cancel { call, reason } => {
                if let Some(id) = self.call_ids.get(&call).cloned() {
                    let _ = self.session.cancel(&id, reason.as_deref());
                }
            }
            Command::Notify { method, params, related } => {
                if let Err(e) = self.session.notify(&method, params, related) {
                    self.diagnostic(alloc::format!("notification {method} not sent: {e}"));
                }
            }
            Command::Respond { task, id, result } => {
                // A task that was aborted (its request cancelled, perhaps its id reused since)
                // has no say any more.
                if self.tasks.remove(&task).is_none() {
                    return self.pump(now);
                }
                if self.task_of_request.get(&id) == Some(&task) {
                    self.task_of_request.remove(&id);
                }
                self.finish(&id, result);
            }
            Command::Progress { id, progress, total, message } => {
                let _ = self.session.notify_progress(&id, progress, total, message.as_deref());
            }
            Command::Log { level, logger, data, related } => {
                let _ = self.session.log(level, logger.as_deref(), data, related.as_ref());
            }
            Command::ProvideInput { task, id, responses } => {
                if self.tasks.remove(&task).is_none() {
                    return self.pump(now);
                }
                self.gather_of.remove(&id);
                let result = responses.and_then(|r| {
                    self.session.provide_input(now, &id, r).map_err(CallError::Rejected)
                });
                if let Err(e) = result {
                    let _ = self.session.cancel(&id, Some("input could not be gathered"));
                    if let Some(w) = self.waiting.remove(&id) {
                        self.call_ids.remove(&w.call);
                        let _ = w.reply.send(Err(e));
                    }
                }
            }
            Command::Connect { reply } => match self.session.connect(now) {
                Ok(()) => self.connect_waiters.push(reply),
                Err(e) => {
                    let _ = reply.send(Err(e.to_string()));
                }
            },
            Command::ResourceUpdated { uri } => {
                let _ = self.session.notify_resource_updated(&uri);
            }
            Command::ListChanged { method } => {
                let _ = self.session.notify_list_changed(method);
            }
            Command::UpdateServer(f) => {
                if let App::Server(server) = &self.app {
                    let changed = {
                        let mut server = server.write();
                        f(&mut server.registry);
                        core::mem::take(&mut server.registry.changed)
                    };
                    self.announce(changed);
                }
            }
            Command::Shutdown => self.close(),
        }
        self.pump(now);
    }

    /// Tells the peer which lists changed (after a shared registry was updated elsewhere).
    pub fn announce_changes(&mut self, now: Instant, changed: crate::server::Changed) {
        self.announce(changed);
        self.pump(now);
    }

    fn announce(&mut self, changed: crate::server::Changed) {
        for (did, method) in [
            (changed.tools, m::TOOLS_LIST_CHANGED),
            (changed.resources, m::RESOURCES_LIST_CHANGED),
            (changed.prompts, m::PROMPTS_LIST_CHANGED),
        ] {
            if did {
                // Refused only when the capability does not declare listChanged.
                let _ = self.session.notify_list_changed(method);
            }
        }
    }

    // ----- outputs -----

    /// The next output; drain until `None` after every input.
    pub fn poll_output(&mut self) -> Option<DriverOutput> {
        self.out.pop_front()
    }

    /// When [`Driver::handle_timeout`] must be called next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.session.poll_timeout()
    }

    // ----- internals -----

    fn diagnostic(&mut self, text: String) {
        self.out.push_back(DriverOutput::Diagnostic(text));
    }

    fn close(&mut self) {
        if self.closed {
            return;
        }
        self.closed = true;
        for (_, w) in core::mem::take(&mut self.waiting) {
            let _ = w.reply.send(Err(CallError::Closed));
        }
        self.call_ids.clear();
        for w in self.connect_waiters.drain(..) {
            let _ = w.send(Err("the connection closed".into()));
        }
        for (task, entry) in core::mem::take(&mut self.tasks) {
            entry.cancelled.store(true, Ordering::Release);
            self.out.push_back(DriverOutput::Abort(task));
        }
        self.task_of_request.clear();
        self.gather_of.clear();
        self.out.push_back(DriverOutput::Closed);
    }

    fn pump(&mut self, now: Instant) {
        while let Some(o) = self.session.poll_output() {
            match o {
                Output::Transmit(t) => self.out.push_back(DriverOutput::Transmit(t)),
                Output::Event(e) => self.on_event(now, e),
            }
        }
    }

    fn on_event(&mut self, now: Instant, event: Event) {
        match event {
            Event::Request(req) => self.on_request(now, req),
            Event::Cancelled { id, .. } => {
                if let Some(task) = self.task_of_request.remove(&id) {
                    if let Some(entry) = self.tasks.remove(&task) {
                        entry.cancelled.store(true, Ordering::Release);
                    }
                    self.out.push_back(DriverOutput::Abort(task));
                }
            }
            Event::Outcome { id, outcome } => {
                // The request ended (timed out, cancelled): stop asking the user for input.
                if let Some(task) = self.gather_of.remove(&id) {
                    self.tasks.remove(&task);
                    self.out.push_back(DriverOutput::Abort(task));
                }
                if let Some(w) = self.waiting.remove(&id) {
                    self.call_ids.remove(&w.call);
                    let _ = w.reply.send(CallError::from_outcome(outcome));
                }
            }
            Event::Progress { id, progress, total, message } => {
                if let Some(f) = self.waiting.get(&id).and_then(|w| w.on_progress.as_ref()) {
                    f(progress, total, message);
                }
            }
            Event::InputRequired { id, input_requests } => {
                self.on_input_required(id, input_requests)
            }
            Event::Connected(info) => {
                for w in self.connect_waiters.drain(..) {
                    let _ = w.send(Ok((*info).clone()));
                }
            }
            Event::ConnectFailed { reason } => {
                for w in self.connect_waiters.drain(..) {
                    let _ = w.send(Err(reason.clone()));
                }
            }
            Event::Notification { method, params } => {
                if let App::Client(handlers) = &self.app {
                    handlers.notify(&method, params.as_ref());
                }
            }
            Event::ProtocolViolation { description } => {
                self.diagnostic(alloc::format!("peer broke the protocol: {description}"))
            }
            Event::Closed => self.close(),
            Event::LogLevelChanged(_)
            | Event::ResourceSubscribed { .. }
            | Event::ResourceUnsubscribed { .. } => {}
        }
    }

    fn new_task(&mut self, request: Option<RequestId>) -> (TaskId, Arc<AtomicBool>) {
        let id = TaskId(self.next_task);
        self.next_task += 1;
        let cancelled = Arc::new(AtomicBool::new(false));
        if let Some(r) = &request {
            self.task_of_request.insert(r.clone(), id);
        }
        self.tasks.insert(id, TaskEntry { request, gathering: None, cancelled: cancelled.clone() });
        (id, cancelled)
    }

    fn on_request(&mut self, now: Instant, req: IncomingRequest) {
        // Sealed request states outlive connections and processes: they are stamped with the
        // wall clock when the runtime gives one, and the monotonic clock otherwise.
        let now_ms = self.unix_ms.unwrap_or_else(|| {
            u64::try_from(now.elapsed_since_origin().as_millis()).unwrap_or(u64::MAX)
        });
        let id = req.id.clone();
        let (task, cancelled) = self.new_task(Some(id.clone()));
        let dispatch = match &self.app {
            App::Server(server) => {
                let server = server.read();
                let ctx = Context {
                    id: id.clone(),
                    request: req.context.clone(),
                    sink: self.sink.clone(),
                    calls: self.calls.clone(),
                    state: server.state.clone(),
                    replay: Arc::new(spin::Mutex::new(InputReplay::default())),
                    cancelled,
                };
                server.dispatch(req, ctx, now_ms)
            }
            App::Client(handlers) => handlers.dispatch(req),
        };
        match dispatch {
            Dispatch::Ready(result) => {
                self.tasks.remove(&task);
                self.task_of_request.remove(&id);
                self.finish(&id, result);
            }
            Dispatch::Run(future) => {
                let future: BoxFuture<'static, Command> = alloc::boxed::Box::pin(async move {
                    Command::Respond { task, id, result: future.await }
                });
                self.out.push_back(DriverOutput::Spawn(Task { id: task, future }));
            }
        }
    }

    /// Answers the peer's request; a result the protocol does not allow (say an
    /// `input_required` on a method that cannot have one) becomes an internal error.
    fn finish(&mut self, id: &RequestId, result: Result<RawJson, ErrorObject>) {
        let sent = match result {
            Ok(r) => self.session.respond(id, r),
            Err(e) => self.session.respond_error(id, e),
        };
        match sent {
            Ok(()) | Err(crate::session::SendError::UnknownRequest) => {}
            Err(e) => {
                self.diagnostic(alloc::format!("response to {id} refused: {e}"));
                let _ = self.session.respond_error(id, ErrorObject::internal_error(e));
            }
        }
    }

    fn on_input_required(&mut self, id: RequestId, input_requests: Option<RawJson>) {
        let App::Client(handlers) = &self.app else { return };
        let gather = handlers.gather_input(input_requests);
        let (task, _) = self.new_task(None);
        if let Some(entry) = self.tasks.get_mut(&task) {
            entry.gathering = Some(id.clone());
        }
        self.gather_of.insert(id.clone(), task);
        let future: BoxFuture<'static, Command> = alloc::boxed::Box::pin(async move {
            Command::ProvideInput { task, id, responses: gather.await }
        });
        self.out.push_back(DriverOutput::Spawn(Task { id: task, future }));
    }
}
