//! [mcp-sansio](mcp_sansio) bound to async-std.
//!
//! The core does no I/O and reads no clock; this crate supplies both from async-std. So far it
//! holds the clock mapping that every driver loop needs; the stdio, child-process and HTTP
//! drivers build on it.
//!
//! async-std is discontinued upstream; new code should use [smol](https://docs.rs/smol) and
//! `mcp-sansio-smol`. This crate stays for the users who still run async-std.
#![warn(missing_docs)]

mod clock;

pub use clock::Clock;
pub use mcp_sansio;
