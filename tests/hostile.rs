//! The hostile corpus (`tests/hostile/`): malformed and hostile inputs for every format
//! ctrlmap reads. Each must end with exit 2 and a message that says where, never a
//! panic; the messages are snapshots.

use crate::common::{ctrlmap, relative, snapshot_settings};

fn assert_rejected(args: &[&str]) -> String {
    let run = ctrlmap(args);
    assert_eq!(run.code, 2, "{args:?} should fail with exit 2:\n{}", run.transcript());
    assert!(!run.stderr.contains("panicked"), "{args:?} panicked:\n{}", run.stderr);
    assert!(run.stdout.is_empty(), "{args:?} wrote to stdout");
    let located = run.stderr.lines().any(|l| {
        l.contains("offset")
            || l.split(':').collect::<Vec<_>>().windows(2).any(|w| {
                w[0].chars().last().is_some_and(|c| c.is_ascii_digit())
                    && w[1].chars().next().is_some_and(|c| c.is_ascii_digit())
            })
    });
    assert!(located, "{args:?}: no file:line:col in\n{}", run.stderr);
    assert!(
        run.stderr.len() < 20_000,
        "{args:?}: {} bytes of diagnostics",
        run.stderr.len()
    );
    run.stderr
}

#[test]
fn hostile_incidents() {
    let _guard = snapshot_settings().bind_to_scope();
    insta::glob!("hostile/incident/*", |path| {
        insta::assert_snapshot!(assert_rejected(&["report", &relative(path)]));
    });
}

#[test]
fn hostile_catalogs() {
    let _guard = snapshot_settings().bind_to_scope();
    insta::glob!("hostile/catalog/*", |path| {
        insta::assert_snapshot!(assert_rejected(&["check", "--controls", &relative(path)]));
    });
}

#[test]
fn hostile_veris() {
    let _guard = snapshot_settings().bind_to_scope();
    insta::glob!("hostile/veris/*", |path| {
        insta::assert_snapshot!(assert_rejected(&["import", "veris", &relative(path)]));
    });
}

#[test]
fn hostile_oscal() {
    let _guard = snapshot_settings().bind_to_scope();
    insta::glob!("hostile/oscal/*", |path| {
        insta::assert_snapshot!(assert_rejected(&["import", "oscal", &relative(path)]));
    });
}

/// Input files over the size limit are refused before they are read.
#[test]
fn oversized_files_are_refused() {
    let dir = crate::common::tempdir("oversized");
    let path = dir.join("huge.toml");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(ctrlmap::MAX_FILE_BYTES + 1).expect("sparse file");
    let run = ctrlmap(&["report", path.to_str().expect("utf-8")]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("error[too-large]"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

/// A catalog folder with more files than the limit is refused with a clear message.
#[test]
fn too_many_catalog_files_are_refused() {
    let dir = crate::common::tempdir("many-files");
    for i in 0..=ctrlmap::MAX_FILES {
        std::fs::write(dir.join(format!("f{i:05}.toml")), "").expect("write");
    }
    let run = ctrlmap(&["check", "--controls", dir.to_str().expect("utf-8")]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stderr.contains("error[too-large]"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

const EVIL_INCIDENT: &str = r##"
id = "=HYPERLINK(\"http://x\")"
title = "Evil <script>alert(1)</script> [click](javascript:alert(1)) | pipe"
summary = "# Heading\n| table | row |\n<img src=x onerror=alert(1)> `code` **bold**"

[timeline]
discovered = "2026-02-05T09:00:00Z"

[organization]
name = "<b>Org</b> ![img](http://x)"
status = ["gdpr-controller"]

[affected]
residency = ["FR"]

[data]
exposed = ["email"]
"##;

/// Text from an incident cannot inject links, HTML, headings or table cells into the
/// Markdown report, nor formulas into batch CSV.
#[test]
fn incident_text_cannot_inject_into_reports() {
    let dir = crate::common::tempdir("evil-report");
    let path = dir.join("evil.toml");
    std::fs::write(&path, EVIL_INCIDENT).expect("write");
    let path = path.to_str().expect("utf-8");
    let md = ctrlmap(&["report", path]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    for tag in ["<script", "<img", "<b>"] {
        for (i, _) in md.stdout.match_indices(tag) {
            assert!(md.stdout[..i].ends_with('\\'), "unescaped {tag}");
        }
    }
    assert!(!md.stdout.contains("[click](javascript"), "a link survived");
    assert!(!md.stdout.contains("\n# Heading"), "a heading was injected");
    assert!(
        !md.stdout.lines().any(|l| l.starts_with("| table")),
        "a table row was injected"
    );
    let json = ctrlmap(&["report", path, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("valid JSON whatever the text");
    assert_eq!(
        value["incident"]["title"],
        "Evil <script>alert(1)</script> [click](javascript:alert(1)) | pipe"
    );
    let csv = ctrlmap(&["batch", path]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let row = csv.stdout.lines().nth(1).expect("a row");
    assert!(row.contains("\"'=HYPERLINK("), "the formula is defused: {row}");
    let _ = std::fs::remove_dir_all(dir);
}
