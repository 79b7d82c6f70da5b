//! A client talking to a server it spawned as a child process over stdio.

use std::io;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::session::ClientConfig;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;
use tokio_util::compat::{TokioAsyncReadCompatExt, TokioAsyncWriteCompatExt};

use crate::Tokio;

pub use mcp_sansio_rt::{ServerCommand, Stderr};

/// A running server process and the client connected to it.
#[derive(Debug)]
pub struct ChildProcess {
    child: Child,
    client: Client,
    driver: JoinHandle<io::Result<()>>,
}

impl ChildProcess {
    /// Spawns the server and starts the client's driver loop; call
    /// [`Client::connect`] on [`ChildProcess::client`] next.
    pub fn spawn(
        command: ServerCommand,
        config: ClientConfig,
        handlers: ClientHandlers,
    ) -> io::Result<ChildProcess> {
        let mut cmd = Command::new(&command.program);
        cmd.args(&command.args).envs(command.env.iter().map(|(k, v)| (k, v)));
        if let Some(dir) = &command.cwd {
            cmd.current_dir(dir);
        }
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).kill_on_drop(true);
        cmd.stderr(match command.stderr {
            Stderr::Inherit => Stdio::inherit(),
            Stderr::Null => Stdio::null(),
            Stderr::Capture(_) => Stdio::piped(),
        });
        let mut child = cmd.spawn()?;
        let stdin = child.stdin.take().ok_or_else(|| io::Error::other("child has no stdin"))?;
        let stdout = child.stdout.take().ok_or_else(|| io::Error::other("child has no stdout"))?;
        if let (Stderr::Capture(f), Some(stderr)) = (command.stderr, child.stderr.take()) {
            tokio::spawn(async move {
                let mut lines = BufReader::new(stderr).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    f(line);
                }
            });
        }
        let (client, run) =
            mcp_sansio_rt::client(Tokio, stdout.compat(), stdin.compat_write(), config, handlers);
        let driver = tokio::spawn(run);
        Ok(ChildProcess { child, client, driver })
    }

    /// The client connected to the server.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The server's process id, while it runs.
    pub fn id(&self) -> Option<u32> {
        self.child.id()
    }

    /// Shuts the server down as the spec says: close its stdin, wait up to `grace`, then
    /// SIGTERM, wait `grace` again, then SIGKILL.
    pub async fn shutdown(mut self, grace: Duration) -> io::Result<ExitStatus> {
        // Stopping the driver drops the child's stdin. A loop stuck writing to a child that no
        // longer reads is abandoned after the grace period.
        let _ = tokio::time::timeout(grace, self.client.close()).await;
        if tokio::time::timeout(grace, &mut self.driver).await.is_err() {
            self.driver.abort();
        }
        if let Ok(status) = tokio::time::timeout(grace, self.child.wait()).await {
            return status;
        }
        #[cfg(unix)]
        if let Some(pid) = self.child.id() {
            // SAFETY: kill(2) with a pid we own and a valid signal number has no memory effects.
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGTERM);
            }
            if let Ok(status) = tokio::time::timeout(grace, self.child.wait()).await {
                return status;
            }
        }
        self.child.kill().await?;
        self.child.wait().await
    }
}
