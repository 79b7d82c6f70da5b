//! Connections the HTTP client keeps open between requests: idle HTTP/1.1 connections per
//! origin, and one shared HTTP/2 connection per origin when TLS negotiated `h2`.
//!
//! An HTTP/1.1 connection carries one exchange at a time, so that exchange drives its I/O
//! ([`Http1::drive`]) instead of a task of the connection's own: the request is written and its
//! response read by whoever polls the exchange, with no hand-over between tasks (each of
//! which can be a wake-up of another thread). An idle connection is not polled; one the
//! server closed meanwhile fails on its next use, which the client retries on a fresh one.
//! HTTP/2 multiplexes, so its connection runs as a task.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::Poll;

use bytes::Bytes;
use futures_io::{AsyncRead, AsyncWrite};
use http_body_util::Full;
use hyper::client::conn::{http1, http2};

use super::hyper_rt::{HyperExecutor, HyperIo, HyperTimer};
use crate::Runtime;

/// Idle HTTP/1.1 connections kept per origin.
const MAX_IDLE_PER_ORIGIN: usize = 16;

/// A runtime that can open TCP connections.
pub trait Connect: Runtime {
    /// A connected TCP stream.
    type Tcp: AsyncRead + AsyncWrite + Send + Unpin + 'static;

    /// Connects to `host`:`port` (resolving the name), with Nagle's algorithm off: MCP
    /// messages are small and latency-bound.
    fn connect_tcp(
        &self,
        host: String,
        port: u16,
    ) -> Pin<Box<dyn Future<Output = io::Result<Self::Tcp>> + Send>>;
}

/// A byte stream of either kind, boxed so plain and TLS connections share one type.
trait Stream: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Stream for T {}

/// A connection ready for one request.
pub(crate) enum Sender {
    Http1(Http1),
    Http2(http2::SendRequest<Full<Bytes>>),
}

/// hyper's side of an HTTP/1.1 connection: reads, writes, and keep-alive.
type Http1Io = http1::Connection<HyperIo<Box<dyn Stream>>, Full<Bytes>>;

/// An HTTP/1.1 connection: the handle requests go through, and the connection's I/O, driven
/// by the exchange using it.
pub(crate) struct Http1 {
    sender: http1::SendRequest<Full<Bytes>>,
    /// `None` once the connection has ended (closed, or failed). Boxed: it is large, and moves
    /// between the pool and exchanges.
    io: Option<Box<Http1Io>>,
}

impl Http1 {
    /// Awaits what `f` makes of the sender, driving the connection meanwhile: a request
    /// handed to the sender is written, and its response read, only as the connection is
    /// polled.
    pub(crate) async fn drive<'a, F: Future>(
        &'a mut self,
        f: impl FnOnce(&'a mut http1::SendRequest<Full<Bytes>>) -> F,
    ) -> F::Output {
        let Http1 { sender, io } = self;
        let mut f = pin!(f(sender));
        // The dispatcher wakes its request handle from inside this poll: the client's input
        // waker takes that for a request to poll again (`InputWaker::poll_input`).
        std::future::poll_fn(|cx| {
            if let Poll::Ready(out) = f.as_mut().poll(cx) {
                return Poll::Ready(out);
            }
            let Some(conn) = io.as_mut() else { return Poll::Pending };
            // Ended: what `f` waits for then fails (the request is cancelled, the body cut).
            if Pin::new(&mut **conn).poll(cx).is_ready() {
                *io = None;
            }
            // What the connection just did (a response read, a request taken) is `f`'s now.
            f.as_mut().poll(cx)
        })
        .await
    }

    /// Whether the connection can take another request.
    fn is_open(&self) -> bool {
        self.io.is_some() && !self.sender.is_closed()
    }
}

/// The origin a request goes to.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Origin {
    https: bool,
    host: String,
    port: u16,
}

impl Origin {
    /// The origin of an absolute `http://` or `https://` URI.
    pub(crate) fn of(uri: &http::Uri) -> io::Result<Origin> {
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err(invalid(format!("{uri}: not an http:// or https:// URL"))),
        };
        let host = uri.host().ok_or_else(|| invalid(format!("{uri}: no host")))?;
        // An IPv6 literal comes bracketed.
        let host = host.trim_start_matches('[').trim_end_matches(']').to_owned();
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        Ok(Origin { https, host, port })
    }
}

fn invalid(text: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, text)
}

pub(crate) struct Pool<R> {
    runtime: R,
    tls: futures_rustls::TlsConnector,
    idle: Mutex<HashMap<Origin, Vec<Http1>>>,
    shared: Mutex<HashMap<Origin, http2::SendRequest<Full<Bytes>>>>,
}

impl<R: Connect> Pool<R> {
    pub(crate) fn new(runtime: R, tls: Arc<rustls::ClientConfig>) -> Self {
        let mut tls = (*tls).clone();
        if tls.alpn_protocols.is_empty() {
            tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        }
        Pool {
            runtime,
            tls: futures_rustls::TlsConnector::from(Arc::new(tls)),
            idle: Mutex::new(HashMap::new()),
            shared: Mutex::new(HashMap::new()),
        }
    }

    /// A kept connection to `origin`, if any.
    pub(crate) fn reuse(&self, origin: &Origin) -> Option<Sender> {
        if let Some(h2) = lock(&self.shared).get(origin) {
            if !h2.is_closed() {
                return Some(Sender::Http2(h2.clone()));
            }
        }
        let mut idle = lock(&self.idle);
        let list = idle.get_mut(origin)?;
        while let Some(h1) = list.pop() {
            // Not polled while idle, so not yet "ready": the exchange drives it there.
            if h1.is_open() {
                return Some(Sender::Http1(h1));
            }
        }
        None
    }

    /// A new connection to `origin`.
    pub(crate) async fn open(&self, origin: &Origin) -> io::Result<Sender> {
        let tcp = self.runtime.connect_tcp(origin.host.clone(), origin.port).await?;
        let (stream, h2): (Box<dyn Stream>, bool) = if origin.https {
            let name = rustls::pki_types::ServerName::try_from(origin.host.clone())
                .map_err(|e| invalid(format!("{}: {e}", origin.host)))?;
            let tls = self.tls.connect(name, tcp).await?;
            let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
            (Box::new(tls), h2)
        } else {
            (Box::new(tcp), false)
        };
        let io = HyperIo::new(stream);
        if h2 {
            let (sender, conn) = http2::Builder::new(HyperExecutor(self.runtime.clone()))
                .timer(HyperTimer(self.runtime.clone()))
                .handshake(io)
                .await
                .map_err(io::Error::other)?;
            self.runtime.spawn(async move {
                let _ = conn.await;
            });
            lock(&self.shared).insert(origin.clone(), sender.clone());
            Ok(Sender::Http2(sender))
        } else {
            let (sender, conn) = http1::handshake(io).await.map_err(io::Error::other)?;
            Ok(Sender::Http1(Http1 { sender, io: Some(Box::new(conn)) }))
        }
    }

    /// Keeps an HTTP/1.1 connection whose response was read to the end for the next request.
    pub(crate) fn keep(&self, origin: &Origin, h1: Http1) {
        if !h1.is_open() {
            return;
        }
        let mut idle = lock(&self.idle);
        // Looked up before it is cloned: the origin's list is there after the first request.
        match idle.get_mut(origin) {
            Some(list) if list.len() < MAX_IDLE_PER_ORIGIN => list.push(h1),
            Some(_) => {}
            None => {
                idle.insert(origin.clone(), vec![h1]);
            }
        }
    }
}

/// The pool's maps hold no invariant a panicking holder could break, so a poisoned lock is
/// still good to use.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
