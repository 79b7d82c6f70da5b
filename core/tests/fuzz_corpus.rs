//! Replays the committed fuzz corpora on a stable compiler.
//!
//! The fuzz targets' bodies live in `fuzz/src/targets/` and are included here as they are, so
//! each input under `fuzz/corpus/<target>/` (the minimised corpus) and
//! `fuzz/regressions/<target>/` (inputs that once broke an invariant) runs through exactly
//! the checks libFuzzer applies. A target whose corpus is missing or empty fails, so that the
//! replay cannot pass by finding nothing to run.

#[allow(dead_code, unreachable_pub, missing_docs)]
#[path = "../../fuzz/src/targets/mod.rs"]
mod targets;

use std::fs;
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The files of `dir`, sorted, or nothing if it does not exist.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> =
        entries.map(|e| e.expect("a readable directory entry").path()).collect();
    files.retain(|p| p.is_file());
    files.sort();
    files
}

/// Runs `target` on every input of its corpus and regressions.
fn replay(name: &str) {
    let run = targets::TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, run)| *run)
        .unwrap_or_else(|| panic!("no target named {name}"));
    let corpus = inputs(&fuzz_dir().join("corpus").join(name));
    assert!(!corpus.is_empty(), "fuzz/corpus/{name} is missing or empty");
    let regressions = inputs(&fuzz_dir().join("regressions").join(name));
    for path in corpus.iter().chain(&regressions) {
        let data = fs::read(path).expect("a readable corpus file");
        let result = std::panic::catch_unwind(|| run(&data));
        assert!(result.is_ok(), "{name} failed on {}", path.display());
    }
}

#[test]
fn every_target_is_replayed() {
    let dirs: Vec<String> = fs::read_dir(fuzz_dir().join("corpus"))
        .expect("fuzz/corpus exists")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for (name, _) in targets::TARGETS {
        assert!(dirs.iter().any(|d| d == name), "fuzz/corpus/{name} is missing");
    }
    for dir in &dirs {
        assert!(
            targets::TARGETS.iter().any(|(n, _)| n == dir),
            "fuzz/corpus/{dir} belongs to no target"
        );
    }
}

#[test]
fn line_framer_corpus() {
    replay("line_framer");
}

#[test]
fn sse_decoder_corpus() {
    replay("sse_decoder");
}

#[test]
fn message_decode_corpus() {
    replay("message_decode");
}

#[test]
fn session_ops_corpus() {
    replay("session_ops");
}

#[test]
fn http_server_corpus() {
    replay("http_server");
}
