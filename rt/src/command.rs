//! How to start a server process: the program, its arguments and environment, and where its
//! stderr goes. Shared by every runtime's `ChildProcess`.

use std::ffi::OsString;
use std::path::PathBuf;

/// What happens to the child's stderr (the spec lets servers log anything there; it is never
/// an error signal).
pub enum Stderr {
    /// The child writes to this process's stderr.
    Inherit,
    /// Discarded.
    Null,
    /// Each line goes to the callback.
    Capture(Box<dyn Fn(String) + Send + Sync>),
}

impl std::fmt::Debug for Stderr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stderr::Inherit => "Inherit",
            Stderr::Null => "Null",
            Stderr::Capture(_) => "Capture",
        })
    }
}

/// How to start the server process.
#[derive(Debug)]
pub struct ServerCommand {
    /// The program.
    pub program: OsString,
    /// Its arguments.
    pub args: Vec<OsString>,
    /// Extra environment variables.
    pub env: Vec<(OsString, OsString)>,
    /// The working directory (this process's when `None`).
    pub cwd: Option<PathBuf>,
    /// Where stderr goes.
    pub stderr: Stderr,
}

impl ServerCommand {
    /// `program` with no arguments, stderr inherited.
    pub fn new(program: impl Into<OsString>) -> Self {
        ServerCommand {
            program: program.into(),
            args: Vec::new(),
            env: Vec::new(),
            cwd: None,
            stderr: Stderr::Inherit,
        }
    }

    /// Adds an argument.
    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Adds arguments.
    pub fn args<I: IntoIterator<Item = S>, S: Into<OsString>>(mut self, args: I) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Sets the working directory.
    pub fn cwd(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cwd = Some(dir.into());
        self
    }

    /// Sets where stderr goes.
    pub fn stderr(mut self, stderr: Stderr) -> Self {
        self.stderr = stderr;
        self
    }
}
