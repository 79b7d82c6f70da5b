//! The fuzz targets of `mcp-sansio`, as plain functions.
//!
//! The libFuzzer binaries in `fuzz_targets/` call them, and the core's
//! `tests/fuzz_corpus.rs` includes the same source file to replay the committed corpora under
//! `cargo test` on a stable compiler.

pub mod targets;
