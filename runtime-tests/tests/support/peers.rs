//! Shared by `interop.rs` (stdio) and `interop_http.rs` (Streamable HTTP): where the
//! official-SDK peers of `interop/` and each runtime's `everything` example live, and how to run a peer
//! client to the end and judge the JSON lines it reports (one per scenario,
//! `{"scenario", "ok", "detail", …}`; see `interop/README.md`).
//!
//! Included with `#[path = "support/peers.rs"] mod peers;` (a subfolder of `tests/` is not a
//! test target of its own).

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

/// Each scenario's timeout, passed to the peer client as `--timeout`. The client's own run
/// deadline is this × (scenarios + 3) (29 × 5 s for the `all` group), below [`DEADLINE`], so a
/// hung run still ends with the client's report rather than with a kill.
pub const SCENARIO_TIMEOUT: &str = "5";
/// A peer client still running after this is killed and the test fails.
pub const DEADLINE: Duration = Duration::from_secs(180);

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root").to_path_buf()
}

pub fn python() -> PathBuf {
    let p = repo().join("interop/python/.venv/bin/python");
    assert!(p.exists(), "{} is missing: run interop/setup.sh (scripts/test does)", p.display());
    p
}

pub fn typescript(file: &str) -> PathBuf {
    let modules = repo().join("interop/typescript/node_modules/@modelcontextprotocol/sdk");
    assert!(
        modules.exists(),
        "{} is missing: run interop/setup.sh (scripts/test does)",
        modules.display()
    );
    repo().join("interop/typescript").join(file)
}

/// A child process killed (and reaped) when dropped, so that no test leaves one behind, even
/// when it panics.
pub struct ChildGuard(pub Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

/// Reads a pipe to its end on a thread; the text arrives on the returned channel.
pub fn drain(mut pipe: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        let _ = tx.send(String::from_utf8_lossy(&buf).into_owned());
    });
    rx
}

/// The text of a [`drain`]ed pipe. A grandchild that outlived its parent may hold the pipe
/// open; give up on it after a moment rather than hang.
fn collect(rx: &mpsc::Receiver<String>) -> String {
    rx.recv_timeout(Duration::from_secs(5))
        .unwrap_or_else(|_| String::from("<the pipe is still open: a grandchild holds it>"))
}

/// An official-SDK client of `interop/`.
#[derive(Clone, Copy, Debug)]
pub enum PeerClient {
    /// `interop/python/client.py --mode <mode>` (`legacy`, `auto` or `modern`).
    Python(&'static str),
    /// `node interop/typescript/client.mjs` (2025-11-25 only).
    TypeScript,
}

impl PeerClient {
    fn command(self) -> Command {
        match self {
            PeerClient::Python(mode) => {
                let mut c = Command::new(python());
                c.arg(repo().join("interop/python/client.py")).args(["--mode", mode]);
                c
            }
            PeerClient::TypeScript => {
                let mut c = Command::new("node");
                c.arg(typescript("client.mjs"));
                c
            }
        }
    }

    /// The scenarios of `group`, in the client's order, as its `--list` prints them.
    pub fn scenarios(self, group: &str) -> Vec<String> {
        let out = self.command().arg("--list").output().expect("the peer client starts");
        assert!(out.status.success(), "{self:?} --list: {}", String::from_utf8_lossy(&out.stderr));
        let list = String::from_utf8(out.stdout).expect("UTF-8");
        let names: Vec<String> = list
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .filter(|(_, g)| *g == group)
            .map(|(n, _)| n.to_owned())
            .collect();
        assert!(!names.is_empty(), "{self:?} --list has no group {group}:\n{list}");
        names
    }

    /// Runs the client with `args` (after `--timeout`) until it exits, [`DEADLINE`] at most.
    pub fn run<I, S>(self, args: I) -> Report
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.command();
        cmd.args(["--timeout", SCENARIO_TIMEOUT]).args(args);
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = ChildGuard(cmd.spawn().expect("the peer client starts"));
        let stdout = drain(child.0.stdout.take().expect("piped"));
        let stderr = drain(child.0.stderr.take().expect("piped"));
        let deadline = Instant::now() + DEADLINE;
        let status = loop {
            if let Some(status) = child.0.try_wait().expect("wait") {
                break Some(status);
            }
            if Instant::now() > deadline {
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        drop(child); // kills it if it is still running
        let (stdout, stderr) = (collect(&stdout), collect(&stderr));
        assert!(
            status.is_some(),
            "{self:?} did not finish in {DEADLINE:?}\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        let lines = stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}\nstderr:\n{stderr}"))
            })
            .collect();
        Report { client: self, lines, success: status.is_some_and(|s| s.success()), stderr }
    }
}

/// What a peer client reported.
pub struct Report {
    pub client: PeerClient,
    /// One per scenario, in the order run.
    pub lines: Vec<Value>,
    /// Exit status 0.
    pub success: bool,
    pub stderr: String,
}

impl Report {
    /// The line of `scenario`.
    pub fn get(&self, scenario: &str) -> &Value {
        self.lines.iter().find(|l| l["scenario"] == scenario).unwrap_or_else(|| {
            panic!("{:?} reported no {scenario}: {:#?}", self.client, self.lines)
        })
    }

    /// Every scenario of `expected` was reported, in that order, none other, each `ok`, and the
    /// client exited 0. `context` (e.g. the server's log) goes into the panic message.
    pub fn assert_all_passed(&self, expected: &[String], context: &str) {
        let reported: Vec<&str> =
            self.lines.iter().map(|l| l["scenario"].as_str().unwrap_or("?")).collect();
        let failed: BTreeMap<&str, &Value> = self
            .lines
            .iter()
            .filter(|l| l["ok"] != true)
            .map(|l| (l["scenario"].as_str().unwrap_or("?"), &l["detail"]))
            .collect();
        assert!(
            failed.is_empty() && self.success && reported == expected,
            "{:?}: failed scenarios: {failed:#?}\nreported {} of {} expected: {reported:?}\n\
             exit status 0: {}\nstderr:\n{}\n{context}",
            self.client,
            reported.len(),
            expected.len(),
            self.success,
            self.stderr,
        );
    }
}
