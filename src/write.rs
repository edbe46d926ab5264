//! Writing output files atomically: the bytes go to a temporary file in the same
//! folder, which is then renamed over the target. An interrupted or failed run never
//! leaves a half-written file, and the old file stays intact until the rename.

use std::fs;
use std::io::{self, Write as _};
use std::path::Path;

/// Writes `contents` to `path` atomically.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the output path names no file"))?;
    let tmp = dir.join(format!(".{}.tmp-{}", name.to_string_lossy(), std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        // A test hook: simulate a failure after the data is written but before it
        // replaces the target, to show that the target is then left as it was.
        if std::env::var_os("CTRLMAP_TEST_FAIL_BEFORE_RENAME").is_some() {
            return Err(io::Error::other("simulated failure before rename"));
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
