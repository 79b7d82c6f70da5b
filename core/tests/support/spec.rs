//! The offline copy of the specification: `../shared/spec/<revision>/` beside the
//! repository (the repository is `/work/main` in CI, with `/work/shared` beside it).

use std::fs;
use std::path::{Path, PathBuf};

/// The revision folders that have a `schema.json`, oldest first.
pub const REVISIONS: [&str; 6] =
    ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28", "draft"];

/// `../shared/spec`, relative to the repository, or the directory `MCP_SPEC_DIR` names. Panics,
/// naming the path, if it is missing: these tests must not pass by finding nothing.
pub fn root() -> PathBuf {
    let root = match std::env::var_os("MCP_SPEC_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec"),
    };
    assert!(
        root.join("DIGEST.md").is_file(),
        "the offline MCP spec is missing: expected it at {} (shared/spec beside the repository, \
         or set MCP_SPEC_DIR)",
        root.display()
    );
    root.canonicalize().expect("a resolvable spec path")
}

/// One example file: `<revision>/examples/<Type>/<name>.json`.
#[derive(Clone, Debug)]
pub struct Example {
    /// The revision folder, e.g. `2026-07-28` or `draft`.
    pub revision: String,
    /// The schema type the example instantiates (its folder's name).
    pub type_name: String,
    /// The file.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
}

/// Every `.json` file under `<spec>/*/examples/*/`, sorted by path.
pub fn examples() -> Vec<Example> {
    let mut out = Vec::new();
    for revision in sorted_dirs(&root()) {
        let examples = revision.join("examples");
        if !examples.is_dir() {
            continue;
        }
        for folder in sorted_dirs(&examples) {
            let mut files: Vec<PathBuf> = fs::read_dir(&folder)
                .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
                .map(|entry| entry.expect("a readable directory entry").path())
                .collect();
            files.sort();
            for path in files {
                assert!(
                    path.extension().is_some_and(|e| e == "json"),
                    "unexpected non-JSON file among the examples: {}",
                    path.display()
                );
                let text =
                    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                out.push(Example {
                    revision: file_name(&revision),
                    type_name: file_name(&folder),
                    path,
                    text,
                });
            }
        }
    }
    out
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn file_name(path: &Path) -> String {
    path.file_name().expect("a named path").to_string_lossy().into_owned()
}
