//! Errors for commands the application gives the session (misuse of the API).

use alloc::string::String;
use core::fmt;

/// Why a command was refused. Nothing was sent.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SendError {
    /// The session is not connected yet (or any more) for this message.
    NotReady {
        /// What the session is waiting for.
        state: &'static str,
    },
    /// The session is closed.
    Closed,
    /// The peer did not declare the capability this message needs.
    CapabilityNotDeclared {
        /// The method that was refused.
        method: String,
        /// The capability it needs, as a path into the capabilities object.
        capability: &'static str,
    },
    /// The method cannot be sent in this role or revision.
    MethodNotAllowed {
        /// The method.
        method: String,
        /// Why.
        reason: &'static str,
    },
    /// Too many of our requests are waiting for responses.
    TooManyInFlight {
        /// The limit.
        limit: usize,
    },
    /// Too many outputs are waiting to be drained with `poll_output`.
    QueueFull {
        /// The limit.
        limit: usize,
    },
    /// No pending request has this id.
    UnknownRequest,
    /// `initialize` cannot be cancelled.
    CannotCancelInitialize,
    /// The request being answered did not ask for progress.
    NoProgressToken,
    /// Progress must increase with every notification.
    ProgressNotIncreasing,
    /// The params or result are not a JSON object.
    NotAnObject,
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::NotReady { state } => write!(f, "session not ready: {state}"),
            SendError::Closed => f.write_str("session closed"),
            SendError::CapabilityNotDeclared { method, capability } => write!(
                f,
                "{method} needs the peer's {capability} capability, which it did not declare"
            ),
            SendError::MethodNotAllowed { method, reason } => write!(f, "{method}: {reason}"),
            SendError::TooManyInFlight { limit } => {
                write!(f, "too many requests in flight (limit {limit})")
            }
            SendError::QueueFull { limit } => {
                write!(f, "output queue full (limit {limit}); drain poll_output")
            }
            SendError::UnknownRequest => f.write_str("no pending request has this id"),
            SendError::CannotCancelInitialize => f.write_str("initialize cannot be cancelled"),
            SendError::NoProgressToken => f.write_str("the request did not ask for progress"),
            SendError::ProgressNotIncreasing => f.write_str("progress must increase"),
            SendError::NotAnObject => f.write_str("params and results must be JSON objects"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for SendError {}
