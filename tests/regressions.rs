//! One answer, one place: commands that judge the same thing agree, and what the
//! engine cannot compute is an error, never a silent blank.

use ctrlmap::CatalogGraph;
use ctrlmap::FactValues;
use ctrlmap::Incident;
use ctrlmap::Item;
use ctrlmap::SourceMap;
use ctrlmap::Sources;
use ctrlmap::explain;
use ctrlmap::{ScopeMode, Status, evaluate};

use crate::common::{ctrlmap, incidents};

const WITHDRAWN: &str = "tests/fixtures/withdrawn";

/// A JSON report, parsed.
fn parsed(report: &str) -> serde_json::Value {
    serde_json::from_str(report).expect("a JSON report")
}

/// The entry of the array `list` of a JSON report whose `field` is `value`.
fn entry(json: &serde_json::Value, list: &str, field: &str, value: &str) -> serde_json::Value {
    json[list]
        .as_array()
        .unwrap_or_else(|| panic!("the report has {list}"))
        .iter()
        .find(|e| e[field] == value)
        .cloned()
        .unwrap_or_else(|| panic!("{value} is in {list}"))
}

/// The entry of the JSON report's `facts` for `key`.
fn listed_fact(report: &str, key: &str) -> serde_json::Value {
    entry(&parsed(report), "facts", "fact", key)
}
const FLICKR: &str = "incidents/flickr-2026-02.toml";

#[test]
fn a_withdrawn_control_is_left_out_by_report_explain_and_draft_alike() {
    let report = ctrlmap(&["report", FLICKR, "--controls", WITHDRAWN, "--format", "json"]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert!(
        report.stdout.contains("\"retired:live.notify\""),
        "the active control is reported"
    );
    assert!(
        !report.stdout.contains("retired:old"),
        "the withdrawn control is not reported"
    );

    for id in ["retired:old", "retired:old.notify"] {
        let explained = ctrlmap(&["explain", FLICKR, id, "--controls", WITHDRAWN]);
        assert_eq!(explained.code, 0, "{}", explained.stderr);
        assert!(
            explained.stdout.contains("Result: not-applicable") && explained.stdout.contains("has status `withdrawn`"),
            "explain {id} must agree with the report:\n{}",
            explained.stdout
        );
    }
    let draft = ctrlmap(&["draft", FLICKR, "retired:old.notify", "--controls", WITHDRAWN]);
    assert_eq!(draft.code, 0, "{}", draft.stderr);
    assert!(draft.stdout.is_empty(), "no draft is written: {}", draft.stdout);
    assert!(
        draft.stderr.contains("its control `retired:old` is withdrawn"),
        "draft says why: {}",
        draft.stderr
    );
}

#[test]
fn an_assumed_number_is_reported_as_assumed() {
    let args = ["--assume", "count:US-CA=600", "--scope", "all"];
    let report = ctrlmap(&[&["report", FLICKR, "--format", "json"][..], &args[..]].concat());
    assert_eq!(report.code, 0, "{}", report.stderr);
    let fact = listed_fact(&report.stdout, "count:US-CA");
    assert_eq!(fact["value"], "600");
    assert_eq!(fact["source"], "assumed", "{fact}");
    assert_eq!(fact["field"], "--assume", "{fact}");

    let explained = ctrlmap(&[&["explain", FLICKR, "us-ca-breach:1798.82.regulator"][..], &args[..]].concat());
    assert_eq!(explained.code, 0, "{}", explained.stderr);
    assert!(
        explained.stdout.contains("`count:US-CA` = 600 — assumed with --assume"),
        "{}",
        explained.stdout
    );
}

#[test]
fn a_stated_number_is_reported_with_its_place() {
    let report = ctrlmap(&[
        "report",
        "incidents/us-retailer-card-vendor-2026.toml",
        "--format",
        "json",
    ]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let fact = listed_fact(&report.stdout, "count:US-CA");
    assert_eq!(fact["source"], "stated", "{fact}");
    assert_eq!(fact["field"], "affected.counts", "{fact}");
    assert!(fact["line"].as_u64().is_some(), "{fact}");
}

#[test]
fn a_deadline_past_the_end_of_the_calendar_is_an_error_at_its_date() {
    let run = ctrlmap(&["report", "tests/fixtures/overflow/year-9999.toml"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.is_empty(), "nothing is printed: {}", run.stdout);
    assert!(
        run.stderr.contains("after the last date ctrlmap can compute")
            && run.stderr.contains("tests/fixtures/overflow/year-9999.toml:6:14")
            && run.stderr.contains("timeline.discovered"),
        "{}",
        run.stderr
    );
}

/// `explain` gives, for every framework, control and obligation of the catalog and every
/// example incident, in both scopes, the status the report gives it (not applicable
/// when the report leaves it out).
#[test]
fn explain_agrees_with_the_report_on_every_item() {
    let mut map = SourceMap::new();
    let (catalog, _) = ctrlmap::load_catalog(&Sources::embedded(), &mut map).expect("catalog");
    let graph = CatalogGraph::build(&catalog);
    let ids: Vec<&str> = catalog
        .frameworks()
        .iter()
        .map(|f| f.id.as_str())
        .chain(catalog.controls().map(|c| c.id.as_str()))
        .chain(catalog.obligations().map(|o| o.id.as_str()))
        .collect();
    for path in incidents() {
        let incident = Incident::load(&path, &catalog.taxonomy, &mut map).expect("incident");
        let values = FactValues::close(&catalog.taxonomy, &incident).expect("facts");
        for scope in [ScopeMode::Org, ScopeMode::All] {
            let exposure = evaluate(&catalog, &graph, &incident, &values, scope).expect("in range");
            for id in &ids {
                let listed = exposure.listed_status(id).unwrap_or(Status::NotApplicable);
                let item = Item::find(&catalog, id).expect("an id of the catalog");
                assert_eq!(exposure.verdict(&item).status, listed, "{}: {id}", path.display());
                let text = explain(&exposure, &map, id).expect("explained");
                assert!(
                    text.contains(&format!("Result: {}", listed.as_str())),
                    "{} ({}): {id} should be {}:\n{text}",
                    path.display(),
                    scope.as_str(),
                    listed.as_str()
                );
            }
        }
    }
}

/// An alias in an incident is accepted, and the report says how it was written.
#[test]
fn an_alias_is_accepted_with_a_note() {
    let dir = crate::common::tempdir("alias");
    let path = dir.join("alias.toml");
    std::fs::write(
        &path,
        "id = \"alias\"\ntitle = \"Aliases\"\n[affected]\nresidency = [\"US-CA\"]\n[data]\nexposed = [\"name\", \"social-security-number\", \"iban\"]\n",
    )
    .expect("written");
    let path = path.to_string_lossy().into_owned();
    let report = ctrlmap(&["report", &path, "--format", "json"]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let fact = |key: &str| listed_fact(&report.stdout, key);
    assert_eq!(fact("data:ssn")["written_as"], "social-security-number");
    assert_eq!(fact("data:bank-account")["written_as"], "iban");
    assert!(
        fact("data:name").get("written_as").is_none(),
        "only aliases carry the note"
    );
    let markdown = ctrlmap(&["report", &path]);
    assert!(
        markdown
            .stdout
            .contains("stated in data.exposed (line 6), written `social-security-number`"),
        "{}",
        markdown.stdout
    );
    let assumed = ctrlmap(&["report", &path, "--assume", "data:password=true", "--format", "json"]);
    assert_eq!(assumed.code, 0, "an alias works with --assume: {}", assumed.stderr);
}

/// A clock that waits for a date is never hidden: it is in the timeline with its
/// missing date, in "At a glance", and the date is asked for.
#[test]
fn a_clock_waiting_for_a_date_is_shown_and_asked_for() {
    const INCIDENT: &str = "tests/fixtures/clocks/nydfs-no-determined.toml";
    let report = ctrlmap(&["report", INCIDENT, "--format", "json"]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let json = parsed(&report.stdout);
    let notice = entry(&json, "timeline", "obligation", "nydfs-500:500.17.a");
    assert!(notice["due"].is_null(), "{notice}");
    assert_eq!(notice["missing"], serde_json::json!(["determined"]));
    let question = entry(&json, "questions", "fact", "timeline.determined");
    assert_eq!(question["decides"], serde_json::json!(["nydfs-500:500.17.a"]));

    let markdown = ctrlmap(&["report", INCIDENT]);
    assert!(
        markdown
            .stdout
            .contains("- **Clocks waiting for a date:** `nydfs-500:500.17.a` (applies, needs determined)"),
        "{}",
        markdown.stdout
    );
    let batch = ctrlmap(&["batch", INCIDENT, "--format", "json"]);
    assert!(
        batch
            .stdout
            .contains("\"waiting_for\": [\n        \"determined\"\n      ]"),
        "{}",
        batch.stdout
    );
}

/// GDPR Art. 3(2): a US-only clinic with one EU-resident patient is asked whether it
/// targets or monitors people in the EU; the GDPR may apply, it does not apply outright.
#[test]
fn eu_residents_alone_do_not_bring_a_non_eu_organisation_under_the_gdpr() {
    const CLINIC: &str = "tests/fixtures/scopes/us-clinic-eu-patient.toml";
    let report = ctrlmap(&["report", CLINIC, "--format", "json"]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let json = parsed(&report.stdout);
    let gdpr = entry(&json, "frameworks", "id", "gdpr");
    assert_eq!(gdpr["status"], "may-apply");
    assert_eq!(gdpr["questions"], serde_json::json!(["status:gdpr-eu-targeting"]));
    let stated = ctrlmap(&[
        "report",
        CLINIC,
        "--format",
        "json",
        "--assume",
        "status:gdpr-eu-targeting=true",
    ]);
    assert!(stated.stdout.contains("\"id\": \"gdpr\""), "{}", stated.stderr);
    let json = parsed(&stated.stdout);
    assert_eq!(entry(&json, "frameworks", "id", "gdpr")["status"], "applies");
}

/// HIPAA: a health plan's member records are protected health information when held
/// in that capacity; without health data stated, HIPAA may apply and the report asks.
#[test]
fn member_records_of_a_health_plan_are_asked_about_as_phi() {
    const PLAN: &str = "tests/fixtures/scopes/health-plan-member-records.toml";
    let status = |extra: &[&str]| {
        let report = ctrlmap(&[&["report", PLAN, "--format", "json"][..], extra].concat());
        assert_eq!(report.code, 0, "{}", report.stderr);
        let json = parsed(&report.stdout);
        let hipaa = entry(&json, "frameworks", "id", "hipaa");
        (hipaa["status"].clone(), hipaa["questions"].clone())
    };
    assert_eq!(
        status(&[]),
        (
            serde_json::json!("may-apply"),
            serde_json::json!(["assessment:hipaa-phi"])
        )
    );
    assert_eq!(status(&["--assume", "assessment:hipaa-phi=true"]).0, "applies");
    assert_eq!(status(&["--assume", "data:health-insurance=true"]).0, "applies");
}

/// GDPR Art. 28(3)(f): a processor's own duty to assist its controllers is in the
/// report of a processor's breach, and not in a controller's.
#[test]
fn a_processor_owes_its_controllers_assistance() {
    let processor = ctrlmap(&["report", "incidents/eu-cloud-provider-2026.toml", "--format", "json"]);
    assert!(
        processor.stdout.contains("\"gdpr:art28.3.f.assist\""),
        "{}",
        processor.stderr
    );
    let controller = ctrlmap(&["report", FLICKR, "--format", "json"]);
    assert!(!controller.stdout.contains("gdpr:art28.3.f.assist"));
}

/// An incident that states the organisation is the controller is not asked whether it
/// is the processor (GDPR 33(2)).
#[test]
fn a_stated_controller_is_not_asked_about_the_processor_notice() {
    let report = ctrlmap(&["report", FLICKR, "--format", "json"]);
    assert!(report.stdout.contains("\"gdpr:art33.1\""), "{}", report.stderr);
    assert!(!report.stdout.contains("\"gdpr:art33.2\""), "33(2) is left out");
    assert!(
        !report.stdout.contains("\"status:gdpr-processor\""),
        "and not asked about"
    );
}

/// `explain` shows a deadline's arithmetic: each way of counting, and why the chosen
/// one won (DORA's initial notification for a late classification).
#[test]
fn explain_shows_the_deadline_arithmetic() {
    let run = ctrlmap(&[
        "explain",
        "tests/fixtures/deadlines/dora-late-classification.toml",
        "dora:art19.initial",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "- classified + 4h: from 2026-03-07 14:00 UTC, due 2026-03-07 18:00 UTC — chosen: the earliest that does not fall before a known start of this obligation's clocks"
        ) && run.stdout.contains(
            "- discovered + 24h: from 2026-03-06 08:00 UTC, due 2026-03-07 08:00 UTC — not chosen: it falls before a later known start of this obligation's clocks"
        ),
        "{}",
        run.stdout
    );
}

/// HIPAA 164.408(c): a breach of fewer than 500 people discovered in 2017 is reported
/// to HHS within 60 days after the end of 2017, by the end of 1 March 2018.
#[test]
fn a_clock_counted_from_the_end_of_the_year() {
    let report = ctrlmap(&[
        "report",
        "tests/fixtures/clocks/hipaa-small-2017.toml",
        "--format",
        "json",
    ]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let json = parsed(&report.stdout);
    let report_to_hhs = entry(&json, "timeline", "obligation", "hipaa:164.408.small");
    assert_eq!(report_to_hhs["due"], "2018-03-01T23:59:59Z");
    let markdown = ctrlmap(&["report", "tests/fixtures/clocks/hipaa-small-2017.toml"]);
    assert!(
        markdown.stdout.contains("year-end of discovered + 60d"),
        "{}",
        markdown.stdout
    );
}

/// NYDFS 500.17(a): a cybersecurity event is notified only when it meets a 500.1(g)
/// test; where the incident does not say, the notice may apply and the tests are asked.
#[test]
fn the_dfs_notice_asks_for_the_cybersecurity_incident_tests() {
    let report = ctrlmap(&[
        "explain",
        "tests/fixtures/clocks/nydfs-no-determined.toml",
        "nydfs-500:500.17.a",
        "--assume",
        "assessment:nydfs-notice-elsewhere=unknown",
    ]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert!(report.stdout.contains("Result: may-apply"), "{}", report.stdout);
    assert!(
        report
            .stdout
            .contains("`assessment:nydfs-notice-elsewhere` (Must the incident be notified")
            && report.stdout.contains("`assessment:nydfs-material-harm`"),
        "{}",
        report.stdout
    );
}
