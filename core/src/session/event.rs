//! What the session hands back: bytes to send, and events for the application.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;

use bytes::Bytes;

use crate::jsonrpc::{ErrorObject, Message, Method, RawJson, RequestId};
use crate::types::{ClientCapabilities, Implementation, LoggingLevel, ServerCapabilities};
use crate::version::{Era, ProtocolVersion};

/// One item from [`Session::poll_output`](super::Session::poll_output).
#[derive(Debug)]
pub enum Output {
    /// Bytes to send to the peer.
    Transmit(Transmit),
    /// Something the application must act on.
    Event(Event),
}

/// What kind of JSON-RPC message a [`Transmit`] carries.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MessageKind {
    /// A request.
    Request,
    /// A notification.
    Notification,
    /// A response (result or error).
    Response,
}

/// One encoded message for the peer.
#[derive(Clone, Debug)]
pub struct Transmit {
    /// The message's JSON text. With [`Framing::Lines`](super::Framing::Lines) it ends with
    /// `\n` and can be written to the stream as is.
    pub bytes: Bytes,
    /// The kind of message.
    pub kind: MessageKind,
    /// The peer's request this message belongs to: the request a response answers, or the
    /// request a progress or log notification (or a nested request) is sent on behalf of.
    /// Streamable HTTP uses it to pick the stream.
    pub related: Option<RequestId>,
    /// The message `bytes` encode, for a transport that routes by its method, id or params
    /// (the Streamable HTTP client) without decoding what was just encoded.
    pub message: Message,
}

impl Transmit {
    /// The error's code, when the message is an error response (Streamable HTTP picks the
    /// status of a 2026-07-28 answer by it).
    pub fn error_code(&self) -> Option<crate::jsonrpc::ErrorCode> {
        match &self.message {
            Message::Error(e) => Some(e.error.code),
            _ => None,
        }
    }
}

/// What the session learned about its peer when the connection became ready.
#[derive(Clone, Debug, PartialEq)]
pub struct PeerInfo {
    /// The negotiated revision.
    pub protocol_version: ProtocolVersion,
    /// The peer's name and version (absent when a stateless client does not send it).
    pub implementation: Option<Implementation>,
    /// The server's capabilities (seen by a client).
    pub server_capabilities: Option<ServerCapabilities>,
    /// The client's capabilities (seen by a server after `initialize`).
    pub client_capabilities: Option<ClientCapabilities>,
    /// The server's instructions (seen by a client).
    pub instructions: Option<String>,
}

/// The facts a request was made under. For legacy sessions they come from the handshake; on
/// 2026-07-28 each request carries its own in `_meta`.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestContext {
    /// The revision the request was made under.
    pub protocol_version: ProtocolVersion,
    /// The client's capabilities (server role only).
    pub client_capabilities: Option<Arc<ClientCapabilities>>,
    /// The client's name and version, when known (server role only).
    pub client_info: Option<Arc<Implementation>>,
    /// The lowest log level the client wants for this request's `notifications/message`;
    /// `None` means none may be sent (2026-07-28) or no `logging/setLevel` yet (legacy).
    pub log_level: Option<LoggingLevel>,
    /// Whether the requester asked for progress notifications.
    pub wants_progress: bool,
}

impl RequestContext {
    /// The era of the request's revision.
    pub fn era(&self) -> Era {
        self.protocol_version.era()
    }
}

/// A request from the peer that the application must answer with
/// [`Session::respond`](super::Session::respond) or
/// [`Session::respond_error`](super::Session::respond_error).
#[derive(Clone, Debug)]
pub struct IncomingRequest {
    /// The request's id.
    pub id: RequestId,
    /// The method.
    pub method: Method,
    /// The parameters as received.
    pub params: Option<RawJson>,
    /// The facts the request was made under.
    pub context: RequestContext,
}

/// How a request we sent ended. Every request gets exactly one.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The peer answered with a result.
    Result(RawJson),
    /// The peer answered with an error.
    Error(ErrorObject),
    /// No answer came in time; `notifications/cancelled` was sent.
    TimedOut,
    /// We cancelled it.
    Cancelled,
    /// The connection ended first.
    Closed,
}

/// Something the application must act on.
#[derive(Clone, Debug)]
pub enum Event {
    /// The handshake (legacy) or discovery (2026-07-28) finished; requests may flow.
    Connected(Box<PeerInfo>),
    /// The connection could not be set up: no revision both sides support, or the peer refused.
    ConnectFailed {
        /// Why.
        reason: String,
    },
    /// A request from the peer.
    Request(IncomingRequest),
    /// A notification from the peer that the session does not handle itself.
    Notification {
        /// The method.
        method: Method,
        /// The parameters as received.
        params: Option<RawJson>,
    },
    /// A request we sent ended.
    Outcome {
        /// The id [`Session::send_request`](super::Session::send_request) returned.
        id: RequestId,
        /// How it ended.
        outcome: Outcome,
    },
    /// The server answered a request we sent with `input_required` (2026-07-28 MRTR). Answer
    /// with [`Session::provide_input`](super::Session::provide_input); the request stays
    /// pending meanwhile.
    InputRequired {
        /// The id of the request.
        id: RequestId,
        /// The `inputRequests` object: keys mapped to elicitation, sampling or roots requests.
        input_requests: Option<RawJson>,
    },
    /// The peer reported progress on a request we sent.
    Progress {
        /// The id of the request.
        id: RequestId,
        /// Progress so far; always greater than the previous value.
        progress: f64,
        /// The total, if known.
        total: Option<f64>,
        /// A human-readable message.
        message: Option<String>,
    },
    /// The peer cancelled a request it had sent us: stop working on it; any response will be
    /// dropped.
    Cancelled {
        /// The id of the peer's request.
        id: RequestId,
        /// The reason given.
        reason: Option<String>,
    },
    /// The client set the session's log level (`logging/setLevel`, legacy).
    LogLevelChanged(LoggingLevel),
    /// The client subscribed to updates of a resource (legacy `resources/subscribe`, or a
    /// `subscriptions/listen` filter).
    ResourceSubscribed {
        /// The resource.
        uri: String,
    },
    /// The client unsubscribed from a resource.
    ResourceUnsubscribed {
        /// The resource.
        uri: String,
    },
    /// The peer broke the protocol. Where a reply was due it has been queued; the session goes
    /// on.
    ProtocolViolation {
        /// What was wrong.
        description: String,
    },
    /// The input ended ([`Session::handle_eof`](super::Session::handle_eof)); every pending
    /// request has been given [`Outcome::Closed`].
    Closed,
}
