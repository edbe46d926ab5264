//! Shared test setup: snapshot settings, running the real binary, and the small
//! fixture catalog that renderer snapshots use.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Every snapshot goes to the top-level `snapshots/` folder.
pub(crate) fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_omit_expression(true);
    settings.set_prepend_module_to_snapshot(true);
    settings
}

/// The crate root; tests run the binary from there so paths in output are relative.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `path` relative to the crate root, with `/` separators.
pub(crate) fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// What a run of the binary produced.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr together, for snapshots.
    pub(crate) fn transcript(&self) -> String {
        format!(
            "exit: {}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `ctrlmap ARGS` from the crate root.
pub(crate) fn ctrlmap(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_ctrlmap"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// The catalog that renderer snapshots use instead of the shipped one, so that a change
/// to the shipped catalog does not touch them: three frameworks in
/// `tests/fixtures/catalog/`, with its own small taxonomy.
pub(crate) const FIXTURE_CATALOG: &str = "tests/fixtures/catalog";

/// The incidents written for the fixture catalog.
pub(crate) const VENDOR_EMAIL: &str = "tests/fixtures/incidents/vendor-email.toml";

/// Runs `ctrlmap ARGS` against the fixture catalog alone.
pub(crate) fn ctrlmap_fixture(args: &[&str]) -> Run {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--no-default-controls", "--controls", FIXTURE_CATALOG]);
    ctrlmap(&all)
}

/// The incident files shipped in `incidents/`, sorted.
pub(crate) fn incidents() -> Vec<PathBuf> {
    toml_files("incidents")
}

/// The incidents written for the fixture catalog, sorted.
pub(crate) fn fixture_incidents() -> Vec<PathBuf> {
    toml_files("tests/fixtures/incidents")
}

fn toml_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

/// A fresh, empty folder under `target/` for one test.
pub(crate) fn tempdir(name: &str) -> PathBuf {
    let dir = root()
        .join("target")
        .join("test-tmp")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The JSON report `ctrlmap ARGS` prints, parsed; the run must succeed.
pub(crate) fn json_report(args: &[&str]) -> serde_json::Value {
    let run = ctrlmap(args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("a JSON report")
}

/// The framework, control or obligation `id` of a JSON report, if listed.
pub(crate) fn item<'a>(json: &'a serde_json::Value, id: &str) -> Option<&'a serde_json::Value> {
    let framework = id.split(':').next().unwrap_or(id);
    let f = json["frameworks"].as_array()?.iter().find(|f| f["id"] == framework)?;
    if f["id"] == id {
        return Some(f);
    }
    for c in f["controls"].as_array()? {
        if c["id"] == id {
            return Some(c);
        }
        if let Some(o) = c["obligations"].as_array()?.iter().find(|o| o["id"] == id) {
            return Some(o);
        }
    }
    None
}

/// The framework, control or obligation `id` of a JSON report; it must be listed.
pub(crate) fn listed(json: &serde_json::Value, id: &str) -> serde_json::Value {
    item(json, id)
        .cloned()
        .unwrap_or_else(|| panic!("{id} is in the report"))
}
