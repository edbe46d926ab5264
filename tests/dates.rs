//! Effective dates: a framework or obligation with `effective` or `until` is judged by
//! the day the incident was discovered. Before or after its dates it is left out, and
//! the report says so; without a discovery date it may apply, and the date is the
//! question. `report`, `explain` and `draft` agree.

use crate::common::{ctrlmap, snapshot_settings};

const DATED: &[&str] = &[
    "--no-default-controls",
    "--controls",
    "tests/fixtures/dated/dated.toml",
    "--controls",
    "tests/fixtures/catalog/taxonomy.toml",
];

fn incident(name: &str) -> String {
    format!("tests/fixtures/dated/{name}.toml")
}

/// The JSON report of a dated fixture incident against the dated catalog.
fn report(name: &str) -> serde_json::Value {
    let run = ctrlmap(&[&["report", &incident(name), "--format", "json"][..], DATED].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("a JSON report")
}

/// Every listed item's status, by id: frameworks, controls and obligations.
fn statuses(json: &serde_json::Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in json["frameworks"].as_array().expect("frameworks") {
        out.push((f["id"].as_str().unwrap_or_default().to_owned(), f["status"].to_string()));
        for c in f["controls"].as_array().expect("controls") {
            for o in c["obligations"].as_array().expect("obligations") {
                out.push((o["id"].as_str().unwrap_or_default().to_owned(), o["status"].to_string()));
            }
        }
    }
    out
}

fn status_of(json: &serde_json::Value, id: &str) -> Option<String> {
    statuses(json)
        .into_iter()
        .find(|(i, _)| i == id)
        .map(|(_, s)| s.trim_matches('"').to_owned())
}

fn not_in_force(json: &serde_json::Value) -> Vec<String> {
    json["not_in_force"]
        .as_array()
        .expect("not_in_force")
        .iter()
        .map(|e| e["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_framework_is_not_applied_before_its_effective_date_and_the_report_says_why() {
    let json = report("discovered-2026-08-20");
    assert_eq!(status_of(&json, "dated").as_deref(), Some("not-applicable"));
    assert_eq!(not_in_force(&json), ["dated"]);
    let entry = &json["not_in_force"][0];
    assert_eq!(entry["effective"], "2026-09-11", "{entry}");
    assert_eq!(entry["discovered"], "2026-08-20", "{entry}");
    assert_eq!(entry["in_force"], "false", "{entry}");
    assert!(
        entry["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("not yet in force"),
        "{entry}"
    );
    assert_eq!(json["frameworks"][0]["in_force"]["in_force"], "false");
}

#[test]
fn the_effective_day_itself_is_in_force() {
    let json = report("discovered-2026-09-11");
    assert_eq!(status_of(&json, "dated").as_deref(), Some("applies"));
    assert_eq!(status_of(&json, "dated:report.early").as_deref(), Some("applies"));
    // An obligation that starts later is out, and listed as such.
    assert_eq!(status_of(&json, "dated:report.later"), None);
    assert_eq!(not_in_force(&json), ["dated:report.later"]);
}

#[test]
fn an_obligation_is_out_from_its_until_day() {
    let json = report("discovered-2026-10-05");
    assert_eq!(status_of(&json, "dated:report.repealed"), None);
    assert_eq!(not_in_force(&json), ["dated:report.later", "dated:report.repealed"]);
    let repealed = &json["not_in_force"][1];
    assert_eq!(repealed["until"], "2026-10-01", "{repealed}");
    assert!(
        repealed["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("no longer in force"),
        "{repealed}"
    );

    let json = report("discovered-2028-01-10");
    assert_eq!(status_of(&json, "dated:report.later").as_deref(), Some("applies"));
    assert_eq!(not_in_force(&json), ["dated:report.repealed"]);
}

#[test]
fn without_a_discovery_date_dated_items_may_apply_and_the_date_is_asked_for() {
    let json = report("undated-incident");
    for id in [
        "dated",
        "dated:report.early",
        "dated:report.later",
        "dated:report.repealed",
    ] {
        assert_eq!(status_of(&json, id).as_deref(), Some("may-apply"), "{id}");
    }
    assert!(not_in_force(&json).is_empty());
    let question = json["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .find(|q| q["fact"] == "timeline.discovered")
        .cloned()
        .expect("the discovery date is asked for");
    for id in ["dated", "dated:report.later", "dated:report.repealed"] {
        assert!(
            question["decides"]
                .as_array()
                .is_some_and(|d| d.iter().any(|x| x == id)),
            "{id} in {question}"
        );
    }
    assert_eq!(json["frameworks"][0]["questions"][0], "timeline.discovered");
}

#[test]
fn explain_and_draft_agree_with_the_report_on_dated_items() {
    for name in [
        "discovered-2026-08-20",
        "discovered-2026-09-11",
        "discovered-2026-10-05",
        "discovered-2028-01-10",
        "undated-incident",
    ] {
        let json = report(name);
        for id in [
            "dated",
            "dated:report",
            "dated:report.early",
            "dated:report.later",
            "dated:report.repealed",
        ] {
            let listed = if id == "dated:report" {
                json["frameworks"][0]["controls"]
                    .as_array()
                    .and_then(|c| c.first())
                    .map(|c| c["status"].as_str().unwrap_or_default().to_owned())
            } else {
                status_of(&json, id)
            };
            let listed = listed.unwrap_or_else(|| "not-applicable".to_owned());
            let explained = ctrlmap(&[&["explain", &incident(name), id][..], DATED].concat());
            assert_eq!(explained.code, 0, "{}", explained.stderr);
            assert!(
                explained.stdout.contains(&format!("Result: {listed}")),
                "{name}: {id} should be {listed}:\n{}",
                explained.stdout
            );
        }
    }
    let draft = ctrlmap(
        &[
            &["draft", &incident("discovered-2026-10-05"), "dated:report.repealed"][..],
            DATED,
        ]
        .concat(),
    );
    assert_eq!(draft.code, 0, "{}", draft.stderr);
    assert!(
        draft.stdout.is_empty(),
        "no draft for an obligation out of force: {}",
        draft.stdout
    );
    assert!(draft.stderr.contains("no longer in force"), "{}", draft.stderr);
}

/// The Markdown report and `explain` for a framework before its date, as a user sees them.
#[test]
fn dated_report_and_explain_snapshots() {
    let _guard = snapshot_settings().bind_to_scope();
    let report = ctrlmap(&[&["report", &incident("discovered-2026-10-05")][..], DATED].concat());
    assert_eq!(report.code, 0, "{}", report.stderr);
    let markdown: String = report
        .stdout
        .split("\n## Diagram")
        .next()
        .unwrap_or_default()
        .to_owned();
    insta::assert_snapshot!("dated_report_markdown", markdown);
    let undated = ctrlmap(&[&["report", &incident("undated-incident")][..], DATED].concat());
    let markdown: String = undated
        .stdout
        .split("\n## Diagram")
        .next()
        .unwrap_or_default()
        .to_owned();
    insta::assert_snapshot!("undated_report_markdown", markdown);
    let explained = ctrlmap(&[&["explain", &incident("discovered-2026-08-20"), "dated"][..], DATED].concat());
    insta::assert_snapshot!("dated_explain_before", explained.stdout);
}
