//! Reports as a reviewer reads them. The renderers (Markdown, JSON, batch) are
//! snapshot on the small fixture catalog, so a change to the shipped catalog never
//! touches them; the shipped catalog's answer for each example incident is one
//! compact "conclusions" snapshot (id, status, due, one line each).

use std::fmt::Write as _;

use serde_json::Value;

use crate::common::{
    VENDOR_EMAIL, ctrlmap, ctrlmap_fixture, fixture_incidents, incidents, relative, snapshot_settings,
};

#[test]
fn markdown_reports() {
    let _guard = snapshot_settings().bind_to_scope();
    insta::glob!("..", "tests/fixtures/incidents/*.toml", |path| {
        let run = ctrlmap_fixture(&["report", &relative(path)]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        insta::assert_snapshot!(run.stdout);
    });
}

#[test]
fn markdown_scope_all() {
    let _guard = snapshot_settings().bind_to_scope();
    let run = ctrlmap_fixture(&["report", VENDOR_EMAIL, "--scope", "all"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

/// The one whole JSON report kept as a snapshot: a sample of the schema (DESIGN §7)
/// with every key, `hours_left` and `assumptions` included.
#[test]
fn json_schema_sample() {
    let _guard = snapshot_settings().bind_to_scope();
    let run = ctrlmap_fixture(&[
        "report",
        VENDOR_EMAIL,
        "--format",
        "json",
        "--now",
        "2026-03-04T09:00:00Z",
        "--assume",
        "assessment:unlikely-risk=false",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for key in ["\"alternatives\"", "\"hours_left\"", "\"missing\": [\n", "\"assumed\""] {
        assert!(run.stdout.contains(key), "the sample lacks {key}");
    }
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn batch_summaries() {
    let _guard = snapshot_settings().bind_to_scope();
    let files: Vec<String> = fixture_incidents().iter().map(|p| relative(p)).collect();
    for format in ["csv", "json"] {
        let mut args = vec!["batch", "--format", format];
        args.extend(files.iter().map(String::as_str));
        let run = ctrlmap_fixture(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        insta::assert_snapshot!(format!("batch_{format}"), run.stdout);
    }
}

/// `batch` CSV is one table, folders stand for their incident files, and the counts
/// go to `--summary FILE`.
#[test]
fn batch_csv_is_one_table_and_the_counts_go_to_a_summary_file() {
    let _guard = snapshot_settings().bind_to_scope();
    let dir = crate::common::tempdir("batch-summary");
    let summary = dir.join("summary.csv");
    let summary_arg = summary.display().to_string();
    let run = ctrlmap_fixture(&["batch", "tests/fixtures/incidents", "--summary", &summary_arg]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        fixture_incidents().len() + 1,
        "a header and a row each:\n{}",
        run.stdout
    );
    assert!(lines.iter().all(|l| !l.is_empty()), "no blank line:\n{}", run.stdout);
    let counts = std::fs::read_to_string(&summary).expect("the summary is written");
    insta::assert_snapshot!("batch_summary_csv", counts);
}

/// What the shipped catalog concludes for each example incident: every framework,
/// control and obligation that applies or may apply, one line each, then the
/// frameworks that do not apply, and the items out of force on the discovery day.
#[test]
fn conclusions_of_every_example_incident() {
    let _guard = snapshot_settings().bind_to_scope();
    insta::glob!("..", "incidents/*.toml", |path| {
        let run = ctrlmap(&["report", &relative(path), "--format", "json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let report: Value = serde_json::from_str(&run.stdout).expect("valid JSON");
        insta::assert_snapshot!("conclusions", conclusions(&report));
    });
}

/// The Markdown report names every framework, control and obligation the JSON report
/// lists, for every example incident with the shipped catalog.
#[test]
fn markdown_names_what_the_json_report_lists() {
    for path in incidents() {
        let file = relative(&path);
        let json = ctrlmap(&["report", &file, "--format", "json"]);
        let markdown = ctrlmap(&["report", &file]);
        assert_eq!((json.code, markdown.code), (0, 0), "{file}");
        let report: Value = serde_json::from_str(&json.stdout).expect("valid JSON");
        let ids = items(&report);
        assert!(!ids.is_empty(), "{file}: no frameworks");
        for (depth, id, _) in ids {
            assert!(
                markdown.stdout.contains(&format!("`{id}`")),
                "{file}: the Markdown report does not name {id} (level {depth})"
            );
        }
    }
}

/// Frameworks, controls and obligations of a JSON report in order: (depth, id, entry).
fn items(report: &Value) -> Vec<(usize, &str, &Value)> {
    let mut out = Vec::new();
    for f in list(report, "frameworks") {
        out.push((0, str_of(f, "id"), f));
        for c in list(f, "controls") {
            out.push((1, str_of(c, "id"), c));
            for o in list(c, "obligations") {
                out.push((2, str_of(o, "id"), o));
            }
        }
    }
    out
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("`{key}` is not a list in {v}"))
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string in {v}"))
}

/// The conclusions of a JSON report as indented lines: `id — status, due …`.
fn conclusions(report: &Value) -> String {
    let mut out = String::new();
    let mut not_applicable = Vec::new();
    for (depth, id, entry) in items(report) {
        let status = str_of(entry, "status");
        if status == "not-applicable" {
            assert_eq!(depth, 0, "{id}: only frameworks are listed as not applicable");
            not_applicable.push(id);
            continue;
        }
        let indent = "  ".repeat(depth);
        let done = match entry["done"]["at"].as_str() {
            Some(at) if entry["done"]["on_time"] == false => format!(", done {at} (late)"),
            Some(at) => format!(", done {at}"),
            None => String::new(),
        };
        let _ = writeln!(out, "{indent}{id} — {status}{}{done}", due(&entry["deadline"]));
    }
    let _ = writeln!(out, "not applicable:");
    for id in not_applicable {
        let _ = writeln!(out, "  {id}");
    }
    let not_in_force = list(report, "not_in_force");
    if !not_in_force.is_empty() {
        let _ = writeln!(out, "not in force:");
        for entry in not_in_force {
            let _ = writeln!(out, "  {} — {}", str_of(entry, "id"), str_of(entry, "reason"));
        }
    }
    out
}

/// `, due TIME`, or why there is none; empty without a deadline.
fn due(deadline: &Value) -> String {
    if deadline.is_null() {
        return String::new();
    }
    if let Some(time) = deadline["due"].as_str() {
        return format!(", due {time}");
    }
    let missing: Vec<&str> = deadline["missing"]
        .as_array()
        .expect("missing is a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if !missing.is_empty() {
        return format!(", due not computable (needs {})", missing.join(", "));
    }
    match str_of(deadline, "within") {
        "without undue delay" => ", due without undue delay".to_owned(),
        _ => ", due not computable".to_owned(),
    }
}
