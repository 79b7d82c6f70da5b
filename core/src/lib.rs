//! A sans-IO implementation of the Model Context Protocol (MCP).
//!
//! This crate turns bytes into events and commands into bytes. It performs no I/O, reads no
//! clock and needs no async runtime: the caller passes time in as an [`Instant`] and moves the
//! bytes. It is `#![no_std]` with `alloc`; the default `std` feature only adds
//! `std::error::Error` impls.
//!
//! - [`jsonrpc`]: JSON-RPC 2.0 messages, decoded without copying their payloads.
//! - [`types`]: the MCP data model, one set of types for every revision from 2024-11-05 to
//!   2026-07-28.
//! - [`framing`]: newline-delimited JSON (stdio) and Server-Sent Events.
//! - [`session`]: the protocol state machine for either role and either era.
#![no_std]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod framing;
pub mod jsonrpc;
pub mod methods;
pub mod session;
pub mod time;
pub mod types;
pub mod version;

pub use time::Instant;
pub use version::{Era, ProtocolVersion};
