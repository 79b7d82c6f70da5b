//! Bad input and vanishing peers leave the `everything` server (over stdio, on every runtime)
//! in a defined state, with a clear log line, and nothing leaks.

#[path = "support/bins.rs"]
mod bins;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bins::everything;
use mcp_sansio_runtime_tests::{TestRuntime, on_every_runtime};
use serde_json::{Value, json};

on_every_runtime!(
    a_malformed_line_gets_a_parse_error_and_the_server_goes_on,
    a_ten_mib_line_is_refused_without_buffering_it,
    a_client_that_vanishes_mid_call_stops_the_handler_and_the_server_exits,
);

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: std::sync::mpsc::Receiver<Value>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(runtime: &str) -> Server {
        let mut child = Command::new(everything(runtime))
            .arg("stdio")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the everything example starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(serde_json::from_str(&line).expect("the server writes JSON lines"));
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let stdin = child.stdin.take();
        Server { child, stdin, lines, stderr }
    }

    fn send(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn recv(&self) -> Value {
        self.lines.recv_timeout(Duration::from_secs(10)).expect("a reply within 10 s")
    }

    fn initialize(&mut self) {
        self.send(br#"{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"sampling":{}},"clientInfo":{"name":"t","version":"1"}}}
{"jsonrpc":"2.0","method":"notifications/initialized"}
"#);
        assert_eq!(self.recv()["id"], "init");
    }

    fn ping(&mut self, id: u32) {
        self.send(format!("{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"ping\"}}\n").as_bytes());
        assert_eq!(self.recv(), json!({"jsonrpc": "2.0", "id": id, "result": {}}));
    }

    fn wait_for_log(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.stderr.lock().unwrap().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "no log line with {needle:?}; stderr:\n{}",
                self.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Peak resident memory, in KiB (Linux).
    fn peak_rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    fn close_and_wait(mut self) -> std::process::ExitStatus {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit after stdin closed");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

async fn a_malformed_line_gets_a_parse_error_and_the_server_goes_on<R: TestRuntime>() {
    let mut s = Server::start(R::NAME);
    s.initialize();
    s.send(b"{oops\n");
    let e = s.recv();
    assert_eq!(e["error"]["code"], -32700);
    assert!(e.get("id").is_none());
    s.wait_for_log("peer broke the protocol: parse error");
    s.ping(7);
    assert!(s.close_and_wait().success());
}

async fn a_ten_mib_line_is_refused_without_buffering_it<R: TestRuntime>() {
    let mut s = Server::start(R::NAME);
    s.initialize();
    let baseline = s.peak_rss_kib();
    let mut line = vec![b'x'; 10 * 1024 * 1024];
    line.push(b'\n');
    s.send(&line);
    let e = s.recv();
    assert_eq!(e["error"]["code"], -32600, "{e}");
    s.wait_for_log("peer broke the protocol");
    s.ping(8);
    if let (Some(before), Some(after)) = (baseline, s.peak_rss_kib()) {
        // The line decoder keeps at most its 4 MiB limit; a 10 MiB line must not be held whole.
        assert!(after < before + 8 * 1024, "peak RSS grew from {before} KiB to {after} KiB");
    }
    assert!(s.close_and_wait().success());
}

async fn a_client_that_vanishes_mid_call_stops_the_handler_and_the_server_exits<R: TestRuntime>() {
    let mut s = Server::start(R::NAME);
    s.initialize();
    // The tool waits for the client's sampling answer, which never comes.
    s.send(
        br#"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"test_sampling","arguments":{"prompt":"hi"}}}
"#,
    );
    assert_eq!(s.recv()["method"], "sampling/createMessage");
    let status = s_close_now(s);
    assert!(status.0.success());
    assert!(
        status.1.contains("the peer closed the connection with 1 request(s) in flight"),
        "stderr:\n{}",
        status.1
    );
}

fn s_close_now(s: Server) -> (std::process::ExitStatus, String) {
    let stderr = s.stderr.clone();
    let status = s.close_and_wait();
    // The log line is written before the process exits; give the reader thread a moment.
    std::thread::sleep(Duration::from_millis(100));
    let text = stderr.lock().unwrap().clone();
    (status, text)
}
