//! `verify`: the reports of a folder of scenario incidents against stored ones, for a
//! team's CI. Each scenario renders to one report; a report that differs from the
//! stored one is shown as a unified diff. `--accept` writes new and changed reports
//! (atomically) and removes stored reports whose scenario is gone.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::diag::{Code, Diagnostic};
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
    /// Stored reports whose scenario no longer exists.
    pub stale: Vec<PathBuf>,
}

/// The scenario incident files of a folder, sorted.
pub(crate) fn scenarios(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let entries = fs::read_dir(dir)
        .map_err(|e| Diagnostic::error(Code::Io, format!("cannot read scenario folder {}: {e}", dir.display())))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

/// The stored report of a scenario: `<snapshots>/<scenario stem>.<extension>`.
#[must_use]
pub(crate) fn snapshot_path(snapshots: &Path, scenario: &Path, extension: &str) -> PathBuf {
    let stem = scenario
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    snapshots.join(format!("{stem}.{extension}"))
}

/// Compares rendered reports (scenario path → text) with the stored ones.
pub(crate) fn compare(
    rendered: &BTreeMap<PathBuf, String>,
    snapshots: &Path,
    extension: &str,
) -> Result<Comparison, Diagnostic> {
    let mut out = Comparison::default();
    for (scenario, text) in rendered {
        let stored_path = snapshot_path(snapshots, scenario, extension);
        let name = scenario
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let verdict = match fs::read_to_string(&stored_path) {
            Ok(stored) if stored == *text => Verdict::Unchanged,
            Ok(stored) => Verdict::Changed(
                TextDiff::from_lines(&stored, text)
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &stored_path.display().to_string(),
                        &format!("{} (rendered now)", scenario.display()),
                    )
                    .to_string(),
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Verdict::New,
            Err(e) => {
                return Err(Diagnostic::error(
                    Code::Io,
                    format!("cannot read {}: {e}", stored_path.display()),
                ));
            }
        };
        out.scenarios.insert(name, verdict);
    }
    if let Ok(entries) = fs::read_dir(snapshots) {
        let expected: Vec<PathBuf> = rendered
            .keys()
            .map(|s| snapshot_path(snapshots, s, extension))
            .collect();
        let mut stale: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == extension) && !expected.contains(p))
            .collect();
        stale.sort();
        out.stale = stale;
    }
    Ok(out)
}

impl Comparison {
    /// True when every report matches and nothing is stale.
    #[must_use]
    pub(crate) fn clean(&self) -> bool {
        self.stale.is_empty() && self.scenarios.values().all(|v| *v == Verdict::Unchanged)
    }

    /// Diffs, new and stale reports, then a summary line.
    #[must_use]
    pub(crate) fn describe(&self, accepted: bool) -> String {
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
        for path in &self.stale {
            let _ = writeln!(
                out,
                "stale: {} (its scenario is gone){}",
                path.display(),
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
        out
    }

    /// Writes new and changed reports, removes stale ones.
    pub(crate) fn accept(
        &self,
        rendered: &BTreeMap<PathBuf, String>,
        snapshots: &Path,
        extension: &str,
    ) -> Result<(), Diagnostic> {
        fs::create_dir_all(snapshots)
            .map_err(|e| Diagnostic::error(Code::Io, format!("cannot create {}: {e}", snapshots.display())))?;
        for (scenario, text) in rendered {
            let name = scenario
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            if self.scenarios.get(&name) == Some(&Verdict::Unchanged) {
                continue;
            }
            let path = snapshot_path(snapshots, scenario, extension);
            write_atomic(&path, text.as_bytes())
                .map_err(|e| Diagnostic::error(Code::Io, format!("cannot write {}: {e}", path.display())))?;
        }
        for path in &self.stale {
            fs::remove_file(path)
                .map_err(|e| Diagnostic::error(Code::Io, format!("cannot remove {}: {e}", path.display())))?;
        }
        Ok(())
    }
}
