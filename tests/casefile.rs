//! The case file: what was done and when, who decided what, and local time.

use crate::common::ctrlmap;

const FRIDAY: &str = "incidents/friday-night-2026-11.toml";

use crate::common::json_report as json;

use crate::common::listed as obligation;

#[test]
fn the_friday_night_case_counts_from_the_filing_and_shows_amsterdam_time() {
    let report = json(&["report", FRIDAY, "--format", "json"]);
    assert_eq!(report["incident"]["timezone"], "Europe/Amsterdam");

    // The initial notification was due at 18:00 CET and filed at 15:10 CET.
    let initial = obligation(&report, "dora:art19.initial");
    assert_eq!(initial["deadline"]["due"], "2026-11-14T17:00:00Z");
    assert_eq!(initial["done"]["at"], "2026-11-14T14:10:00Z");
    assert_eq!(
        initial["done"]["at_local"],
        "2026-11-14T15:10:00+01:00[Europe/Amsterdam]"
    );
    assert_eq!(initial["done"]["on_time"], true);
    assert_eq!(initial["done"]["ref"], "DNB-2026-11-0042");

    // The intermediate report: 72 hours from the filing, not from 18:00.
    let intermediate = obligation(&report, "dora:art19.intermediate");
    assert_eq!(intermediate["deadline"]["due"], "2026-11-17T14:10:00Z");
    assert_eq!(
        intermediate["deadline"]["due_local"],
        "2026-11-17T15:10:00+01:00[Europe/Amsterdam]"
    );

    // Done items leave the timeline's open work but stay recorded.
    let timeline = report["timeline"].as_array().expect("timeline");
    let initial_entry = timeline
        .iter()
        .find(|t| t["obligation"] == "dora:art19.initial")
        .expect("listed");
    assert_eq!(initial_entry["done"], "2026-11-14T14:10:00Z");

    // The decisions, with who and when, in the facts.
    let facts = report["facts"].as_array().expect("facts");
    let risk = facts
        .iter()
        .find(|f| f["fact"] == "assessment:gdpr-high-risk")
        .expect("listed");
    assert_eq!(risk["decided"]["by"], "DPO");
    assert_eq!(risk["decided"]["at"], "2026-11-14T08:00:00Z");

    let markdown = ctrlmap(&["report", FRIDAY]);
    let text = &markdown.stdout;
    assert!(
        text.contains("| 2026-11-17 14:10 (2026-11-17 15:10 Europe/Amsterdam) | `dora:art19.intermediate`"),
        "{text}"
    );
    assert!(text.contains("done time of dora:art19.initial + 72h"), "{text}");
    assert!(text.contains("- [x] Submit the initial notification"), "{text}");
    assert!(
        text.contains("- **First deadline:** `gdpr:art33.1`"),
        "the done item is not the first deadline: {text}"
    );
    assert!(
        text.contains("stated in facts (line 55); decided by DPO on 2026-11-14 08:00 UTC"),
        "the facts table says who decided: {text}"
    );
    let decisions = text.split("## Decisions").nth(1).expect("a Decisions section");
    let dpo = decisions.find("by DPO").expect("the DPO's decision");
    let ciso = decisions.find("by CISO").expect("the CISO's decision");
    assert!(dpo < ciso, "in time order: {decisions}");
}

#[test]
fn a_late_notice_is_done_and_late() {
    let path = "tests/fixtures/casefile/late-gdpr-notice.toml";
    let report = json(&["report", path, "--format", "json"]);
    let notice = obligation(&report, "gdpr:art33.1");
    assert_eq!(notice["deadline"]["due"], "2026-03-05T09:00:00Z");
    assert_eq!(notice["done"]["on_time"], false);
    let markdown = ctrlmap(&["report", path, "--now", "2026-03-06T09:00:00Z"]);
    assert!(
        markdown.stdout.contains("| done | `gdpr:art33.1`") && markdown.stdout.contains("late by 8h, by DPO"),
        "{}",
        markdown.stdout
    );
}

#[test]
fn a_done_item_that_does_not_apply_is_a_warning() {
    let run = ctrlmap(&["report", "tests/fixtures/casefile/done-not-applicable.toml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning[dangling-reference]: done: `nis2:art23.early-warning` does not apply"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("**Recorded as done, but not applicable here:** `nis2:art23.early-warning`"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_first_screen_says_what_is_overdue_and_due_within_a_day() {
    let run = ctrlmap(&["report", FRIDAY, "--now", "2026-11-17T12:00:00Z"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let glance = run.stdout.split("## At a glance").nth(1).expect("At a glance");
    let first = glance.lines().find(|l| l.starts_with("- ")).expect("a first line");
    assert!(
        first.starts_with("- **Overdue:** `gdpr:art33.1` (overdue by 15h"),
        "{first}"
    );
    assert!(
        glance.contains("- **Due in the next 24 hours:** `dora:art19.intermediate` (in 2h"),
        "{glance}"
    );
    let clock = ctrlmap(&["report", FRIDAY, "--now", "now"]);
    assert!(
        clock.stdout.contains("(this machine's clock when the report was made)"),
        "{}",
        clock.stdout
    );
}

#[test]
fn a_report_can_be_narrowed_to_the_statutory_duties() {
    let report = json(&["report", FRIDAY, "--format", "json", "--kind", "law,regulation"]);
    let kinds: Vec<&str> = report["frameworks"]
        .as_array()
        .expect("frameworks")
        .iter()
        .filter_map(|f| f["kind"].as_str())
        .collect();
    assert!(
        !kinds.is_empty() && kinds.iter().all(|k| *k == "law" || *k == "regulation"),
        "{kinds:?}"
    );
    assert!(
        report["checklist"]
            .as_array()
            .expect("checklist")
            .iter()
            .all(|c| c["statutory"] == true)
    );

    let one = json(&["report", FRIDAY, "--format", "json", "--framework", "dora"]);
    assert_eq!(one["frameworks"].as_array().expect("frameworks").len(), 1);
    let unknown = ctrlmap(&["report", FRIDAY, "--framework", "dorra"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("did you mean `dora`?"), "{}", unknown.stderr);

    // In the full report, statutory duties come first, each group under its heading.
    let full = ctrlmap(&["report", FRIDAY]).stdout;
    let statutory = full
        .find("### Statutory duties (laws and regulations)")
        .expect("heading");
    let practice = full
        .find("### Good practice (standards and guidance)")
        .expect("heading");
    assert!(statutory < practice);
}

#[test]
fn caveats_reach_the_report_and_explain() {
    let report = json(&["report", FRIDAY, "--format", "json"]);
    let caveats = obligation(&report, "dora:art19.initial")["caveats"].clone();
    assert!(
        caveats[0].as_str().is_some_and(|c| c.contains("Art. 5(6)")),
        "{caveats}"
    );
    let explained = ctrlmap(&["explain", FRIDAY, "dora:art19.initial"]);
    assert!(explained.stdout.contains("## Caveats"), "{}", explained.stdout);
}

#[test]
fn the_new_incident_template_is_snapshot_and_loads_once_filled() {
    let _guard = crate::common::snapshot_settings().bind_to_scope();
    // The template of the small fixture catalog, as a user sees it.
    let small = ctrlmap(&[
        "new",
        "acme-2026",
        "--no-default-controls",
        "--controls",
        "tests/fixtures/catalog",
    ]);
    assert_eq!(small.code, 0, "{}", small.stderr);
    insta::assert_snapshot!("new_template", small.stdout);

    // With the shipped catalog, filled with a title, it loads and reports.
    let dir = crate::common::tempdir("new-template");
    let path = dir.join("acme.toml");
    let path_arg = path.display().to_string();
    let written = ctrlmap(&["new", "acme-2026", "--output", &path_arg]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    let again = ctrlmap(&["new", "acme-2026", "--output", &path_arg]);
    assert_eq!(again.code, 2, "an existing file is left alone");
    let text = std::fs::read_to_string(&path).expect("written");
    std::fs::write(&path, text.replacen("title = \"\"", "title = \"Filled in\"", 1)).expect("write");
    let report = ctrlmap(&["report", &path_arg]);
    assert_eq!(report.code, 0, "{}", report.stderr);

    // From a VERIS incident: the import, then the other keys as comments; it loads too.
    let veris = ctrlmap(&["new", "--from", "veris", "tests/fixtures/import/veris-mapped.json"]);
    assert_eq!(veris.code, 0, "{}", veris.stderr);
    assert!(
        veris.stdout.contains("# The other keys an incident may give"),
        "{}",
        veris.stdout
    );
    let imported = dir.join("veris.toml");
    std::fs::write(&imported, &veris.stdout).expect("write");
    let report = ctrlmap(&["report", &imported.display().to_string()]);
    assert_eq!(report.code, 0, "{}", report.stderr);
}

#[test]
fn the_calendar_file_parses_with_an_icalendar_reader() {
    use icalendar::{Calendar, CalendarComponent, Component};

    let run = ctrlmap(&["report", FRIDAY, "--format", "ics"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.lines().all(|l| l.len() <= 76), "lines fold at 75 octets");
    assert!(run.stdout.contains("\r\n"), "content lines end with CRLF");
    let calendar: Calendar = run.stdout.parse().expect("an iCalendar file");
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    // One event per dated obligation of the report.
    let report = json(&["report", FRIDAY, "--format", "json"]);
    let dated = report["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter(|t| !t["due"].is_null())
        .count();
    assert_eq!(events.len(), dated);
    let intermediate = events
        .iter()
        .find(|e| e.get_uid() == Some("friday-night-2026-11.dora:art19.intermediate@ctrlmap"))
        .expect("a stable UID per incident and obligation");
    assert!(
        intermediate
            .get_summary()
            .is_some_and(|s| s.starts_with("dora:art19.intermediate — intermediate report")),
        "{:?}",
        intermediate.get_summary()
    );
    let start = intermediate.get_start().expect("a start");
    assert!(format!("{start:?}").contains("2026-11-17T14:10:00"), "{start:?}");
    assert!(
        run.stdout.contains("BEGIN:VALARM\r\nACTION:DISPLAY"),
        "an alarm before open items"
    );
    let description = intermediate.get_description().expect("a description");
    assert!(
        description.contains("ctrlmap explain incidents/friday-night-2026-11.toml dora:art19.intermediate"),
        "{description}"
    );
    // The same incident gives the same file: a re-import updates, never duplicates.
    assert_eq!(ctrlmap(&["report", FRIDAY, "--format", "ics"]).stdout, run.stdout);
}

#[test]
fn check_reads_incidents_against_the_catalog() {
    let ok = ctrlmap(&["check", FRIDAY, "tests/fixtures/casefile/done-not-applicable.toml"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stdout.contains(", 2 incidents, 1 warning"), "{}", ok.stdout);
    assert!(
        ok.stderr.contains("`nis2:art23.early-warning` does not apply"),
        "{}",
        ok.stderr
    );
    let bad = ctrlmap(&["check", "tests/hostile/incident/done-unknown-obligation.toml"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("did you mean `dora:art19.initial`?"),
        "{}",
        bad.stderr
    );
}

#[test]
fn new_and_batch_never_write_over_what_they_read() {
    let bad = ctrlmap(&["new", "bad id"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("is not a valid incident id"), "{}", bad.stderr);

    let dir = crate::common::tempdir("batch-summary-input");
    let incident = dir.join("case.toml");
    std::fs::copy(FRIDAY, &incident).expect("copy");
    let path = incident.display().to_string();
    let run = ctrlmap(&["batch", &path, "--summary", &path]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is the input file"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(&incident).expect("still there"),
        std::fs::read_to_string(FRIDAY).expect("original")
    );
}
