//! The command line as a user runs it: exit codes, files written, options.

use std::fs;

use crate::common::{ctrlmap, snapshot_settings, tempdir};

const FLICKR: &str = "incidents/flickr-2026-02.toml";

fn json(args: &[&str]) -> serde_json::Value {
    let run = ctrlmap(args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("valid JSON")
}

fn framework<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["frameworks"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["id"] == id))
        .unwrap_or_else(|| panic!("framework {id} in report"))
}

fn find_obligation<'a>(report: &'a serde_json::Value, id: &str) -> Option<&'a serde_json::Value> {
    report["frameworks"].as_array()?.iter().find_map(|f| {
        f["controls"]
            .as_array()?
            .iter()
            .find_map(|c| c["obligations"].as_array()?.iter().find(|o| o["id"] == id))
    })
}

#[test]
fn flickr_meets_the_acceptance_criteria() {
    let report = json(&["report", FLICKR, "--format", "json"]);
    assert_eq!(report["schema_version"], 1);
    assert_eq!(framework(&report, "gdpr")["status"], "applies");
    let art33 = find_obligation(&report, "gdpr:art33.1").expect("gdpr:art33.1 listed");
    assert_eq!(art33["status"], "applies");
    assert_eq!(art33["deadline"]["due"], "2026-02-08T09:00:00Z");
    assert_eq!(art33["deadline"]["from"], "discovered");
    for id in ["dora", "nydfs-500"] {
        let f = framework(&report, id);
        assert_eq!(f["status"], "not-applicable", "{id}");
        assert!(!f["reasons"].as_array().expect("reasons").is_empty(), "{id} says why");
        assert!(f["controls"].as_array().expect("controls").is_empty());
    }
    let questions: Vec<&str> = report["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .filter_map(|q| q["fact"].as_str())
        .collect();
    assert!(questions.contains(&"status:nis2-important"), "{questions:?}");
}

#[test]
fn scope_all_lists_the_potential_exposure() {
    let report = json(&["report", FLICKR, "--format", "json", "--scope", "all"]);
    let controls: Vec<&str> = report["frameworks"]
        .as_array()
        .expect("frameworks")
        .iter()
        .flat_map(|f| f["controls"].as_array().expect("controls"))
        .filter_map(|c| c["id"].as_str())
        .collect();
    for id in [
        "pci-dss:12.8",
        "nydfs-500:500.11",
        "dora:art28",
        "nis2:art21",
        "cisa-ztmm:data",
    ] {
        assert!(controls.contains(&id), "{id} missing from {controls:?}");
    }
    // Frameworks keep their real status under --scope all.
    assert_eq!(framework(&report, "dora")["status"], "not-applicable");
}

#[test]
fn reports_are_byte_for_byte_deterministic() {
    for format in ["markdown", "json"] {
        let a = ctrlmap(&["report", FLICKR, "--format", format]);
        let b = ctrlmap(&["report", FLICKR, "--format", format]);
        assert_eq!(a.code, 0);
        assert_eq!(a.stdout, b.stdout, "{format}");
    }
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempdir("output");
    let target = dir.join("report.md");
    fs::write(&target, "old").expect("seed file");
    let run = ctrlmap(&["report", FLICKR, "--output", target.to_str().expect("utf-8 path")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let written = fs::read_to_string(&target).expect("written");
    assert_eq!(written, ctrlmap(&["report", FLICKR]).stdout);
    let leftovers: Vec<_> = fs::read_dir(&dir)
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name() != "report.md")
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn failed_write_changes_nothing() {
    let dir = tempdir("failed");
    let missing = dir.join("no-such-folder").join("report.md");
    let run = ctrlmap(&["report", FLICKR, "--output", missing.to_str().expect("utf-8 path")]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
    assert!(!missing.exists());
    // A bad incident never touches the output file.
    let target = dir.join("kept.md");
    fs::write(&target, "old").expect("seed file");
    let run = ctrlmap(&[
        "report",
        "tests/fixtures/invalid/incident/contradiction.toml",
        "--output",
        target.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(fs::read_to_string(&target).expect("kept"), "old");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn assumptions_answer_questions_and_are_marked() {
    let report = json(&[
        "report",
        FLICKR,
        "--format",
        "json",
        "--assume",
        "status:nis2-important=true",
        "--assume",
        "assessment:nis2-significant=true",
    ]);
    assert_eq!(framework(&report, "nis2")["status"], "applies");
    let early = find_obligation(&report, "nis2:art23.early-warning").expect("listed");
    assert_eq!(early["status"], "applies");
    assert_eq!(report["assumptions"][0], "status:nis2-important=true");
    let md = ctrlmap(&["report", FLICKR, "--assume", "status:nis2-important=true"]);
    assert!(md.stdout.contains("Assumed for this report"));
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    let _guard = snapshot_settings().bind_to_scope();
    let cases: [(&str, &[&str]); 5] = [
        (
            "assume_typo",
            &["report", FLICKR, "--assume", "status:nis2-importnt=true"],
        ),
        (
            "assume_value",
            &["report", FLICKR, "--assume", "status:nis2-important=yes"],
        ),
        ("now_bad", &["report", FLICKR, "--now", "tomorrow"]),
        ("missing_incident", &["report", "incidents/no-such-incident.toml"]),
        ("no_default_controls", &["report", FLICKR, "--no-default-controls"]),
    ];
    for (name, args) in cases {
        let run = ctrlmap(args);
        assert_eq!(run.code, 2, "{name}");
        assert!(!run.stderr.contains("panicked"), "{name}");
        insta::assert_snapshot!(name, run.transcript());
    }
}

#[test]
fn time_left_only_when_asked() {
    let plain = ctrlmap(&["report", FLICKR]);
    assert!(!plain.stdout.contains("time left"));
    let timed = ctrlmap(&["report", FLICKR, "--now", "2026-02-06T09:00:00Z"]);
    assert!(timed.stdout.contains("| time left |"));
    assert!(timed.stdout.contains("| 48h |"), "{}", timed.stdout);
}

#[test]
fn check_accepts_the_shipped_catalog() {
    let run = ctrlmap(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "warnings: {}", run.stderr);
    assert!(run.stdout.starts_with("ok: "));
}

#[test]
fn list_and_help() {
    let _guard = snapshot_settings().bind_to_scope();
    let frameworks = ctrlmap(&["list", "frameworks"]);
    assert_eq!(frameworks.code, 0);
    insta::assert_snapshot!("list_frameworks", frameworks.stdout);
    let help = ctrlmap(&["report", "--help"]);
    assert_eq!(help.code, 0);
    insta::assert_snapshot!("report_help", help.stdout);
    let usage = ctrlmap(&["report"]);
    assert_eq!(usage.code, 2);
}

/// A write that fails at the last step (here: the target is a folder, which a file
/// cannot replace) is bad output, exit 2, and leaves nothing behind. The same failure
/// after the data is written is tested in `write.rs`.
#[test]
fn a_failed_write_leaves_nothing_behind() {
    let dir = tempdir("interrupted");
    let target = dir.join("report.md");
    fs::create_dir(&target).expect("a folder in the way");
    fs::write(target.join("inside"), "old").expect("seed file");
    let run = ctrlmap(&["report", FLICKR, "--output", target.to_str().expect("utf-8 path")]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(target.join("inside")).expect("kept"), "old");
    assert_eq!(
        fs::read_dir(&dir).expect("dir").count(),
        1,
        "the temporary file is removed"
    );
    let _ = fs::remove_dir_all(dir);
}
