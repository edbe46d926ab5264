//! Reading input files: only regular files, and never more bytes than a limit, however
//! large a file says it is (a device or a pipe says 0). Where links must not be
//! followed (stored reports, manifests), a link is refused, and the file opened must
//! be the one examined.

use std::fs::{self, File, Metadata};
use std::io::Read as _;
use std::path::Path;

use crate::diag::{Code, Diagnostic};

/// Input files larger than this are refused, so a stray file cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Whether a symbolic link at the path itself is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Links {
    /// The user named the file: a link to a regular file is read.
    Follow,
    /// A file ctrlmap finds in a folder it manages: a link is refused.
    Refuse,
}

/// Reads a UTF-8 text file of at most [`MAX_FILE_BYTES`], following links.
pub(crate) fn read_input(path: &Path) -> Result<String, Diagnostic> {
    read_text(path, MAX_FILE_BYTES, Links::Follow)
}

/// Reads a UTF-8 text file of at most `limit` bytes.
pub(crate) fn read_text(path: &Path, limit: u64, links: Links) -> Result<String, Diagnostic> {
    let bytes = read_limited(path, limit, links)?;
    String::from_utf8(bytes).map_err(|e| {
        Diagnostic::error(
            Code::Io,
            format!(
                "{} is not UTF-8 text (invalid byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Reads a regular file of at most `limit` bytes. The limit is checked against the size
/// the file reports and again while reading, which stops at `limit + 1` bytes.
pub(crate) fn read_limited(path: &Path, limit: u64, links: Links) -> Result<Vec<u8>, Diagnostic> {
    let io = |e: std::io::Error| Diagnostic::error(Code::Io, format!("cannot read {}: {e}", path.display()));
    let examined = match links {
        Links::Follow => fs::metadata(path),
        Links::Refuse => fs::symlink_metadata(path),
    }
    .map_err(io)?;
    if examined.file_type().is_symlink() {
        return Err(Diagnostic::error(
            Code::Io,
            format!(
                "{} is a symbolic link; ctrlmap does not follow links here",
                path.display()
            ),
        )
        .note("help: replace the link with the file itself"));
    }
    if !examined.is_file() {
        return Err(not_regular(path));
    }
    if examined.len() > limit {
        return Err(too_large(path, limit));
    }
    // Opening a pipe would wait for a writer: only a path examined as a regular file is
    // opened, and it must still be that file once open.
    let file = File::open(path).map_err(io)?;
    let opened = file.metadata().map_err(io)?;
    if !opened.is_file() || !same_file(&examined, &opened) {
        return Err(not_regular(path));
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, limit));
    }
    Ok(bytes)
}

/// True when nothing is at `path`, not even a dangling link.
pub(crate) fn absent(path: &Path) -> Result<bool, Diagnostic> {
    match fs::symlink_metadata(path) {
        Ok(_) => Ok(false),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(Diagnostic::error(
            Code::Io,
            format!("cannot read {}: {e}", path.display()),
        )),
    }
}

fn not_regular(path: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::Io,
        format!(
            "{} is not a regular file (a folder, a device or a pipe); ctrlmap reads only regular files",
            path.display()
        ),
    )
}

fn too_large(path: &Path, limit: u64) -> Diagnostic {
    Diagnostic::error(
        Code::TooLarge,
        format!(
            "{} has more than {limit} bytes; ctrlmap reads at most {limit} bytes here",
            path.display()
        ),
    )
}

/// The same file (device and inode), where the platform says.
#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &Metadata, _: &Metadata) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_grows_past_the_limit_is_cut_at_the_limit() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("f.toml");
        fs::write(&path, "0123456789").expect("write");
        assert_eq!(read_limited(&path, 10, Links::Follow).expect("fits"), b"0123456789");
        assert_eq!(
            read_limited(&path, 9, Links::Follow).expect_err("over").code,
            Code::TooLarge
        );
    }

    /// A device reports a size of 0; it is refused before it is read.
    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused() {
        for path in ["/dev/zero", "/dev/null", "."] {
            let err = read_limited(Path::new(path), 100, Links::Follow).expect_err(path);
            assert!(err.message.contains("not a regular file"), "{path}: {}", err.message);
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_are_refused_where_asked() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let target = dir.path().join("target.md");
        fs::write(&target, "outside").expect("write");
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        assert_eq!(read_limited(&link, 100, Links::Follow).expect("followed"), b"outside");
        let err = read_limited(&link, 100, Links::Refuse).expect_err("refused");
        assert!(err.message.contains("symbolic link"), "{}", err.message);
    }
}
