//! The 54 US breach-notification laws against a table written from the statutes, not
//! from the catalog (`tests/fixtures/us/jurisdictions.tsv`): who is covered, the
//! residents' clock, the regulator and consumer-agency thresholds at the count just
//! below and at them, credentials alone, the encryption safe harbour and the
//! risk-of-harm exemption. Also the README's table of the laws, generated from the
//! catalog.

use std::fmt::Write as _;

use jiff::{Span, Timestamp, tz::TimeZone};

use ctrlmap::Catalog;
use ctrlmap::CatalogGraph;
use ctrlmap::FactValues;
use ctrlmap::Incident;
use ctrlmap::SourceMap;
use ctrlmap::Sources;
use ctrlmap::{ScopeMode, Status, evaluate};

use crate::common::root;

const DISCOVERED: &str = "2026-03-02T10:00:00Z";
const DETERMINED: &str = "2026-03-04T10:00:00Z";

/// One row of the independent table.
struct Law {
    code: String,
    within: Option<i64>,
    from: String,
    regulator: Threshold,
    agencies: Threshold,
    credentials_alone: bool,
    harm_exemption: bool,
}

/// A notice threshold on the number of affected residents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Threshold {
    None,
    Any,
    AtLeast(u64),
    MoreThan(u64),
}

impl Threshold {
    fn parse(op: &str, n: &str) -> Threshold {
        let n: u64 = n.parse().expect("a count");
        match op {
            "none" => Threshold::None,
            "any" => Threshold::Any,
            ">=" => Threshold::AtLeast(n),
            ">" => Threshold::MoreThan(n),
            other => panic!("unknown threshold operator {other}"),
        }
    }

    /// The smallest count that meets the threshold, if any does.
    fn first(self) -> Option<u64> {
        match self {
            Threshold::None => None,
            Threshold::Any => Some(1),
            Threshold::AtLeast(n) => Some(n),
            Threshold::MoreThan(n) => Some(n + 1),
        }
    }
}

fn laws() -> Vec<Law> {
    let text = std::fs::read_to_string(root().join("tests/fixtures/us/jurisdictions.tsv")).expect("the table");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let c: Vec<&str> = line.split('\t').collect();
            assert_eq!(c.len(), 10, "ten columns: {line}");
            Law {
                code: c[0].to_owned(),
                within: c[1].strip_suffix('d').map(|d| d.parse().expect("days")),
                from: c[2].to_owned(),
                regulator: Threshold::parse(c[3], c[4]),
                agencies: Threshold::parse(c[5], c[6]),
                credentials_alone: c[7] == "yes",
                harm_exemption: c[8] == "yes",
            }
        })
        .collect()
}

fn catalog(map: &mut SourceMap) -> Catalog {
    ctrlmap::load_catalog(&Sources::embedded(), map)
        .expect("the catalog loads")
        .0
}

/// What the report says of one law for one incident.
struct Outcome {
    framework: Status,
    /// Status of each listed obligation of the law, by id suffix (`residents`, ...).
    obligations: Vec<(String, Status, Option<Timestamp>)>,
}

impl Outcome {
    fn status(&self, suffix: &str) -> Status {
        self.obligations
            .iter()
            .find(|(id, _, _)| id.ends_with(&format!(".{suffix}")))
            .map_or(Status::NotApplicable, |(_, s, _)| *s)
    }

    fn due(&self, suffix: &str) -> Option<Timestamp> {
        self.obligations
            .iter()
            .find(|(id, _, _)| id.ends_with(&format!(".{suffix}")))
            .and_then(|(_, _, d)| *d)
    }
}

fn run(catalog: &Catalog, graph: &CatalogGraph<'_>, code: &str, exposed: &str, count: u64, facts: &str) -> Outcome {
    let text = format!(
        r#"id = "state-{code}"
title = "A breach of {code} residents' data"
[timeline]
discovered = "{DISCOVERED}"
determined = "{DETERMINED}"
[organization]
established = ["US"]
not_status = ["data-maintainer", "glba-compliant", "hipaa-compliant"]
[affected]
residency = ["US-{code}"]
count = {count}
counts = {{ US-{code} = {count} }}
[data]
exposed = [{exposed}]
[facts]
"status:us-ga-information-broker" = true
{facts}
"#
    );
    let mut map = SourceMap::new();
    let file = map.add(format!("state-{code}.toml"), text);
    let incident = Incident::parse(file, &catalog.taxonomy, &map).expect("the incident is valid");
    let values = FactValues::close(&catalog.taxonomy, &incident).expect("no contradiction");
    let exposure = evaluate(catalog, graph, &incident, &values, ScopeMode::Org).expect("in range");
    let id = format!("us-{}-breach", code.to_lowercase());
    let f = exposure
        .frameworks
        .iter()
        .find(|f| f.framework.id == id)
        .unwrap_or_else(|| panic!("{id} is in the catalog"));
    Outcome {
        framework: f.status,
        obligations: f
            .controls
            .iter()
            .flat_map(|c| c.obligations.iter())
            .map(|o| {
                (
                    o.obligation.id.to_string(),
                    o.status,
                    o.due.as_ref().and_then(|d| d.due),
                )
            })
            .collect(),
    }
}

const NAME_SSN: &str = r#""name", "ssn""#;

/// Runs `check` for every law of the table, with the shipped catalog and its graph.
fn for_each_law(check: impl Fn(&Catalog, &CatalogGraph<'_>, &Law)) {
    let mut map = SourceMap::new();
    let catalog = catalog(&mut map);
    let graph = CatalogGraph::build(&catalog);
    for law in laws() {
        check(&catalog, &graph, &law);
    }
}

#[test]
fn every_jurisdiction_has_a_law_in_the_catalog() {
    let mut map = SourceMap::new();
    let catalog = catalog(&mut map);
    let laws = laws();
    assert_eq!(
        laws.len(),
        54,
        "50 states, DC, Puerto Rico, Guam and the US Virgin Islands"
    );
    let ids: Vec<&str> = catalog
        .frameworks()
        .iter()
        .map(|f| f.id.as_str())
        .filter(|id| id.starts_with("us-") && id.ends_with("-breach"))
        .collect();
    let expected: Vec<String> = laws
        .iter()
        .map(|l| format!("us-{}-breach", l.code.to_lowercase()))
        .collect();
    assert_eq!(ids, expected);
}

#[test]
fn name_and_ssn_of_one_resident_engage_every_law_with_its_clock() {
    for_each_law(|catalog, graph, law| {
        let out = run(catalog, graph, &law.code, NAME_SSN, 1, "");
        assert_ne!(out.framework, Status::NotApplicable, "{}: name + SSN", law.code);
        assert_ne!(
            out.status("residents"),
            Status::NotApplicable,
            "{}: residents",
            law.code
        );
        if let Some(days) = law.within {
            let start: Timestamp = if law.from == "determined" {
                DETERMINED
            } else {
                DISCOVERED
            }
            .parse()
            .expect("a time");
            let due = start
                .to_zoned(TimeZone::UTC)
                .checked_add(Span::new().days(days))
                .expect("in range")
                .timestamp();
            assert_eq!(
                out.due("residents"),
                Some(due),
                "{}: {days} days from {}",
                law.code,
                law.from
            );
        } else {
            assert_eq!(out.due("residents"), None, "{}: no fixed day count", law.code);
        }
    });
}

#[test]
fn regulator_and_agency_thresholds_hold_at_the_count_just_below_and_at_them() {
    for_each_law(|catalog, graph, law| {
        for (suffix, threshold) in [("regulator", law.regulator), ("consumer-agencies", law.agencies)] {
            let Some(first) = threshold.first() else {
                let out = run(catalog, graph, &law.code, NAME_SSN, 100_000, "");
                assert_eq!(
                    out.status(suffix),
                    Status::NotApplicable,
                    "{}: no {suffix} notice",
                    law.code
                );
                continue;
            };
            let at = run(catalog, graph, &law.code, NAME_SSN, first, "");
            assert_eq!(at.status(suffix), Status::Applies, "{}: {suffix} at {first}", law.code);
            if first > 1 {
                let below = run(catalog, graph, &law.code, NAME_SSN, first - 1, "");
                assert_eq!(
                    below.status(suffix),
                    Status::NotApplicable,
                    "{}: {suffix} at {}",
                    law.code,
                    first - 1
                );
            }
        }
    });
}

#[test]
fn credentials_alone_engage_only_the_laws_that_say_so() {
    for_each_law(|catalog, graph, law| {
        let out = run(catalog, graph, &law.code, r#""email", "credentials""#, 1, "");
        assert_eq!(
            out.framework != Status::NotApplicable,
            law.credentials_alone,
            "{}: email and password without a name",
            law.code
        );
    });
}

#[test]
fn encrypted_data_is_a_safe_harbour_everywhere() {
    for_each_law(|catalog, graph, law| {
        let out = run(
            catalog,
            graph,
            &law.code,
            NAME_SSN,
            1,
            r#""safeguard:data-encrypted" = true"#,
        );
        assert_eq!(out.framework, Status::NotApplicable, "{}: encrypted", law.code);
    });
}

#[test]
fn a_documented_harm_finding_exempts_only_where_the_statute_allows() {
    for_each_law(|catalog, graph, law| {
        let out = run(
            catalog,
            graph,
            &law.code,
            NAME_SSN,
            1,
            r#""assessment:us-harm-unlikely" = true"#,
        );
        assert_eq!(
            out.status("residents") == Status::NotApplicable,
            law.harm_exemption,
            "{}: residents' notice after a documented no-harm finding",
            law.code
        );
    });
}

/// The README's table of the US laws is the catalog's, not written by hand. Run with
/// `UPDATE_README=1` to write it after a catalog change.
#[test]
fn the_readme_table_of_us_laws_is_generated_from_the_catalog() {
    const START: &str = "<!-- us-breach-laws: generated by tests/us_states.rs -->\n";
    const END: &str = "<!-- /us-breach-laws -->";
    let mut map = SourceMap::new();
    let catalog = catalog(&mut map);
    let table = us_table(&catalog);
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let (Some(a), Some(b)) = (readme.find(START), readme.find(END)) else {
        panic!("README.md has no table markers `{}` … `{END}`", START.trim_end());
    };
    let current = &readme[a + START.len()..b];
    if current != table {
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!("{}{START}{table}{}", &readme[..a], &readme[b..]);
            std::fs::write(&path, updated).expect("README.md is writable");
        } else {
            panic!("the README's table of US laws is stale; run `UPDATE_README=1 cargo test --locked us_states`");
        }
    }
}

/// One row per US breach law: residents' clock, regulator and consumer-agency
/// thresholds, and whether a documented no-harm finding exempts.
fn us_table(catalog: &Catalog) -> String {
    use ctrlmap::{Expr, Rule};
    fn threshold(rule: Option<&Rule>) -> String {
        fn find(e: &Expr) -> Option<String> {
            match e {
                Expr::Compare { number, op, value } if number.starts_with("count:") => Some(format!("{op} {value}")),
                Expr::And(es) | Expr::Or(es) => es.iter().find_map(find),
                _ => None,
            }
        }
        rule.and_then(|r| find(&r.expr)).unwrap_or_else(|| "any".to_owned())
    }
    let mut out = String::from(
        "| jurisdiction | framework | residents' notice | regulator notice (residents) | consumer-agency notice (residents) | risk-of-harm exemption |\n|---|---|---|---|---|---|\n",
    );
    for f in catalog
        .frameworks()
        .iter()
        .filter(|f| f.id.starts_with("us-") && f.id.ends_with("-breach"))
    {
        let code =
            f.id.trim_start_matches("us-")
                .trim_end_matches("-breach")
                .to_uppercase();
        let place = catalog
            .taxonomy
            .lookup(&format!("residency:US-{code}"))
            .map_or(code.clone(), |p| catalog.taxonomy.fact(p).title.clone());
        let obligation = |suffix: &str| {
            f.controls()
                .iter()
                .flat_map(|c| c.obligations().iter())
                .find(|o| o.id.ends_with(&format!(".{suffix}")))
        };
        let clock = obligation("residents").and_then(|o| o.deadline.as_ref()).map_or_else(
            || "—".to_owned(),
            |d| {
                let alt = &d.alternatives[0];
                match alt.within {
                    ctrlmap::Within::WithoutUndueDelay => "without undue delay".to_owned(),
                    within => format!("{within} from {}", start(&alt.from)),
                }
            },
        );
        let notice =
            |suffix: &str| obligation(suffix).map_or_else(|| "none".to_owned(), |o| threshold(o.when.as_ref()));
        let harm = obligation("residents")
            .and_then(|o| o.when.as_ref())
            .is_some_and(|w| w.text.contains("assessment:us-harm-unlikely"));
        let _ = writeln!(
            out,
            "| {place} | `{}` | {clock} | {} | {} | {} |",
            f.id,
            notice("regulator"),
            notice("consumer-agencies"),
            if harm { "yes" } else { "no" }
        );
    }
    out
}

fn start(s: &ctrlmap::Start) -> String {
    match s {
        ctrlmap::Start::Timeline(k) => k.as_str().to_owned(),
        ctrlmap::Start::Obligation(id) => format!("`{id}`"),
    }
}

/// The case that showed the gap: a Texas retailer leaks names with SSNs of Texans and
/// Floridians. Both states' duties come out with their clocks and thresholds, and
/// nothing is reported as uncovered; a South African resident is reported as uncovered
/// (no South African law is in the catalog).
#[test]
fn texas_and_florida_residents_get_their_duties_and_south_africa_is_not_covered() {
    let mut map = SourceMap::new();
    let catalog = catalog(&mut map);
    let graph = CatalogGraph::build(&catalog);
    let path = root().join("incidents/us-texas-retailer-ssn-2026.toml");
    let incident = Incident::load(&path, &catalog.taxonomy, &mut map).expect("incident");
    let values = FactValues::close(&catalog.taxonomy, &incident).expect("facts");
    let exposure = evaluate(&catalog, &graph, &incident, &values, ScopeMode::Org).expect("in range");
    let due = |id: &str| {
        exposure
            .timeline
            .iter()
            .find(|t| t.obligation == id)
            .map(|t| (t.status, t.due.map(|d| d.to_string()).unwrap_or_default()))
    };
    let applies = |at: &str| Some((Status::Applies, at.to_owned()));
    assert_eq!(due("us-tx-breach:521.053.residents"), applies("2026-07-03T16:00:00Z"));
    assert_eq!(due("us-tx-breach:521.053.regulator"), applies("2026-06-03T16:00:00Z"));
    assert_eq!(due("us-fl-breach:501.171.residents"), applies("2026-06-03T16:00:00Z"));
    assert_eq!(due("us-fl-breach:501.171.regulator"), applies("2026-06-03T16:00:00Z"));
    assert_eq!(
        exposure.listed_status("us-fl-breach:501.171.consumer-agencies"),
        Some(Status::Applies),
        "3,000 Floridians is more than 1,000"
    );
    assert_eq!(
        exposure.listed_status("us-tx-breach:521.053.consumer-agencies"),
        None,
        "9,000 is not more than 10,000"
    );
    assert!(exposure.coverage.is_empty(), "{:?}", exposure.coverage);

    let text = r#"id = "za"
title = "A South African customer's data"
[timeline]
discovered = "2026-03-02T10:00:00Z"
[organization]
established = ["US", "US-TX"]
[affected]
residency = ["ZA", "US-TX"]
[data]
exposed = ["name", "ssn"]
"#;
    let file = map.add("za.toml", text);
    let incident = Incident::parse(file, &catalog.taxonomy, &map).expect("incident");
    let values = FactValues::close(&catalog.taxonomy, &incident).expect("facts");
    let exposure = evaluate(&catalog, &graph, &incident, &values, ScopeMode::Org).expect("in range");
    let gaps: Vec<(String, String, &str)> = exposure
        .coverage
        .iter()
        .map(|g| (g.place.clone(), g.title.clone(), g.field))
        .collect();
    assert_eq!(
        gaps,
        vec![("ZA".to_owned(), "South Africa".to_owned(), "affected.residency")]
    );
}

/// An incident that names only `US` cannot be assessed against the state laws: the
/// report says to name the states rather than staying silent.
#[test]
fn residents_of_us_without_states_are_asked_for_the_states() {
    let report = crate::common::ctrlmap(&["report", "incidents/flickr-2026-02.toml", "--format", "json"]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let json: serde_json::Value = serde_json::from_str(&report.stdout).expect("JSON");
    let gaps = json["coverage"].as_array().expect("coverage");
    assert!(
        gaps.iter()
            .any(|g| g["place"] == "US" && g["gap"] == "name-subdivisions" && g["field"] == "affected.residency"),
        "{gaps:?}"
    );
}
