//! How an HTTP endpoint behaves.

use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

/// Settings of an [`HttpServer`](super::HttpServer).
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// The Streamable HTTP endpoint's path.
    pub mcp_path: String,
    /// The legacy HTTP+SSE (2024-11-05) stream path (`GET`), or `None` to not serve it.
    pub sse_path: Option<String>,
    /// The legacy HTTP+SSE message path (`POST ?sessionId=`).
    pub messages_path: String,
    /// Largest request body accepted (413 beyond).
    pub max_body_len: usize,
    /// Most live sessions (503 beyond).
    pub max_sessions: usize,
    /// A session with no request for this long ends.
    pub session_idle_timeout: Duration,
    /// Serve legacy clients without sessions: no `Mcp-Session-Id`, every request stands alone.
    pub stateless: bool,
    /// A comment goes down an SSE stream that has been silent this long.
    pub keep_alive: Duration,
    /// The reconnection delay sent with each stream's priming event (2025-11-25 clients).
    pub retry: Duration,
    /// `Host` values accepted (DNS-rebinding protection); `None` accepts any.
    pub allowed_hosts: Option<Vec<String>>,
    /// `Origin` values accepted; `None` accepts any. Requests without `Origin` (not from a
    /// browser) are always accepted.
    pub allowed_origins: Option<Vec<String>>,
    /// Events kept per session for `Last-Event-ID` resumption.
    pub events_per_session: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            mcp_path: "/mcp".into(),
            sse_path: Some("/sse".into()),
            messages_path: "/messages".into(),
            max_body_len: 4 * 1024 * 1024,
            max_sessions: 1024,
            session_idle_timeout: Duration::from_secs(30 * 60),
            stateless: false,
            keep_alive: Duration::from_secs(15),
            retry: Duration::from_secs(1),
            allowed_hosts: None,
            allowed_origins: None,
            events_per_session: 256,
        }
    }
}

impl HttpConfig {
    /// DNS-rebinding protection for a server bound to a loopback address on `port`: only
    /// `localhost`, `127.0.0.1` and `[::1]` (with and without the port) as `Host`, and the
    /// matching `http://` origins.
    pub fn loopback_only(mut self, port: u16) -> Self {
        let hosts = ["localhost", "127.0.0.1", "[::1]"];
        let mut allowed = Vec::new();
        let mut origins = Vec::new();
        for h in hosts {
            allowed.push(String::from(h));
            allowed.push(alloc::format!("{h}:{port}"));
            origins.push(alloc::format!("http://{h}:{port}"));
            origins.push(alloc::format!("http://{h}"));
        }
        self.allowed_hosts = Some(allowed);
        self.allowed_origins = Some(origins);
        self
    }
}
