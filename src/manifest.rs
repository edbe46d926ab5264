//! The manifest of the files ctrlmap wrote into a folder: `.ctrlmap-manifest`, one line
//! per file, `SHA-256  NAME` as `sha256sum` writes them (so `sha256sum -c` checks it).
//!
//! It is how ctrlmap proves a file is its own before it removes or replaces one:
//! `verify --accept` removes only stored reports listed with the content it wrote, and
//! `draft --output` replaces a draft only while it holds what ctrlmap wrote last.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use sha2::{Digest as _, Sha256};

use crate::diag::{Code, Diagnostic};
use crate::read::{Links, read_text};
use crate::write::write_atomic;

/// The manifest's file name, inside the folder it describes.
pub(crate) const FILE_NAME: &str = ".ctrlmap-manifest";

/// A manifest is small: a line per file written.
const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

/// File name → SHA-256 (lowercase hex) of the content ctrlmap wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Manifest {
    entries: BTreeMap<String, String>,
}

/// The SHA-256 of `bytes`, in lowercase hex.
#[must_use]
pub(crate) fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// A name the manifest may list: one file of the folder itself.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\'])
        && !name.chars().any(crate::text::is_unsafe)
}

impl Manifest {
    /// The manifest of `dir`; empty when it has none. A manifest that is a link, not a
    /// regular file, or not in the format above is an error.
    pub(crate) fn read(dir: &Path) -> Result<Manifest, Diagnostic> {
        let path = dir.join(FILE_NAME);
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Manifest::default()),
            _ => {}
        }
        let text = read_text(&path, MAX_MANIFEST_BYTES, Links::Refuse)?;
        let mut entries = BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            let entry = line.split_once("  ").filter(|(hash, name)| {
                hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) && plain_name(name)
            });
            let Some((hash, name)) = entry else {
                return Err(Diagnostic::error(
                    Code::InvalidValue,
                    format!(
                        "{}:{}: not a line of a ctrlmap manifest (`SHA-256  NAME`, one file of the folder)",
                        path.display(),
                        i + 1
                    ),
                )
                .note("help: ctrlmap writes this file; restore it from version control or remove it"));
            };
            entries.insert(name.to_owned(), hash.to_ascii_lowercase());
        }
        Ok(Manifest { entries })
    }

    /// The names listed, sorted.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// True when `name` is listed with exactly this content.
    #[must_use]
    pub(crate) fn wrote(&self, name: &str, content: &[u8]) -> bool {
        self.entries.get(name).is_some_and(|h| *h == digest(content))
    }

    /// Records that `name` now holds `content`, written by ctrlmap.
    pub(crate) fn record(&mut self, name: &str, content: &[u8]) {
        self.entries.insert(name.to_owned(), digest(content));
    }

    /// Forgets `name`.
    pub(crate) fn forget(&mut self, name: &str) {
        self.entries.remove(name);
    }

    /// Writes the manifest into `dir`, atomically; with no entry, removes it.
    pub(crate) fn write(&self, dir: &Path) -> std::io::Result<()> {
        let path = dir.join(FILE_NAME);
        if self.entries.is_empty() {
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        let mut text = String::new();
        for (name, hash) in &self.entries {
            let _ = writeln!(text, "{hash}  {name}");
        }
        write_atomic(&path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_round_trips_and_refuses_names_outside_its_folder() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        assert_eq!(Manifest::read(dir.path()).expect("none yet"), Manifest::default());
        let mut m = Manifest::default();
        m.record("a.md", b"report");
        m.write(dir.path()).expect("writes");
        let back = Manifest::read(dir.path()).expect("reads");
        assert!(back.wrote("a.md", b"report"));
        assert!(!back.wrote("a.md", b"edited"));
        assert_eq!(
            digest(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        for line in [
            "x",
            &format!("{}  ../escape.md", "0".repeat(64)),
            &format!("{}  a/b.md", "0".repeat(64)),
        ] {
            std::fs::write(dir.path().join(FILE_NAME), format!("{line}\n")).expect("write");
            assert!(Manifest::read(dir.path()).is_err(), "{line}");
        }
    }
}
