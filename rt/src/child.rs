//! A client talking to a server it spawned as a child process over stdio, on any runtime
//! (processes from `async-process`).

use std::io;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use async_process::{Child, Command};
use futures_util::StreamExt;
use futures_util::future::{FutureExt, RemoteHandle};
use futures_util::io::{AsyncBufReadExt, BufReader};
use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::session::ClientConfig;

use crate::{Runtime, ServerCommand, Stderr, timeout};

/// A running server process and the client connected to it.
#[derive(Debug)]
pub struct ChildProcess<Rt> {
    runtime: Rt,
    child: Child,
    client: Client,
    driver: RemoteHandle<io::Result<()>>,
}

impl<Rt: Runtime + Default> ChildProcess<Rt> {
    /// Spawns the server and starts the client's driver loop; call
    /// [`Client::connect`] on [`ChildProcess::client`] next.
    pub fn spawn(
        command: ServerCommand,
        config: ClientConfig,
        handlers: ClientHandlers,
    ) -> io::Result<Self> {
        let runtime = Rt::default();
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
            runtime.spawn(async move {
                let mut lines = BufReader::new(stderr).lines();
                while let Some(Ok(line)) = lines.next().await {
                    f(line);
                }
            });
        }
        let (client, run) = crate::client(runtime.clone(), stdout, stdin, config, handlers);
        let (run, driver) = run.remote_handle();
        runtime.spawn(run);
        Ok(ChildProcess { runtime, child, client, driver })
    }
}

impl<Rt: Runtime> ChildProcess<Rt> {
    /// The client connected to the server.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The server's process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Shuts the server down as the spec says: close its stdin, wait up to `grace`, then
    /// SIGTERM, wait `grace` again, then SIGKILL.
    pub async fn shutdown(mut self, grace: Duration) -> io::Result<ExitStatus> {
        let rt = self.runtime.clone();
        // Stopping the driver drops the child's stdin. A loop stuck writing to a child that no
        // longer reads is abandoned (dropped) after the grace period.
        let _ = timeout(&rt, grace, self.client.close()).await;
        let _ = timeout(&rt, grace, self.driver).await;
        if let Some(status) = timeout(&rt, grace, self.child.status()).await {
            return status;
        }
        #[cfg(unix)]
        {
            // SAFETY: kill(2) with a pid we own and a valid signal number has no memory effects.
            unsafe {
                libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
            }
            if let Some(status) = timeout(&rt, grace, self.child.status()).await {
                return status;
            }
        }
        self.child.kill()?;
        self.child.status().await
    }
}
