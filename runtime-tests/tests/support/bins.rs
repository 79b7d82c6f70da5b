//! Where each runtime's example binaries are. Included with
//! `#[path = "support/bins.rs"] mod bins;`.

use std::path::PathBuf;

/// The `everything` example of the runtime crate called `runtime` (`tokio`, `smol` or
/// `async-std`), built by this package as `everything-<runtime>`.
pub fn everything(runtime: &str) -> PathBuf {
    PathBuf::from(match runtime {
        "tokio" => env!("CARGO_BIN_EXE_everything-tokio"),
        "smol" => env!("CARGO_BIN_EXE_everything-smol"),
        "async-std" => env!("CARGO_BIN_EXE_everything-async-std"),
        other => panic!("no runtime called {other}"),
    })
}
