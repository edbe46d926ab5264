//! Writing output files atomically: the bytes go to a new temporary file in the same
//! folder, which then replaces the target. An interrupted or failed run never leaves a
//! half-written file, and the old file stays intact until the replacement.
//!
//! Several files are written all or none: each goes to its temporary file first, and
//! only when every one is written are they put in place.
//!
//! The temporary file is made by `tempfile` (`NamedTempFile` in the target's folder):
//! an unpredictable name, created exclusively, so a symbolic link planted at a
//! predictable name cannot redirect the write.

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// Writes `contents` to `path` atomically.
pub(crate) fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_with(path, contents, persist)
}

fn persist(tmp: NamedTempFile, path: &Path) -> io::Result<()> {
    tmp.persist(path).map(drop).map_err(|e| e.error)
}

/// Writes every file, each atomically, or none: when one cannot be written, no target
/// is touched and no temporary file is left. The error names the file that failed.
pub(crate) fn write_all_atomic<'a>(
    files: impl IntoIterator<Item = (&'a Path, &'a [u8])>,
) -> Result<(), (PathBuf, io::Error)> {
    let mut staged = Vec::new();
    for (path, contents) in files {
        let mut tmp = None;
        write_with(path, contents, |t, _| {
            tmp = Some(t);
            Ok(())
        })
        .map_err(|e| (path.to_path_buf(), e))?;
        staged.extend(tmp.map(|t| (path, t)));
    }
    for (path, tmp) in staged {
        persist(tmp, path).map_err(|e| (path.to_path_buf(), e))?;
    }
    Ok(())
}

/// Writes `contents` to a temporary file beside `path`, then hands it to `replace`, the
/// step that puts it in place. The temporary file is removed when that step fails.
fn write_with(
    path: &Path,
    contents: &[u8],
    replace: impl FnOnce(NamedTempFile, &Path) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the output path names no file"))?;
    let prefix = format!(".{}.", name.to_string_lossy());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // The file is created as any new file is (read and write for all, less the umask),
    // not private to its owner as temporary files are: it becomes the output.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    // On an error, `tmp` is dropped on the way out, which deletes the file.
    replace(tmp, path)
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let target = dir.path().join("report.md");
        write_atomic(&target, b"first").expect("writes");
        write_atomic(&target, b"second").expect("replaces");
        assert_eq!(fs::read_to_string(&target).expect("read"), "second");
        assert_eq!(entries(dir.path()), ["report.md"]);
    }

    /// A failure after the data is written but before it replaces the target leaves the
    /// target as it was, and no temporary file behind.
    #[test]
    fn a_failure_before_the_rename_leaves_the_old_file() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let target = dir.path().join("report.md");
        fs::write(&target, "old").expect("seed");
        let err = write_with(&target, b"new", |tmp, _| {
            assert_eq!(fs::read_to_string(tmp.path()).expect("written"), "new");
            Err(io::Error::other("simulated failure before rename"))
        })
        .expect_err("fails");
        assert_eq!(err.to_string(), "simulated failure before rename");
        assert_eq!(fs::read_to_string(&target).expect("kept"), "old");
        assert_eq!(entries(dir.path()), ["report.md"]);
    }

    /// A symbolic link at the target is replaced, not followed.
    #[cfg(unix)]
    #[test]
    fn a_link_at_the_target_is_replaced_not_followed() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let elsewhere = dir.path().join("elsewhere.txt");
        fs::write(&elsewhere, "keep").expect("seed");
        let target = dir.path().join("report.md");
        std::os::unix::fs::symlink(&elsewhere, &target).expect("symlink");
        write_atomic(&target, b"new").expect("writes");
        assert_eq!(fs::read_to_string(&elsewhere).expect("read"), "keep");
        assert!(!fs::symlink_metadata(&target).expect("meta").file_type().is_symlink());
        assert_eq!(fs::read_to_string(&target).expect("read"), "new");
    }

    /// A link planted at the name temporary files once had (`.NAME.tmp-PID`) is not
    /// followed: the temporary file gets a name nobody can predict, and is created new.
    #[cfg(unix)]
    #[test]
    fn a_link_at_a_predictable_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let elsewhere = dir.path().join("elsewhere.txt");
        fs::write(&elsewhere, "keep").expect("seed");
        let planted = dir.path().join(format!(".report.md.tmp-{}", std::process::id()));
        std::os::unix::fs::symlink(&elsewhere, &planted).expect("symlink");
        write_atomic(&dir.path().join("report.md"), b"new").expect("writes");
        assert_eq!(fs::read_to_string(&elsewhere).expect("read"), "keep");
        assert_eq!(fs::read_to_string(dir.path().join("report.md")).expect("read"), "new");
    }

    /// The output gets a new file's usual permissions, not a temporary file's.
    #[cfg(unix)]
    #[test]
    fn the_output_is_not_private() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().expect("a temporary folder");
        let target = dir.path().join("report.md");
        write_atomic(&target, b"x").expect("writes");
        let plain = dir.path().join("plain.md");
        fs::write(&plain, "x").expect("writes");
        let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&target), mode(&plain));
    }

    /// When one of several files cannot be written, none is.
    #[test]
    fn several_files_are_written_all_or_none() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (a, b) = (dir.path().join("a.md"), dir.path().join("absent/b.md"));
        let (path, _) = write_all_atomic([(a.as_path(), &b"a"[..]), (b.as_path(), &b"b"[..])]).expect_err("b fails");
        assert_eq!(path, b);
        assert_eq!(entries(dir.path()), Vec::<String>::new());
        write_all_atomic([(a.as_path(), &b"a"[..])]).expect("writes");
        assert_eq!(entries(dir.path()), ["a.md"]);
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let target = dir.path().join("absent/report.md");
        assert!(write_atomic(&target, b"x").is_err());
        assert_eq!(entries(dir.path()), Vec::<String>::new());
    }
}
