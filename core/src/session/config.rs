//! How a session is set up: who we are, what we support, and the limits that keep it bounded.

use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

use crate::types::{ClientCapabilities, Implementation, ServerCapabilities};
use crate::version::ProtocolVersion;

/// Limits on everything that could otherwise grow without bound.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Requests we sent that are still waiting for a response. Sending more is refused with
    /// [`SendError::TooManyInFlight`](super::SendError::TooManyInFlight).
    pub max_outgoing_in_flight: usize,
    /// Requests the peer sent that we have not answered yet. More are answered at once with an
    /// internal error saying the limit was hit.
    pub max_incoming_in_flight: usize,
    /// Outputs (transmits and events) waiting to be drained with `poll_output`: commands are
    /// refused with [`SendError::QueueFull`](super::SendError::QueueFull) past this limit.
    /// Inputs are not refused: each one produces a number of outputs bounded by its size, and
    /// the caller drains them before the next input.
    pub max_queued_outputs: usize,
    /// The longest frame (one newline-delimited message) accepted from the peer.
    pub max_frame_len: usize,
    /// Resources one peer may be subscribed to at once (`resources/subscribe`); a subscription
    /// past this limit is refused with an invalid-params error.
    pub max_subscriptions: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_outgoing_in_flight: 1024,
            max_incoming_in_flight: 1024,
            max_queued_outputs: 4096,
            max_frame_len: crate::framing::DEFAULT_MAX_FRAME_LEN,
            max_subscriptions: 1024,
        }
    }
}

/// Timeouts for requests we send.
#[derive(Clone, Debug)]
pub struct Timeouts {
    /// How long a request may wait for its response when the caller gives no timeout.
    pub default_request: Duration,
    /// The hard ceiling on a request's life: progress notifications can push the deadline out
    /// (see [`RequestOptions::reset_timeout_on_progress`]) but never past this.
    pub max_request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { default_request: Duration::from_secs(60), max_request: Duration::from_secs(600) }
    }
}

/// What the server role offers.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Name and version sent as `serverInfo`.
    pub info: Implementation,
    /// Capabilities advertised in the `initialize` result and `server/discover`.
    pub capabilities: ServerCapabilities,
    /// Instructions for the model, sent with the capabilities.
    pub instructions: Option<String>,
    /// Revisions served, any order. The newest legacy one answers an `initialize` that asks for
    /// a revision not in this list.
    pub versions: Vec<ProtocolVersion>,
    /// Limits.
    pub limits: Limits,
    /// Timeouts for requests the server sends (sampling, elicitation, roots, ping).
    pub timeouts: Timeouts,
}

impl ServerConfig {
    /// A server with no capabilities yet that serves every revision.
    pub fn new(info: Implementation) -> Self {
        ServerConfig {
            info,
            capabilities: ServerCapabilities::default(),
            instructions: None,
            versions: ProtocolVersion::ALL.to_vec(),
            limits: Limits::default(),
            timeouts: Timeouts::default(),
        }
    }
}

/// What the client role offers.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Name and version sent as `clientInfo`.
    pub info: Implementation,
    /// Capabilities declared in `initialize` or, on 2026-07-28, in every request's `_meta`.
    pub capabilities: ClientCapabilities,
    /// Revisions the client accepts. [`Session::connect`](super::Session::connect) tries the
    /// stateless era first when a 2026-07-28 revision is listed, then the `initialize`
    /// handshake when a legacy one is.
    pub versions: Vec<ProtocolVersion>,
    /// Limits.
    pub limits: Limits,
    /// Timeouts for requests the client sends.
    pub timeouts: Timeouts,
    /// How long `connect` waits for an answer to `server/discover` before it decides the server
    /// only speaks the legacy protocol.
    pub discover_timeout: Duration,
}

impl ClientConfig {
    /// A client with no capabilities that accepts every revision.
    pub fn new(info: Implementation) -> Self {
        ClientConfig {
            info,
            capabilities: ClientCapabilities::default(),
            versions: ProtocolVersion::ALL.to_vec(),
            limits: Limits::default(),
            timeouts: Timeouts::default(),
            discover_timeout: Duration::from_secs(5),
        }
    }
}

/// Per-request options for [`Session::send_request`](super::Session::send_request).
#[derive(Clone, Debug, Default)]
pub struct RequestOptions {
    /// The time allowed for a response; the session's default when `None`. Clamped to the hard
    /// maximum.
    pub timeout: Option<Duration>,
    /// Ask the peer for progress notifications (a `progressToken` is added to `_meta`).
    pub progress: bool,
    /// Whether a progress notification restarts the timeout (never past the hard maximum).
    pub reset_timeout_on_progress: bool,
    /// The request this one is made on behalf of (a server asking for sampling while handling a
    /// tool call). Only used to route the message: Streamable HTTP sends it on that request's
    /// stream.
    pub related_request: Option<crate::jsonrpc::RequestId>,
}
