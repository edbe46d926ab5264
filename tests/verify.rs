//! `verify` as a team's CI uses it: accept, change a control, see the diff, accept.
//! The diff a reviewer reads is snapshot on the fixture catalog.

use std::fs;
use std::path::Path;

use crate::common::{FIXTURE_CATALOG, ctrlmap, relative, root, snapshot_settings, tempdir};

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn a_changed_control_shows_as_a_diff_until_accepted() {
    let dir = tempdir("verify");
    let scenarios = dir.join("scenarios");
    let snapshots = dir.join("reports");
    let controls = dir.join("controls");
    fs::create_dir_all(&scenarios).expect("mkdir");
    fs::create_dir_all(&controls).expect("mkdir");
    fs::copy(
        root().join("incidents/flickr-2026-02.toml"),
        scenarios.join("flickr.toml"),
    )
    .expect("copy");
    fs::copy(
        root().join("incidents/instagram-2026-01.toml"),
        scenarios.join("instagram.toml"),
    )
    .expect("copy");
    let gdpr = fs::read_to_string(root().join("controls/gdpr.toml")).expect("gdpr");
    fs::write(controls.join("gdpr.toml"), &gdpr).expect("write");
    let verify = |accept: bool| {
        let mut args = vec![
            "verify",
            path(&scenarios),
            "--snapshots",
            path(&snapshots),
            "--controls",
            path(&controls),
        ];
        if accept {
            args.push("--accept");
        }
        ctrlmap(&args)
    };

    // First run: everything is new.
    let run = verify(false);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stdout.contains("new: flickr.toml"));
    let run = verify(true);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(snapshots.join("flickr.md").is_file());
    let run = verify(false);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout
            .contains("2 scenarios: 2 unchanged, 0 changed, 0 new; 0 stale"),
        "{}",
        run.stdout
    );

    // A control's rule changes: the breach record now needs a fact nobody states.
    let changed = set_when(&gdpr, "art33.5", "assessment:gdpr-high-risk");
    fs::write(controls.join("gdpr.toml"), changed).expect("write");
    let run = verify(false);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stdout.contains("changed: flickr.toml"), "{}", run.stdout);
    assert!(
        run.stdout.contains("gdpr:art33.5"),
        "the diff names the obligation:\n{}",
        run.stdout
    );
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with('-') && l.contains("gdpr:art33.5")),
        "{}",
        run.stdout
    );
    let run = verify(true);
    assert_eq!(run.code, 0);
    assert_eq!(verify(false).code, 0);

    // A scenario is deleted: its stored report is stale until accepted.
    fs::remove_file(scenarios.join("instagram.toml")).expect("rm");
    let run = verify(false);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("stale:"), "{}", run.stdout);
    assert!(snapshots.join("instagram.md").is_file(), "not removed without --accept");
    assert_eq!(verify(true).code, 0);
    assert!(!snapshots.join("instagram.md").exists());
    let _ = fs::remove_dir_all(dir);
}

/// An accept whose write fails is exit 2, changes no report and leaves no temporary
/// file. The failure here is real: a report name so long that the temporary file
/// beside it (`.NAME.XXXXXX.tmp`) exceeds the 255 bytes a file name may have, while
/// the report itself could be written. It is the first report written, so the
/// flickr report after it stays as it was. A failure after the data is written is
/// tested in `write.rs`.
#[test]
fn a_failed_accept_changes_nothing() {
    let dir = tempdir("verify-fail");
    let scenarios = dir.join("scenarios");
    let snapshots = dir.join("reports");
    fs::create_dir_all(&scenarios).expect("mkdir");
    fs::create_dir_all(&snapshots).expect("mkdir");
    let flickr = root().join("incidents/flickr-2026-02.toml");
    fs::copy(&flickr, scenarios.join("flickr.toml")).expect("copy");
    fs::copy(&flickr, scenarios.join(format!("{}.toml", "a".repeat(248)))).expect("copy");
    fs::write(snapshots.join("flickr.md"), "old report\n").expect("seed");
    let run = ctrlmap(&["verify", path(&scenarios), "--snapshots", path(&snapshots), "--accept"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(snapshots.join("flickr.md")).expect("kept"),
        "old report\n"
    );
    assert_eq!(
        fs::read_dir(&snapshots).expect("dir").count(),
        1,
        "no temporary file left"
    );
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_bad_scenario_is_bad_input() {
    let dir = tempdir("verify-bad");
    let scenarios = dir.join("scenarios");
    fs::create_dir_all(&scenarios).expect("mkdir");
    fs::copy(
        root().join("tests/fixtures/invalid/incident/contradiction.toml"),
        scenarios.join("bad.toml"),
    )
    .expect("copy");
    let run = ctrlmap(&["verify", path(&scenarios), "--snapshots", path(&dir.join("reports"))]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("error[contradiction]"));
    assert!(!dir.join("reports").exists());
    let _ = fs::remove_dir_all(dir);
}

/// The diff `verify` shows when a rule of the catalog changes, on the fixture catalog:
/// a threshold lowered so that a notice to people now applies.
#[test]
fn the_diff_of_a_changed_rule() {
    let _guard = snapshot_settings().bind_to_scope();
    let dir = tempdir("verify-diff");
    let controls = dir.join("catalog");
    fs::create_dir_all(&controls).expect("mkdir");
    for entry in fs::read_dir(root().join(FIXTURE_CATALOG)).expect("fixture catalog") {
        let from = entry.expect("entry").path();
        fs::copy(&from, controls.join(from.file_name().expect("name"))).expect("copy");
    }
    let snapshots = relative(&dir.join("reports"));
    let catalog = relative(&controls);
    let verify = |accept: bool| {
        let mut args = vec![
            "verify",
            "tests/fixtures/incidents",
            "--snapshots",
            &snapshots,
            "--no-default-controls",
            "--controls",
            &catalog,
        ];
        if accept {
            args.push("--accept");
        }
        ctrlmap(&args)
    };
    assert_eq!(verify(true).code, 0);
    let privacy = fs::read_to_string(controls.join("privacy.toml")).expect("privacy");
    let changed = set_when(&privacy, "notice.people", "assessment:high-risk or count >= 1000");
    assert_ne!(changed, privacy);
    fs::write(controls.join("privacy.toml"), changed).expect("write");
    let run = verify(false);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let dir_name = relative(&dir);
    insta::assert_snapshot!(run.transcript().replace(&dir_name, "[tmp]"));
    let _ = fs::remove_dir_all(dir);
}

/// The catalog text with the `when` of one obligation replaced (or added).
fn set_when(text: &str, id: &str, rule: &str) -> String {
    let needle = format!("id = \"{id}\"");
    let start = text.find(&needle).unwrap_or_else(|| panic!("{id} in the catalog"));
    let end = text[start..].find("[[").map_or(text.len(), |i| start + i);
    let block = &text[start..end];
    let new_block = match block.lines().find(|l| l.starts_with("when = ")) {
        Some(line) => block.replacen(line, &format!("when = \"{rule}\""), 1),
        None => block.replacen(&needle, &format!("{needle}\nwhen = \"{rule}\""), 1),
    };
    format!("{}{new_block}{}", &text[..start], &text[end..])
}
