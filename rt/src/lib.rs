//! The executor-independent half of every mcp-sansio runtime crate.
//!
//! The core turns bytes into events and commands into bytes; something still has to read the
//! bytes, arm the timer, and run the handlers it spawns. This crate is that loop, written once
//! against [`futures_io`] streams and the small [`Runtime`] trait, so `mcp-sansio-tokio`,
//! `mcp-sansio-smol` and `mcp-sansio-async-std` each only say how to spawn a task, sleep, and
//! open a byte stream. No protocol rule lives here: the loop moves bytes, commands and time.
#![warn(missing_docs)]

#[cfg(feature = "async-io")]
mod async_io_stdio;
#[cfg(feature = "async-io")]
mod async_io_tcp;
#[cfg(feature = "process")]
mod child;
mod clock;
mod command;
mod deadline;
mod direct;
mod driver_loop;
#[cfg(feature = "http")]
pub mod http;
mod input;
mod joined;
mod runtime;
mod self_wake;
mod sink;
#[cfg(unix)]
pub mod stdio_fds;
mod stream;
mod tasks;
mod timeout;

use std::io;

#[cfg(feature = "async-io")]
pub use async_io_stdio::{Stdin, Stdout, stdio};
#[cfg(feature = "async-io")]
pub use async_io_tcp::ReadinessTcp;

#[cfg(feature = "process")]
pub use child::ChildProcess;
pub use clock::Clock;
pub use command::{ServerCommand, Stderr};
pub use deadline::DeadlineTimer;
pub use direct::{ApplyNow, DirectSink};
pub use driver_loop::{MAX_PENDING_OUTPUT, run, run_with_diagnostics};
pub use joined::joined;
pub use mcp_sansio;
pub use runtime::Runtime;
pub use sink::{COMMAND_QUEUE, ChannelSink, CommandReceiver, channel};
pub use stream::{MemoryStream, client, duplex, serving};
pub use tasks::{Ended, FirstPoll, TaskSet, Waiting, first_poll};
pub use timeout::timeout;

/// Fresh random bytes, e.g. for the server's `requestState` key.
pub fn random_key() -> io::Result<[u8; 32]> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| io::Error::other(format!("no randomness: {e}")))?;
    Ok(key)
}
