//! One test suite, every runtime.
//!
//! A test is an `async fn` generic over [`TestRuntime`]; [`on_every_runtime!`] turns it into a
//! `#[test]` for tokio (multi-threaded), smol and async-std, so the three runtime crates are
//! held to the same behaviour by the same code.
#![warn(missing_docs)]

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::process::ExitStatus;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::{Either, select};
use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::http::server::HttpConfig;
use mcp_sansio::server::{Server, ServerHandle};
use mcp_sansio::session::ClientConfig;
use mcp_sansio_rt::ServerCommand;
use mcp_sansio_rt::http::McpHttpService;

/// A boxed future that can move between threads.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// A server and a client joined in memory, with their loops' ends as futures.
pub struct Pair {
    /// The client (call [`Client::connect`] first).
    pub client: Client,
    /// The server's handle.
    pub server: ServerHandle,
    /// Completes when the pair's task ends (after either side shut down).
    pub done: BoxFuture<io::Result<()>>,
}

/// A server process and its client, from [`TestRuntime::spawn_child`].
pub struct Spawned {
    /// The client (call [`Client::connect`] first).
    pub client: Client,
    /// The crate's `ChildProcess::shutdown`.
    pub shutdown: Box<dyn FnOnce(Duration) -> BoxFuture<io::Result<ExitStatus>> + Send>,
}

/// An HTTP server started by [`TestRuntime::serve_http`] or [`TestRuntime::serve_service`].
pub struct Listening {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// Completes when the server has stopped.
    pub done: BoxFuture<io::Result<()>>,
}

/// What a test needs from a runtime crate.
pub trait TestRuntime: 'static {
    /// The runtime's name, for messages.
    const NAME: &'static str;

    /// The runtime as the shared loops in `mcp-sansio-rt` see it.
    type Rt: mcp_sansio_rt::Runtime + mcp_sansio_rt::http::Connect + Default;

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

    /// The crate's `connect_https`: like [`TestRuntime::connect_http`] with TLS settings.
    fn connect_https(
        url: &str,
        config: ClientConfig,
        handlers: ClientHandlers,
        tls: Arc<rustls::ClientConfig>,
    ) -> io::Result<(Client, BoxFuture<()>)>;

    /// The crate's `http::serve` on `listener` (handed to the runtime's own listener type), as
    /// a task: the address it listens on, and the task's end. The server stops when
    /// `shutdown` completes.
    fn serve_http(
        listener: std::net::TcpListener,
        server: Server,
        config: HttpConfig,
        shutdown: BoxFuture<()>,
    ) -> BoxFuture<io::Result<Listening>>;

    /// The crate's `http::serve_service` (`serve_service_tls` with `tls`) on `listener`, as a
    /// task.
    fn serve_service(
        listener: std::net::TcpListener,
        svc: McpHttpService<Self::Rt>,
        tls: Option<Arc<rustls::ServerConfig>>,
        shutdown: BoxFuture<()>,
    ) -> BoxFuture<io::Result<Listening>>;

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
        let task = p.task;
        let done = Box::pin(async move { task.await.map_err(io::Error::other)? });
        Ok(Pair { client: p.client, server: p.server, done })
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

    fn connect_https(
        url: &str,
        config: ClientConfig,
        handlers: ClientHandlers,
        tls: Arc<rustls::ClientConfig>,
    ) -> io::Result<(Client, BoxFuture<()>)> {
        let (client, task) = mcp_sansio_tokio::connect_https(url, config, handlers, tls)?;
        Ok((client, Box::pin(async move { task.await.expect("the client's loop does not panic") })))
    }

    fn serve_http(
        listener: std::net::TcpListener,
        server: Server,
        config: HttpConfig,
        shutdown: BoxFuture<()>,
    ) -> BoxFuture<io::Result<Listening>> {
        Box::pin(async move {
            listener.set_nonblocking(true)?;
            let listener = tokio::net::TcpListener::from_std(listener)?;
            let addr = listener.local_addr()?;
            let join = |t: tokio::task::JoinHandle<io::Result<()>>| -> BoxFuture<io::Result<()>> {
                Box::pin(async move { t.await.map_err(io::Error::other)? })
            };
            let task =
                tokio::spawn(mcp_sansio_tokio::http::serve(listener, server, config, shutdown));
            Ok(Listening { addr, done: join(task) })
        })
    }

    fn serve_service(
        listener: std::net::TcpListener,
        svc: McpHttpService<Self::Rt>,
        tls: Option<Arc<rustls::ServerConfig>>,
        shutdown: BoxFuture<()>,
    ) -> BoxFuture<io::Result<Listening>> {
        Box::pin(async move {
            listener.set_nonblocking(true)?;
            let listener = tokio::net::TcpListener::from_std(listener)?;
            let addr = listener.local_addr()?;
            let join = |t: tokio::task::JoinHandle<io::Result<()>>| -> BoxFuture<io::Result<()>> {
                Box::pin(async move { t.await.map_err(io::Error::other)? })
            };
            let task = match tls {
                Some(tls) => tokio::spawn(mcp_sansio_tokio::http::serve_service_tls(
                    listener, svc, tls, shutdown,
                )),
                None => {
                    tokio::spawn(mcp_sansio_tokio::http::serve_service(listener, svc, shutdown))
                }
            };
            Ok(Listening { addr, done: join(task) })
        })
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
        Ok(Pair { client: p.client, server: p.server, done: Box::pin(p.task) })
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

    fn connect_https(
        url: &str,
        config: ClientConfig,
        handlers: ClientHandlers,
        tls: Arc<rustls::ClientConfig>,
    ) -> io::Result<(Client, BoxFuture<()>)> {
        let (client, task) = mcp_sansio_smol::connect_https(url, config, handlers, tls)?;
        Ok((client, Box::pin(task)))
    }

    fn serve_http(
        listener: std::net::TcpListener,
        server: Server,
        config: HttpConfig,
        shutdown: BoxFuture<()>,
    ) -> BoxFuture<io::Result<Listening>> {
        Box::pin(async move {
            listener.set_nonblocking(true)?;
            let listener = smol::net::TcpListener::try_from(listener)?;
            let addr = listener.local_addr()?;
            let join = |t: smol::Task<io::Result<()>>| -> BoxFuture<io::Result<()>> { Box::pin(t) };
            let task =
                smol::spawn(mcp_sansio_smol::http::serve(listener, server, config, shutdown));
            Ok(Listening { addr, done: join(task) })
        })
    }

    fn serve_service(
        listener: std::net::TcpListener,
        svc: McpHttpService<Self::Rt>,
        tls: Option<Arc<rustls::ServerConfig>>,
        shutdown: BoxFuture<()>,
    ) -> BoxFuture<io::Result<Listening>> {
        Box::pin(async move {
            listener.set_nonblocking(true)?;
            let listener = smol::net::TcpListener::try_from(listener)?;
            let addr = listener.local_addr()?;
            let join = |t: smol::Task<io::Result<()>>| -> BoxFuture<io::Result<()>> { Box::pin(t) };
            let task = match tls {
                Some(tls) => smol::spawn(mcp_sansio_smol::http::serve_service_tls(
                    listener, svc, tls, shutdown,
                )),
                None => smol::spawn(mcp_sansio_smol::http::serve_service(listener, svc, shutdown)),
            };
            Ok(Listening { addr, done: join(task) })
        })
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
        Ok(Pair { client: p.client, server: p.server, done: Box::pin(p.task) })
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

    fn connect_https(
        url: &str,
        config: ClientConfig,
        handlers: ClientHandlers,
        tls: Arc<rustls::ClientConfig>,
    ) -> io::Result<(Client, BoxFuture<()>)> {
        let (client, task) = mcp_sansio_async_std::connect_https(url, config, handlers, tls)?;
        Ok((client, Box::pin(task)))
    }

    fn serve_http(
        listener: std::net::TcpListener,
        server: Server,
        config: HttpConfig,
        shutdown: BoxFuture<()>,
    ) -> BoxFuture<io::Result<Listening>> {
        Box::pin(async move {
            listener.set_nonblocking(true)?;
            let listener = async_std::net::TcpListener::from(listener);
            let addr = listener.local_addr()?;
            let join =
                |t: async_std::task::JoinHandle<io::Result<()>>| -> BoxFuture<io::Result<()>> {
                    Box::pin(t)
                };
            let task = async_std::task::spawn(mcp_sansio_async_std::http::serve(
                listener, server, config, shutdown,
            ));
            Ok(Listening { addr, done: join(task) })
        })
    }

    fn serve_service(
        listener: std::net::TcpListener,
        svc: McpHttpService<Self::Rt>,
        tls: Option<Arc<rustls::ServerConfig>>,
        shutdown: BoxFuture<()>,
    ) -> BoxFuture<io::Result<Listening>> {
        Box::pin(async move {
            listener.set_nonblocking(true)?;
            let listener = async_std::net::TcpListener::from(listener);
            let addr = listener.local_addr()?;
            let join =
                |t: async_std::task::JoinHandle<io::Result<()>>| -> BoxFuture<io::Result<()>> {
                    Box::pin(t)
                };
            let task = match tls {
                Some(tls) => async_std::task::spawn(mcp_sansio_async_std::http::serve_service_tls(
                    listener, svc, tls, shutdown,
                )),
                None => async_std::task::spawn(mcp_sansio_async_std::http::serve_service(
                    listener, svc, shutdown,
                )),
            };
            Ok(Listening { addr, done: join(task) })
        })
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
