//! Framing of JSON-RPC messages on byte streams: newline-delimited JSON and Server-Sent Events.
