//! [mcp-sansio](mcp_sansio) bound to smol.
//!
//! The core does no I/O and reads no clock; this crate supplies both from smol. So far it holds
//! the clock mapping that every driver loop needs; the stdio, child-process and HTTP drivers
//! build on it.
#![warn(missing_docs)]

mod clock;

pub use clock::Clock;
pub use mcp_sansio;
