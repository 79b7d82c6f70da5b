//! The driver by hand: a recording sink, a tiny executor for the tasks it spawns, and JSON
//! in and out.

use alloc::string::ToString;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::future::Future;
use core::pin::pin;
use core::task::{Context as TaskContext, Poll, Waker};

use serde_json::{Value, json};

use super::*;
use crate::server::{Context, NoArguments, ServerBuilder};
use crate::session::Framing;
use crate::types::{ElicitRequestParams, Implementation};

/// Records what tasks send instead of delivering it to a loop.
#[derive(Default)]
struct Recorder(spin::Mutex<Vec<Command>>);

impl CommandSink for Recorder {
    fn send(&self, command: Command) -> BoxFuture<'static, Result<(), Closed>> {
        self.0.lock().push(command);
        alloc::boxed::Box::pin(async { Ok(()) })
    }
    fn try_send(&self, command: Command) -> Result<(), Closed> {
        self.0.lock().push(command);
        Ok(())
    }
}

/// Polls a future that never waits on I/O to completion.
fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = TaskContext::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

struct Harness {
    driver: Driver,
    sink: Arc<Recorder>,
}

impl Harness {
    fn new() -> Harness {
        let server = ServerBuilder::new("t", "1")
            .request_state_key([9; 32])
            .tool("ask", "Asks the user", |_: NoArguments, ctx: Context| async move {
                let form = json!({"message": "name?", "requestedSchema": {"type": "object", "properties": {"n": {"type": "string"}}}});
                let params: ElicitRequestParams = serde_json::from_value(form).unwrap();
                let r = ctx.elicit(params).await?;
                Ok::<_, CallError>(serde_json::to_string(&r).unwrap())
            })
            .tool("echo", "Echoes", |_: NoArguments, _ctx: Context| async { "echo" })
            .build()
            .unwrap();
        let sink = Arc::new(Recorder::default());
        let driver = Driver::server(server, Framing::Messages, sink.clone());
        Harness { driver, sink }
    }

    fn feed(&mut self, v: Value) {
        self.driver.handle_frame(Instant::ZERO, bytes::Bytes::from(v.to_string()));
    }

    /// Runs every spawned task to completion, feeding what they send back in; returns the
    /// JSON written and the tasks it aborted.
    fn run(&mut self) -> (Vec<Value>, Vec<TaskId>) {
        let (mut sent, mut aborted) = (Vec::new(), Vec::new());
        loop {
            let mut progressed = false;
            while let Some(out) = self.driver.poll_output() {
                progressed = true;
                match out {
                    DriverOutput::Transmit(t) => {
                        sent.push(serde_json::from_slice(&t.bytes).unwrap())
                    }
                    DriverOutput::Spawn(task) => {
                        let answer = block_on(task.future);
                        self.driver.handle_command(Instant::ZERO, answer);
                    }
                    DriverOutput::Abort(id) => aborted.push(id),
                    DriverOutput::Diagnostic(_) | DriverOutput::Closed => {}
                }
            }
            let commands: Vec<Command> = core::mem::take(&mut *self.sink.0.lock());
            for c in commands {
                progressed = true;
                self.driver.handle_command(Instant::ZERO, c);
            }
            if !progressed {
                return (sent, aborted);
            }
        }
    }
}

fn meta(caps: Value) -> Value {
    json!({"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": caps})
}

fn call(id: u32, name: &str, caps: Value, extra: Value) -> Value {
    let mut params = json!({"name": name, "_meta": meta(caps)});
    if let (Some(p), Some(e)) = (params.as_object_mut(), extra.as_object()) {
        p.extend(e.clone());
    }
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": params})
}

#[test]
fn mrtr_round_trip_and_tampered_state() {
    let mut h = Harness::new();
    h.feed(call(1, "ask", json!({"elicitation": {}}), json!({})));
    let (sent, _) = h.run();
    let result = &sent[0]["result"];
    assert_eq!(result["resultType"], "input_required");
    assert_eq!(result["inputRequests"]["elicitation-0"]["method"], "elicitation/create");
    let state = alloc::string::String::from(result["requestState"].as_str().unwrap());

    // The retry answers the asked key (and sneaks in one that was never asked).
    let answer = json!({"elicitation-0": {"action": "accept", "content": {"n": "Ada"}}, "elicitation-9": {"action": "decline"}});
    h.feed(call(
        2,
        "ask",
        json!({"elicitation": {}}),
        json!({"inputResponses": answer, "requestState": state}),
    ));
    let (sent, _) = h.run();
    assert_eq!(sent[0]["result"]["resultType"], "complete");
    assert!(sent[0]["result"]["content"][0]["text"].as_str().unwrap().contains("Ada"));

    // A state with one character changed is refused.
    let mut tampered = state.clone();
    tampered.replace_range(1..2, if &state[1..2] == "A" { "B" } else { "A" });
    h.feed(call(
        3,
        "ask",
        json!({"elicitation": {}}),
        json!({"inputResponses": answer, "requestState": tampered}),
    ));
    let (sent, _) = h.run();
    assert_eq!(sent[0]["error"]["code"], -32602);

    // The same state on other arguments is refused too.
    h.feed(call(
        4,
        "ask",
        json!({"elicitation": {}}),
        json!({"arguments": {"x": 1}, "inputResponses": answer, "requestState": state}),
    ));
    let (sent, _) = h.run();
    assert_eq!(sent[0]["error"]["code"], -32602);
}

#[test]
fn input_the_client_cannot_give_is_missing_required_client_capability() {
    let mut h = Harness::new();
    h.feed(call(1, "ask", json!({}), json!({})));
    let (sent, _) = h.run();
    assert_eq!(sent[0]["error"]["code"], -32021, "{sent:?}");
    assert_eq!(sent[0]["error"]["data"]["requiredCapabilities"], json!({"elicitation": {}}));
}

#[test]
fn a_stale_answer_after_cancel_and_id_reuse_is_ignored() {
    let mut h = Harness::new();
    h.feed(call(1, "echo", json!({}), json!({})));
    // Take the spawned task without running it.
    let Some(DriverOutput::Spawn(first)) = h.driver.poll_output() else { panic!("a task") };
    h.feed(
        json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}}),
    );
    let Some(DriverOutput::Abort(aborted)) = h.driver.poll_output() else { panic!("an abort") };
    assert_eq!(aborted, first.id);
    // The peer reuses id 1; then the first task's late answer arrives.
    h.feed(call(1, "echo", json!({}), json!({})));
    let Some(DriverOutput::Spawn(second)) = h.driver.poll_output() else { panic!("a task") };
    let stale = Command::Respond {
        task: first.id,
        id: crate::jsonrpc::RequestId::Number(1),
        result: Err(ErrorObject::internal_error("stale")),
    };
    h.driver.handle_command(Instant::ZERO, stale);
    assert!(h.driver.poll_output().is_none(), "the stale answer must not reach the peer");
    let answer = block_on(second.future);
    h.driver.handle_command(Instant::ZERO, answer);
    let (sent, _) = h.run();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["result"]["content"][0]["text"], "echo");
}

#[test]
fn commands_after_close_are_answered_closed() {
    let sink = Arc::new(Recorder::default());
    let mut d = Driver::client(
        ClientConfig::new(Implementation::new("c", "1")),
        crate::client::ClientHandlers::new(),
        Framing::Messages,
        sink,
    );
    d.handle_eof(Instant::ZERO);
    while d.poll_output().is_some() {}
    let (reply, answer) = oneshot::channel();
    d.handle_command(
        Instant::ZERO,
        Command::Request {
            call: CallId(0),
            method: "tools/list".into(),
            params: None,
            options: Default::default(),
            on_progress: None,
            reply,
        },
    );
    assert_eq!(block_on(answer).unwrap(), Err(CallError::Closed));
    assert!(d.poll_output().is_none());
}
