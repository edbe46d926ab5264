//! `verify`: the reports of a folder of scenario incidents against stored ones, for a
//! team's CI. Each scenario renders to one report; a report that differs from the
//! stored one is shown as a unified diff. `--accept` writes new and changed reports
//! (atomically) and removes stored reports whose scenario is gone.
//!
//! Only files ctrlmap can prove it wrote are ever removed: those the folder's manifest
//! (`manifest`) lists with the content found. The snapshots folder may not be, or
//! contain, the scenario folder; stored reports are read without following links, and
//! a link where a report should be is an error, never replaced or read through.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::diag::{Code, Diagnostic};
use crate::manifest::Manifest;
use crate::read::{Links, MAX_FILE_BYTES, absent, read_limited, read_text};
use crate::write::write_atomic;

/// What happened to one scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Same bytes as stored.
    Unchanged,
    /// Differs; the diff.
    Changed(String),
    /// No stored report yet.
    New,
}

/// The outcome of comparing every scenario.
#[derive(Debug, Default)]
pub(crate) struct Comparison {
    /// Scenario file name → verdict, sorted.
    pub scenarios: BTreeMap<String, Verdict>,
    /// Stored reports whose scenario no longer exists, by file name.
    pub stale: Vec<String>,
    /// The snapshots folder's manifest, as read.
    manifest: Manifest,
}

/// The scenario incident files of a folder, sorted. Their names must be UTF-8 without
/// control or invisible characters: each names a stored report, and two names that
/// differ only in bytes that are not text would share one.
pub(crate) fn scenarios(dir: &Path) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let entries = fs::read_dir(dir).map_err(|e| {
        vec![Diagnostic::error(
            Code::Io,
            format!("cannot read scenario folder {}: {e}", dir.display()),
        )]
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let bad: Vec<Diagnostic> = files
        .iter()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_none_or(|n| n.chars().any(crate::text::is_unsafe))
        })
        .map(|p| {
            Diagnostic::error(
                Code::InvalidValue,
                format!(
                    "scenario {}: the file name is not plain text (bytes that are not UTF-8, or control or invisible characters)",
                    p.display()
                ),
            )
            .note("help: rename the file; its name becomes the stored report's name")
        })
        .collect();
    if bad.is_empty() { Ok(files) } else { Err(bad) }
}

/// Refuses a snapshots folder that is, or contains, the scenario folder: `--accept`
/// writes and removes files there.
pub(crate) fn check_folders(scenarios: &Path, snapshots: &Path) -> Result<(), Diagnostic> {
    let (Ok(scenarios_real), Ok(snapshots_real)) = (fs::canonicalize(scenarios), fs::canonicalize(snapshots)) else {
        return Ok(());
    };
    if scenarios_real.starts_with(&snapshots_real) {
        return Err(Diagnostic::error(
            Code::InvalidValue,
            format!(
                "the snapshots folder {} is or contains the scenario folder {}",
                snapshots.display(),
                scenarios.display()
            ),
        )
        .note("help: keep the stored reports in a folder of their own, e.g. `--snapshots scenarios/reports`"));
    }
    Ok(())
}

/// The stored report of a scenario: `<snapshots>/<scenario stem>.<extension>`.
#[must_use]
pub(crate) fn snapshot_path(snapshots: &Path, scenario: &Path, extension: &str) -> PathBuf {
    snapshots.join(snapshot_name(scenario, extension))
}

fn snapshot_name(scenario: &Path, extension: &str) -> String {
    let stem = scenario
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    format!("{stem}.{extension}")
}

fn scenario_name(scenario: &Path) -> String {
    scenario
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// Compares rendered reports (scenario path → text) with the stored ones.
pub(crate) fn compare(
    rendered: &BTreeMap<PathBuf, String>,
    snapshots: &Path,
    extension: &str,
) -> Result<Comparison, Diagnostic> {
    let mut out = Comparison {
        manifest: Manifest::read(snapshots)?,
        ..Comparison::default()
    };
    for (scenario, text) in rendered {
        let stored_path = snapshot_path(snapshots, scenario, extension);
        let verdict = if absent(&stored_path)? {
            Verdict::New
        } else {
            let stored = read_text(&stored_path, MAX_FILE_BYTES, Links::Refuse)?;
            if stored == *text {
                Verdict::Unchanged
            } else {
                Verdict::Changed(
                    TextDiff::from_lines(&stored, text)
                        .unified_diff()
                        .context_radius(3)
                        .header(
                            &stored_path.display().to_string(),
                            &format!("{} (rendered now)", scenario.display()),
                        )
                        .to_string(),
                )
            }
        };
        out.scenarios.insert(scenario_name(scenario), verdict);
    }
    let expected: Vec<String> = rendered.keys().map(|s| snapshot_name(s, extension)).collect();
    let suffix = format!(".{extension}");
    for name in out.manifest.names() {
        if !name.ends_with(&suffix) || expected.iter().any(|e| e == name) {
            continue;
        }
        // Listed, and still holding what ctrlmap wrote: a stored report of ours.
        let path = snapshots.join(name);
        let ours = fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
            && read_limited(&path, MAX_FILE_BYTES, Links::Refuse).is_ok_and(|bytes| out.manifest.wrote(name, &bytes));
        if ours {
            out.stale.push(name.to_owned());
        }
    }
    Ok(out)
}

impl Comparison {
    /// True when every report matches and nothing is stale.
    #[must_use]
    pub(crate) fn clean(&self) -> bool {
        self.stale.is_empty() && self.scenarios.values().all(|v| *v == Verdict::Unchanged)
    }

    /// Diffs, new and stale reports, then a summary line; every character that could
    /// act on a terminal is replaced (`text::defuse`), the stored reports' included.
    #[must_use]
    pub(crate) fn describe(&self, snapshots: &Path, accepted: bool) -> String {
        let mut out = String::new();
        let (mut same, mut changed, mut new) = (0, 0, 0);
        for (name, verdict) in &self.scenarios {
            match verdict {
                Verdict::Unchanged => same += 1,
                Verdict::Changed(diff) => {
                    changed += 1;
                    let _ = writeln!(out, "changed: {name}\n{diff}");
                }
                Verdict::New => {
                    new += 1;
                    let _ = writeln!(
                        out,
                        "new: {name} (no stored report){}",
                        if accepted { ", written" } else { "" }
                    );
                }
            }
        }
        for name in &self.stale {
            let _ = writeln!(
                out,
                "stale: {} (its scenario is gone){}",
                snapshots.join(name).display(),
                if accepted { ", removed" } else { "; --accept removes it" }
            );
        }
        let _ = writeln!(
            out,
            "{} scenario{}: {same} unchanged, {changed} changed, {new} new; {} stale{}",
            self.scenarios.len(),
            if self.scenarios.len() == 1 { "" } else { "s" },
            self.stale.len(),
            if accepted && !self.clean() { " (accepted)" } else { "" }
        );
        crate::text::defuse(&out).into_owned()
    }

    /// Writes new and changed reports, removes stale ones (one already gone is fine:
    /// another run may have removed it), and records in the manifest every report
    /// that now holds what ctrlmap rendered.
    pub(crate) fn accept(
        &self,
        rendered: &BTreeMap<PathBuf, String>,
        snapshots: &Path,
        extension: &str,
    ) -> Result<(), Diagnostic> {
        fs::create_dir_all(snapshots)
            .map_err(|e| Diagnostic::error(Code::Io, format!("cannot create {}: {e}", snapshots.display())))?;
        let mut manifest = self.manifest.clone();
        for (scenario, text) in rendered {
            let name = snapshot_name(scenario, extension);
            if self.scenarios.get(&scenario_name(scenario)) != Some(&Verdict::Unchanged) {
                let path = snapshots.join(&name);
                write_atomic(&path, text.as_bytes())
                    .map_err(|e| Diagnostic::error(Code::Io, format!("cannot write {}: {e}", path.display())))?;
            }
            manifest.record(&name, text.as_bytes());
        }
        for name in &self.stale {
            let path = snapshots.join(name);
            match fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(Diagnostic::error(
                        Code::Io,
                        format!("cannot remove {}: {e}", path.display()),
                    ));
                }
                _ => manifest.forget(name),
            }
        }
        if manifest != self.manifest {
            manifest.write(snapshots).map_err(|e| {
                Diagnostic::error(
                    Code::Io,
                    format!(
                        "cannot write {}: {e}",
                        snapshots.join(crate::manifest::FILE_NAME).display()
                    ),
                )
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two runs of `verify --accept` at once: the second finds the stale report gone,
    /// which is what it wanted.
    #[test]
    fn removing_a_report_already_gone_is_success() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let comparison = Comparison {
            stale: vec!["gone.md".to_owned()],
            ..Comparison::default()
        };
        comparison
            .accept(&BTreeMap::new(), dir.path(), "md")
            .expect("a report already removed is not an error");
    }
}
