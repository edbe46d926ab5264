//! Holiday calendars, end-of-day deadlines and weekend relief, against the dates the
//! law's own texts give.

use ctrlmap::SourceMap;
use ctrlmap::Sources;
use jiff::civil::{Date, date};

use crate::common::ctrlmap;

const FIXTURES: &str = "tests/fixtures/calendars";

/// The JSON report of a fixture incident, parsed.
fn json_report(name: &str) -> serde_json::Value {
    crate::common::json_report(&["report", &format!("{FIXTURES}/{name}.toml"), "--format", "json"])
}

use crate::common::listed as obligation;

/// The timeline entry of obligation `id`.
fn timeline(report: &serde_json::Value, id: &str) -> serde_json::Value {
    report["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|t| t["obligation"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{id} is in the timeline"))
}

#[test]
fn the_sec_filing_skips_columbus_day_and_ends_at_the_edgar_cut_off() {
    let report = json_report("sec-columbus-day");
    let filing = obligation(&report, "sec-8k:1.05.filing");
    // Wednesday 11 October 2023, 17:30 in New York (EDT, UTC-4).
    assert_eq!(filing["deadline"]["due"], "2023-10-11T21:30:00Z");
    assert_eq!(filing["deadline"]["calendar"], "us-federal");
    assert_eq!(filing["deadline"]["end_of_day"], "America/New_York");
    assert_eq!(filing["deadline"]["cutoff"], "17:30");
    assert_eq!(timeline(&report, "sec-8k:1.05.filing")["due"], "2023-10-11T21:30:00Z");

    let explained = ctrlmap(&[
        "explain",
        &format!("{FIXTURES}/sec-columbus-day.toml"),
        "sec-8k:1.05.filing",
    ]);
    assert_eq!(explained.code, 0, "{}", explained.stderr);
    assert!(
        explained.stdout.contains("holidays skipped: 2023-10-09 (Columbus Day)")
            && explained
                .stdout
                .contains("the due day ends at 17:30 America/New_York time"),
        "{}",
        explained.stdout
    );
}

#[test]
fn a_count_past_the_calendar_years_is_shown_as_not_computable_with_why() {
    let report = json_report("sec-after-the-calendar");
    let entry = timeline(&report, "sec-8k:1.05.filing");
    assert_eq!(entry["due"], serde_json::Value::Null, "never guessed");
    let note = entry["note"].as_str().expect("a note says why");
    assert!(
        note.contains("covers 2020–2035") && note.contains("2036-01-0"),
        "{note}"
    );
    let filing = obligation(&report, "sec-8k:1.05.filing");
    assert_eq!(filing["deadline"]["note"], entry["note"]);

    let markdown = ctrlmap(&["report", &format!("{FIXTURES}/sec-after-the-calendar.toml")]);
    assert!(
        markdown.stdout.contains("**Clock not counted:** `sec-8k:1.05.filing`"),
        "{}",
        markdown.stdout
    );
}

#[test]
fn a_payment_institution_gets_dora_weekend_relief_and_a_bank_does_not() {
    // The initial notification is due 24 hours after awareness: Saturday 14 November.
    let payment = json_report("dora-payment-institution");
    let initial = obligation(&payment, "dora:art19.initial");
    assert_eq!(initial["deadline"]["due"], "2026-11-14T10:00:00Z");
    // Monday 16 November, 12:00 in Germany (CET, UTC+1).
    assert_eq!(initial["relief"]["due"], "2026-11-16T11:00:00Z");
    assert_eq!(initial["relief"]["calendar"], "de");
    assert_eq!(initial["relief"]["status"], "applies");
    // The timeline keeps the strict time.
    assert_eq!(timeline(&payment, "dora:art19.initial")["due"], "2026-11-14T10:00:00Z");

    let bank = json_report("dora-credit-institution");
    let initial = obligation(&bank, "dora:art19.initial");
    assert_eq!(initial["deadline"]["due"], "2026-11-14T10:00:00Z");
    assert!(
        initial.get("relief").is_none(),
        "no relief for a credit institution: {initial}"
    );
}

#[test]
fn relief_for_an_entity_of_unknown_type_is_shown_with_its_questions() {
    let report = json_report("dora-entity-unknown");
    let relief = &obligation(&report, "dora:art19.initial")["relief"];
    assert_eq!(relief["status"], "may-apply");
    assert_eq!(relief["due"], "2026-11-16T11:00:00Z");
    let questions: Vec<&str> = relief["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .filter_map(|q| q.as_str())
        .collect();
    assert!(
        questions.contains(&"status:dora-credit-institution") && questions.contains(&"status:nis2-essential"),
        "{questions:?}"
    );
}

/// The holidays of one calendar of the shipped catalog in one year.
fn holidays(id: &str, year: i16) -> Vec<Date> {
    let mut map = SourceMap::new();
    let (catalog, _) = ctrlmap::load_catalog(&Sources::embedded(), &mut map).expect("loads");
    let calendar = catalog.calendar(id).unwrap_or_else(|| panic!("calendar {id}"));
    calendar
        .holidays()
        .map(|(d, _)| d)
        .filter(|d| d.year() == year)
        .collect()
}

#[test]
fn the_shipped_calendars_give_the_published_dates() {
    // OPM's list of federal holidays for 2024.
    assert_eq!(
        holidays("us-federal", 2024),
        [
            date(2024, 1, 1),
            date(2024, 1, 15),
            date(2024, 2, 19),
            date(2024, 5, 27),
            date(2024, 6, 19),
            date(2024, 7, 4),
            date(2024, 9, 2),
            date(2024, 10, 14),
            date(2024, 11, 11),
            date(2024, 11, 28),
            date(2024, 12, 25),
        ]
    );
    // New Year's Day 2022 fell on a Saturday: observed on Friday 31 December 2021.
    assert!(holidays("us-federal", 2021).contains(&date(2021, 12, 31)));
    // Juneteenth 2022 fell on a Sunday: observed on Monday 20 June.
    assert!(holidays("us-federal", 2022).contains(&date(2022, 6, 20)));
    // Juneteenth did not exist in 2020.
    assert!(!holidays("us-federal", 2020).contains(&date(2020, 6, 19)));
    // Germany 2025: Good Friday 18 April, Easter Monday 21 April, Ascension 29 May,
    // Whit Monday 9 June.
    let de = holidays("de", 2025);
    for d in [
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 5, 29),
        date(2025, 6, 9),
    ] {
        assert!(de.contains(&d), "{d}");
    }
    // Ireland: Christmas 2021 on a Saturday, St Stephen's Day on a Sunday.
    let ie = holidays("ie", 2021);
    assert!(ie.contains(&date(2021, 12, 27)) && ie.contains(&date(2021, 12, 28)));
    // The Netherlands: King's Day 2025 moved to Saturday 26 April.
    assert!(holidays("nl", 2025).contains(&date(2025, 4, 26)));
    // Italy: St Francis of Assisi from 2026.
    assert!(holidays("it", 2027).contains(&date(2027, 10, 4)));
    assert!(!holidays("it", 2025).contains(&date(2025, 10, 4)));
}

#[test]
fn the_calendars_are_listed() {
    let run = ctrlmap(&["list", "calendars"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for id in ["us-federal", "de", "es", "fr", "ie", "it", "lu", "nl"] {
        assert!(run.stdout.contains(id), "{id}: {}", run.stdout);
    }
}
