//! One test suite, every runtime.
//!
//! A test is an `async fn` generic over [`TestRuntime`]; [`on_every_runtime!`] turns it into a
//! `#[test]` for tokio (multi-threaded), smol and async-std, so the three runtime crates are
//! held to the same behaviour by the same code.
#![warn(missing_docs)]

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::process::ExitStatus;
use std::time::Duration;

use futures_util::future::{Either, select};
use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::server::{Server, ServerHandle};
use mcp_sansio::session::ClientConfig;
use mcp_sansio_rt::ServerCommand;

/// A boxed future that can move between threads.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// A server and a client joined in memory, with their loops' ends as futures.
pub struct Pair {
    /// The client (call [`Client::connect`] first).
    pub client: Client,
    /// The server's handle.
    pub server: ServerHandle,
    /// Completes when the server's loop ends.
    pub server_done: BoxFuture<io::Result<()>>,
    /// Completes when the client's loop ends.
    pub client_done: BoxFuture<io::Result<()>>,
}

/// A server process and its client, from [`TestRuntime::spawn_child`].
pub struct Spawned {
    /// The client (call [`Client::connect`] first).
    pub client: Client,
    /// The crate's `ChildProcess::shutdown`.
    pub shutdown: Box<dyn FnOnce(Duration) -> BoxFuture<io::Result<ExitStatus>> + Send>,
}

/// What a test needs from a runtime crate.
pub trait TestRuntime: 'static {
    /// The runtime's name, for messages.
    const NAME: &'static str;

    /// The runtime as the shared loops in `mcp-sansio-rt` see it.
    type Rt: mcp_sansio_rt::Runtime + Default;

    /// Runs `future` to completion on a fresh runtime.
    fn block_on<F: Future<Output = ()> + Send + 'static>(future: F);

    /// Runs `future` as a task of its own, detached.
    fn spawn(future: BoxFuture<()>);

    /// A future that completes after `duration`.
    fn sleep(duration: Duration) -> BoxFuture<()>;

    /// The crate's `memory_pair`.
    fn memory_pair(
        server: Server,
        config: ClientConfig,
        handlers: ClientHandlers,
    ) -> io::Result<Pair>;

    /// The crate's `ChildProcess::spawn`.
    fn spawn_child(
        command: ServerCommand,
        config: ClientConfig,
        handlers: ClientHandlers,
    ) -> io::Result<Spawned>;

    /// The crate's `connect_http`: a client of the MCP server at `url`, and its loop's end.
    fn connect_http(
        url: &str,
        config: ClientConfig,
        handlers: ClientHandlers,
    ) -> io::Result<(Client, BoxFuture<()>)>;

    /// `future`'s output, or `None` if `duration` passes first (the future is dropped).
    fn timeout<F: Future + Send>(
        duration: Duration,
        future: F,
    ) -> impl Future<Output = Option<F::Output>> + Send {
        let sleep = Self::sleep(duration);
        async move {
            match select(Box::pin(future), sleep).await {
                Either::Left((out, _)) => Some(out),
                Either::Right(((), _)) => None,
            }
        }
    }
}

/// tokio's multi-threaded runtime and `mcp-sansio-tokio`.
pub struct Tokio;

impl TestRuntime for Tokio {
    const NAME: &'static str = "tokio";
    type Rt = mcp_sansio_tokio::Tokio;

    fn block_on<F: Future<Output = ()> + Send + 'static>(future: F) {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        rt.block_on(future);
    }

    fn spawn(future: BoxFuture<()>) {
        drop(tokio::spawn(future));
    }

    fn sleep(duration: Duration) -> BoxFuture<()> {
        Box::pin(tokio::time::sleep(duration))
    }

    fn memory_pair(
        server: Server,
        config: ClientConfig,
        handlers: ClientHandlers,
    ) -> io::Result<Pair> {
        let p = mcp_sansio_tokio::memory_pair(server, config, handlers)?;
        let joined = |t: tokio::task::JoinHandle<io::Result<()>>| -> BoxFuture<io::Result<()>> {
            Box::pin(async move { t.await.map_err(io::Error::other)? })
        };
        Ok(Pair {
            client: p.client,
            server: p.server,
            server_done: joined(p.server_task),
            client_done: joined(p.client_task),
        })
    }

    fn spawn_child(
        command: ServerCommand,
        config: ClientConfig,
        handlers: ClientHandlers,
    ) -> io::Result<Spawned> {
        let child = mcp_sansio_tokio::ChildProcess::spawn(command, config, handlers)?;
        Ok(Spawned {
            client: child.client().clone(),
            shutdown: Box::new(move |grace| Box::pin(child.shutdown(grace))),
        })
    }

    fn connect_http(
        url: &str,
        config: ClientConfig,
        handlers: ClientHandlers,
    ) -> io::Result<(Client, BoxFuture<()>)> {
        let (client, task) = mcp_sansio_tokio::connect_http(url, config, handlers)?;
        Ok((client, Box::pin(async move { task.await.expect("the client's loop does not panic") })))
    }
}

/// smol's global executor and `mcp-sansio-smol`.
pub struct Smol;

impl TestRuntime for Smol {
    const NAME: &'static str = "smol";
    type Rt = mcp_sansio_smol::Smol;

    fn block_on<F: Future<Output = ()> + Send + 'static>(future: F) {
        smol::block_on(future);
    }

    fn spawn(future: BoxFuture<()>) {
        smol::spawn(future).detach();
    }

    fn sleep(duration: Duration) -> BoxFuture<()> {
        Box::pin(async move {
            smol::Timer::after(duration).await;
        })
    }

    fn memory_pair(
        server: Server,
        config: ClientConfig,
        handlers: ClientHandlers,
    ) -> io::Result<Pair> {
        let p = mcp_sansio_smol::memory_pair(server, config, handlers)?;
        Ok(Pair {
            client: p.client,
            server: p.server,
            server_done: Box::pin(p.server_task),
            client_done: Box::pin(p.client_task),
        })
    }

    fn spawn_child(
        command: ServerCommand,
        config: ClientConfig,
        handlers: ClientHandlers,
    ) -> io::Result<Spawned> {
        let child = mcp_sansio_smol::ChildProcess::spawn(command, config, handlers)?;
        Ok(Spawned {
            client: child.client().clone(),
            shutdown: Box::new(move |grace| Box::pin(child.shutdown(grace))),
        })
    }

    fn connect_http(
        url: &str,
        config: ClientConfig,
        handlers: ClientHandlers,
    ) -> io::Result<(Client, BoxFuture<()>)> {
        let (client, task) = mcp_sansio_smol::connect_http(url, config, handlers)?;
        Ok((client, Box::pin(task)))
    }
}

/// async-std's executor and `mcp-sansio-async-std`.
pub struct AsyncStd;

impl TestRuntime for AsyncStd {
    const NAME: &'static str = "async-std";
    type Rt = mcp_sansio_async_std::AsyncStd;

    fn block_on<F: Future<Output = ()> + Send + 'static>(future: F) {
        async_std::task::block_on(future);
    }

    fn spawn(future: BoxFuture<()>) {
        drop(async_std::task::spawn(future));
    }

    fn sleep(duration: Duration) -> BoxFuture<()> {
        Box::pin(async_std::task::sleep(duration))
    }

    fn memory_pair(
        server: Server,
        config: ClientConfig,
        handlers: ClientHandlers,
    ) -> io::Result<Pair> {
        let p = mcp_sansio_async_std::memory_pair(server, config, handlers)?;
        Ok(Pair {
            client: p.client,
            server: p.server,
            server_done: Box::pin(p.server_task),
            client_done: Box::pin(p.client_task),
        })
    }

    fn spawn_child(
        command: ServerCommand,
        config: ClientConfig,
        handlers: ClientHandlers,
    ) -> io::Result<Spawned> {
        let child = mcp_sansio_async_std::ChildProcess::spawn(command, config, handlers)?;
        Ok(Spawned {
            client: child.client().clone(),
            shutdown: Box::new(move |grace| Box::pin(child.shutdown(grace))),
        })
    }

    fn connect_http(
        url: &str,
        config: ClientConfig,
        handlers: ClientHandlers,
    ) -> io::Result<(Client, BoxFuture<()>)> {
        let (client, task) = mcp_sansio_async_std::connect_http(url, config, handlers)?;
        Ok((client, Box::pin(task)))
    }
}

/// Turns `async fn name<R: TestRuntime>()` into a module `name` with one `#[test]` per
/// runtime: `name::tokio`, `name::smol`, `name::async_std`.
#[macro_export]
macro_rules! on_every_runtime {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            use $crate::TestRuntime;

            #[test]
            fn tokio() {
                $crate::Tokio::block_on(super::$name::<$crate::Tokio>());
            }

            #[test]
            fn smol() {
                $crate::Smol::block_on(super::$name::<$crate::Smol>());
            }

            #[test]
            fn async_std() {
                $crate::AsyncStd::block_on(super::$name::<$crate::AsyncStd>());
            }
        }
    )+};
}
