//! The bodies of the fuzz targets, one module each, shared by the libFuzzer binaries
//! (`fuzz/fuzz_targets/*.rs`, through this crate's lib) and by the stable test that replays
//! the committed corpora (`core/tests/fuzz_corpus.rs`, through a `#[path]` module).
//!
//! Every target is a plain `fn run(data: &[u8])` that panics when an invariant breaks. Besides
//! "no panic", each checks that what comes out is bounded by what went in, and that the
//! state it drives stays under its configured caps.
//!
//! The code only uses `mcp_sansio`, `bytes` and `serde_json`, which are dependencies of both
//! the fuzz crate and the core, so the same file compiles in both places.

pub mod http_server;
pub mod line_framer;
pub mod message_decode;
pub mod session_ops;
pub mod sse_decoder;

/// A target's body: runs one input, panics when an invariant breaks.
pub type Target = fn(&[u8]);

/// The targets by name, as their corpus directories are named.
pub const TARGETS: &[(&str, Target)] = &[
    ("line_framer", line_framer::run),
    ("sse_decoder", sse_decoder::run),
    ("message_decode", message_decode::run),
    ("session_ops", session_ops::run),
    ("http_server", http_server::run),
];

/// Reads fuzz input front to back: bytes for decisions, slices for payloads. Past the end it
/// yields zeros and empty slices, so that every input decodes to something.
#[derive(Debug)]
pub struct Input<'a> {
    rest: &'a [u8],
}

impl<'a> Input<'a> {
    /// A reader over `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Input { rest: data }
    }

    /// Whether everything has been read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next byte, or 0 at the end.
    pub fn byte(&mut self) -> u8 {
        match self.rest.split_first() {
            Some((&b, rest)) => {
                self.rest = rest;
                b
            }
            None => 0,
        }
    }

    /// The next two bytes as a little-endian number.
    pub fn u16(&mut self) -> u16 {
        u16::from(self.byte()) | (u16::from(self.byte()) << 8)
    }

    /// A choice among `n` options (`n > 0`).
    pub fn choose(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n
    }

    /// The next `len` bytes (fewer at the end).
    pub fn take(&mut self, len: usize) -> &'a [u8] {
        let (head, rest) = self.rest.split_at(len.min(self.rest.len()));
        self.rest = rest;
        head
    }

    /// A length-prefixed slice: one byte of length, then that many bytes.
    pub fn slice(&mut self) -> &'a [u8] {
        let len = usize::from(self.byte());
        self.take(len)
    }

    /// Everything left.
    pub fn rest(&mut self) -> &'a [u8] {
        core::mem::take(&mut self.rest)
    }
}

/// Cuts `data` into chunks whose sizes cycle through `sizes` (a size of 0 gives an empty
/// chunk, so empty pushes are exercised too). With no sizes, `data` is one chunk.
pub fn chunks<'a>(data: &'a [u8], sizes: &[u8]) -> Vec<&'a [u8]> {
    if sizes.is_empty() {
        return vec![data];
    }
    let mut out = Vec::new();
    let mut rest = data;
    for &size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (chunk, tail) = rest.split_at(usize::from(size).min(rest.len()));
        out.push(chunk);
        rest = tail;
        // Empty chunks are exercised, but never loop forever.
        if out.len() > 2 * data.len() + sizes.len() {
            out.push(rest);
            break;
        }
    }
    out
}
