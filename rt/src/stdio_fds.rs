//! Which of this process's stdin and stdout may go on a runtime's reactor.
//!
//! When the peer talks to us through pipes or sockets — the way an MCP client spawns a stdio
//! server — both can be read and written on the reactor, with no helper thread per stream and
//! so no thread hand-off per message. That needs non-blocking mode, which belongs to the open
//! file and so is shared with whoever else holds it: terminals and files stay blocking (a
//! terminal is the shell's too, and epoll does not take regular files), stdout stays blocking
//! when stderr is the same pipe (diagnostics are written blocking), and the mode is switched
//! back when the stream is dropped.

use std::fs::File;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::fs::{FileTypeExt, MetadataExt};

/// Puts its descriptor's open file back in the blocking mode it was found in when dropped.
#[derive(Debug)]
pub struct RestoreBlocking {
    fd: OwnedFd,
    /// Someone else had made it non-blocking already: leave it so.
    was_nonblocking: bool,
}

impl RestoreBlocking {
    fn new(fd: OwnedFd) -> Self {
        let was_nonblocking = flags(fd.as_fd()).is_some_and(|f| f & libc::O_NONBLOCK != 0);
        RestoreBlocking { fd, was_nonblocking }
    }
}

/// The open file's status flags.
fn flags(fd: BorrowedFd<'_>) -> Option<libc::c_int> {
    // SAFETY: F_GETFL on an open descriptor; no memory is passed.
    let flags = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) };
    (flags >= 0).then_some(flags)
}

impl Drop for RestoreBlocking {
    fn drop(&mut self) {
        if self.was_nonblocking {
            return;
        }
        // Best effort: a descriptor that cannot be switched back is no reason to fail on the
        // way out.
        if let Some(flags) = flags(self.fd.as_fd()) {
            // SAFETY: F_SETFL on a descriptor we own; no memory is passed.
            unsafe { libc::fcntl(self.fd.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK) };
        }
    }
}

/// A duplicate of stdin for the reactor, if stdin is a pipe or a socket.
pub fn reactor_stdin() -> Option<(File, RestoreBlocking)> {
    reactor(io::stdin().as_fd(), None)
}

/// A duplicate of stdout for the reactor, if stdout is a pipe or a socket that stderr does not
/// share.
pub fn reactor_stdout() -> Option<(File, RestoreBlocking)> {
    reactor(io::stdout().as_fd(), Some(io::stderr().as_fd()))
}

fn reactor(fd: BorrowedFd<'_>, unlike: Option<BorrowedFd<'_>>) -> Option<(File, RestoreBlocking)> {
    let file = File::from(fd.try_clone_to_owned().ok()?);
    let meta = file.metadata().ok()?;
    if !(meta.file_type().is_fifo() || meta.file_type().is_socket()) {
        return None;
    }
    if let Some(other) = unlike {
        let other = File::from(other.try_clone_to_owned().ok()?).metadata().ok()?;
        if other.dev() == meta.dev() && other.ino() == meta.ino() {
            return None;
        }
    }
    let restore = RestoreBlocking::new(fd.try_clone_to_owned().ok()?);
    Some((file, restore))
}

#[cfg(test)]
mod tests {
    use std::os::fd::FromRawFd;

    use super::*;

    fn pipe() -> (OwnedFd, OwnedFd) {
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for the two descriptors pipe(2) writes.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: both descriptors were just created and are owned by nobody else.
        unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
    }

    fn nonblocking(fd: BorrowedFd<'_>) -> bool {
        flags(fd).is_some_and(|f| f & libc::O_NONBLOCK != 0)
    }

    #[test]
    fn pipes_go_on_the_reactor_and_are_made_blocking_again() {
        let (read, _write) = pipe();
        let (file, restore) = reactor(read.as_fd(), None).expect("a pipe qualifies");
        // What a runtime does when it registers the duplicate: the open file turns
        // non-blocking for every descriptor of it.
        // SAFETY: F_SETFL on the open duplicate.
        unsafe { libc::fcntl(file.as_raw_fd(), libc::F_SETFL, libc::O_NONBLOCK) };
        assert!(nonblocking(read.as_fd()));
        drop(file);
        drop(restore);
        assert!(!nonblocking(read.as_fd()), "the open file is left as it was found");
    }

    #[test]
    fn a_pipe_found_non_blocking_is_left_non_blocking() {
        let (read, _write) = pipe();
        // SAFETY: F_SETFL on an open descriptor.
        unsafe { libc::fcntl(read.as_raw_fd(), libc::F_SETFL, libc::O_NONBLOCK) };
        let (file, restore) = reactor(read.as_fd(), None).expect("a pipe qualifies");
        drop((file, restore));
        assert!(nonblocking(read.as_fd()), "the mode someone else chose stays");
    }

    #[test]
    fn a_regular_file_and_a_pipe_shared_with_stderr_stay_off_the_reactor() {
        let path = std::env::temp_dir().join(format!("mcp-sansio-stdio-{}", std::process::id()));
        let file = File::create(&path).unwrap();
        assert!(reactor(file.as_fd(), None).is_none(), "epoll does not take regular files");
        drop(file);
        let _ = std::fs::remove_file(&path);

        let (_read, write) = pipe();
        let same = write.try_clone().unwrap();
        assert!(
            reactor(write.as_fd(), Some(same.as_fd())).is_none(),
            "stdout stays blocking when stderr writes to the same pipe"
        );
        let (_other_read, other_write) = pipe();
        assert!(reactor(write.as_fd(), Some(other_write.as_fd())).is_some());
    }
}
