//! The regimes beyond the EU and the US states, each against its clock and threshold:
//! a small incident per case, written here, and the JSON report read back. Counts are
//! tested at the threshold and just below it; clocks by their due time.

use serde_json::Value;

use crate::common::{ctrlmap, item, json_report, tempdir};

const DISCOVERED: &str = "2026-10-05T09:00:00Z";
const DETERMINED: &str = "2026-10-07T12:00:00Z";

/// An incident discovered and determined on the dates above, with the given sections
/// (everything after the timeline).
fn incident(name: &str, body: &str) -> String {
    incident_on(name, DISCOVERED, body)
}

fn incident_on(name: &str, discovered: &str, body: &str) -> String {
    let dir = tempdir(&format!("regimes-{name}"));
    let path = dir.join(format!("{name}.toml"));
    let text = format!(
        "id = \"{name}\"\ntitle = \"{name}\"\n\n[timeline]\ndiscovered = \"{discovered}\"\ndetermined = \"{DETERMINED}\"\n\n{body}"
    );
    std::fs::write(&path, text).expect("incident written");
    path.to_string_lossy().into_owned()
}

/// The JSON report of an incident file, with `--assume` arguments.
fn report(path: &str, assume: &[&str]) -> Value {
    let mut args = vec!["report", path, "--format", "json"];
    for a in assume {
        args.extend(["--assume", a]);
    }
    json_report(&args)
}

/// `applies`, `may-apply`, or `absent` when the report does not list it.
fn status(json: &Value, id: &str) -> String {
    item(json, id).map_or_else(
        || "absent".to_owned(),
        |v| v["status"].as_str().unwrap_or_default().to_owned(),
    )
}

/// The due time of an obligation the report lists.
fn due(json: &Value, id: &str) -> Value {
    item(json, id).unwrap_or_else(|| panic!("{id} is listed"))["deadline"]["due"].clone()
}

fn not_in_force(json: &Value) -> Vec<String> {
    json["not_in_force"]
        .as_array()
        .expect("not_in_force")
        .iter()
        .map(|e| e["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn coverage_gaps(json: &Value) -> Vec<String> {
    json["coverage"]
        .as_array()
        .expect("coverage")
        .iter()
        .map(|g| {
            format!(
                "{}:{}",
                g["place"].as_str().unwrap_or_default(),
                g["gap"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------
// UK GDPR

const UK_BREACH: &str = r#"
[organization]
established = ["GB"]
status = ["uk-gdpr-controller"]
[affected]
residency = ["GB"]
[data]
exposed = ["name", "email"]
[attack]
impacts = ["unauthorized-access"]
"#;

#[test]
fn uk_gdpr_reports_to_the_ico_within_72_hours_of_awareness() {
    let json = report(&incident("uk", UK_BREACH), &[]);
    assert_eq!(status(&json, "uk-gdpr"), "applies");
    assert_eq!(status(&json, "uk-gdpr:art33.1"), "applies");
    assert_eq!(due(&json, "uk-gdpr:art33.1"), "2026-10-08T09:00:00Z");
    assert_eq!(status(&json, "uk-gdpr:art34.1"), "may-apply", "high risk is asked");
    assert_eq!(status(&json, "gdpr"), "not-applicable", "no EU link");
    // The exemption, stated, removes the ICO report but not the breach record.
    let unlikely = report(
        &incident("uk-unlikely", UK_BREACH),
        &["assessment:gdpr-unlikely-risk=true"],
    );
    assert_eq!(status(&unlikely, "uk-gdpr:art33.1"), "absent");
    assert_eq!(status(&unlikely, "uk-gdpr:art33.5"), "applies");
}

#[test]
fn uk_residents_alone_ask_whether_a_foreign_organisation_targets_the_uk() {
    let body = UK_BREACH.replace("established = [\"GB\"]", "established = [\"US\"]");
    let json = report(&incident("uk-residents", &body), &[]);
    assert_eq!(status(&json, "uk-gdpr"), "may-apply");
    assert_eq!(
        item(&json, "uk-gdpr").expect("listed")["questions"],
        serde_json::json!(["status:uk-gdpr-uk-targeting"])
    );
}

#[test]
fn a_uk_processor_tells_its_controller_and_does_not_report() {
    let body = UK_BREACH.replace(
        "status = [\"uk-gdpr-controller\"]",
        "status = [\"uk-gdpr-processor\"]\nnot_status = [\"uk-gdpr-controller\"]",
    );
    let json = report(&incident("uk-processor", &body), &[]);
    assert_eq!(status(&json, "uk-gdpr:art33.2"), "applies");
    assert_eq!(status(&json, "uk-gdpr:art28.3.f.assist"), "applies");
    assert_eq!(status(&json, "uk-gdpr:art33.1"), "absent");
}

// ---------------------------------------------------------------------------
// Canada, PIPEDA

const CA_BREACH: &str = r#"
[organization]
established = ["CA"]
status = ["ca-pipeda-organization"]
[affected]
residency = ["CA-ON"]
[data]
exposed = ["name", "bank-account"]
[attack]
impacts = ["unauthorized-access"]
"#;

#[test]
fn pipeda_reports_and_notifies_only_on_a_real_risk_of_significant_harm() {
    let open = report(&incident("ca-open", CA_BREACH), &[]);
    assert_eq!(status(&open, "ca-pipeda:10.1.report"), "may-apply");
    assert_eq!(
        item(&open, "ca-pipeda:10.1.report").expect("listed")["questions"],
        serde_json::json!(["assessment:ca-rrosh"])
    );
    // Every breach is recorded, whatever the harm.
    assert_eq!(status(&open, "ca-pipeda:10.3"), "applies");

    let rrosh = report(&incident("ca-rrosh", CA_BREACH), &["assessment:ca-rrosh=true"]);
    for id in ["ca-pipeda:10.1.report", "ca-pipeda:10.1.individuals", "ca-pipeda:10.2"] {
        assert_eq!(status(&rrosh, id), "applies", "{id}");
        let deadline = &item(&rrosh, id).expect("listed")["deadline"];
        assert_eq!(
            deadline["from"], "determined",
            "{id}: as soon as feasible after the determination"
        );
        assert_eq!(deadline["within"], "without undue delay", "{id}");
    }
    let none = report(&incident("ca-none", CA_BREACH), &["assessment:ca-rrosh=false"]);
    assert_eq!(status(&none, "ca-pipeda:10.1.report"), "absent");
    assert_eq!(status(&none, "ca-pipeda:10.3"), "applies");
}

// ---------------------------------------------------------------------------
// Australia, Notifiable Data Breaches

const AU_BREACH: &str = r#"
[organization]
established = ["AU"]
status = ["au-app-entity"]
[affected]
residency = ["AU"]
[data]
exposed = ["name", "passport"]
[attack]
impacts = ["unauthorized-access"]
"#;

#[test]
fn ndb_assesses_within_30_days_and_notifies_on_serious_harm() {
    let json = report(&incident("au", AU_BREACH), &[]);
    assert_eq!(status(&json, "au-ndb:26WH"), "applies");
    assert_eq!(due(&json, "au-ndb:26WH.assess"), "2026-11-04T09:00:00Z");
    assert_eq!(status(&json, "au-ndb:26WK"), "may-apply");
    assert_eq!(status(&json, "au-ndb:26WL"), "may-apply");

    let eligible = report(
        &incident("au-eligible", AU_BREACH),
        &["assessment:au-serious-harm=true"],
    );
    assert_eq!(status(&eligible, "au-ndb:26WK.statement"), "applies");
    assert_eq!(status(&eligible, "au-ndb:26WL.notify"), "applies");
    let not_eligible = report(&incident("au-not", AU_BREACH), &["assessment:au-serious-harm=false"]);
    assert_eq!(status(&not_eligible, "au-ndb:26WK"), "absent");
    assert_eq!(status(&not_eligible, "au-ndb:26WH.assess"), "applies");
}

// ---------------------------------------------------------------------------
// EU Cyber Resilience Act

const CRA_EXPLOITED: &str = r#"
[organization]
established = ["DE"]
status = ["eu-cra-manufacturer"]
[attack]
vectors = ["vulnerability-exploit"]
[facts]
"assessment:eu-cra-actively-exploited" = true
"assessment:eu-cra-severe-incident" = false
"#;

#[test]
fn the_cra_does_not_apply_to_an_exploited_vulnerability_discovered_before_11_september_2026() {
    let before = report(&incident_on("cra-before", "2026-09-10T23:00:00Z", CRA_EXPLOITED), &[]);
    assert_eq!(status(&before, "eu-cra"), "not-applicable");
    assert_eq!(not_in_force(&before), ["eu-cra"]);

    let first_day = report(
        &incident_on("cra-first-day", "2026-09-11T00:30:00Z", CRA_EXPLOITED),
        &[],
    );
    assert_eq!(status(&first_day, "eu-cra"), "applies");
    assert_eq!(due(&first_day, "eu-cra:art14.2.a"), "2026-09-12T00:30:00Z");
    assert_eq!(due(&first_day, "eu-cra:art14.2.b"), "2026-09-14T00:30:00Z");
    assert_eq!(status(&first_day, "eu-cra:art14.8"), "applies");
    // Annex I applies only from 11 December 2027.
    assert_eq!(not_in_force(&first_day), ["eu-cra:annex1.2.remediate"]);
    let later = report(&incident_on("cra-2028", "2028-01-10T09:00:00Z", CRA_EXPLOITED), &[]);
    assert_eq!(status(&later, "eu-cra:annex1.2.remediate"), "applies");
    assert!(not_in_force(&later).is_empty());
}

#[test]
fn a_severe_incident_has_its_final_report_a_month_after_the_notification() {
    let json = report(
        &incident("cra-severe", CRA_EXPLOITED),
        &[
            "assessment:eu-cra-actively-exploited=false",
            "assessment:eu-cra-severe-incident=true",
        ],
    );
    assert_eq!(status(&json, "eu-cra:art14.2.a"), "absent");
    assert_eq!(due(&json, "eu-cra:art14.4.a"), "2026-10-06T09:00:00Z");
    assert_eq!(due(&json, "eu-cra:art14.4.b"), "2026-10-08T09:00:00Z");
    assert_eq!(due(&json, "eu-cra:art14.4.c"), "2026-11-08T09:00:00Z");
}

#[test]
fn the_vulnerability_final_report_counts_14_days_from_the_fix() {
    // Without the date the fix was made available, the clock waits and says so.
    let waiting = report(&incident("cra-no-fix", CRA_EXPLOITED), &[]);
    assert_eq!(due(&waiting, "eu-cra:art14.2.c"), Value::Null);
    let entry = waiting["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|t| t["obligation"] == "eu-cra:art14.2.c")
        .cloned()
        .expect("the waiting clock is in the timeline");
    assert_eq!(entry["missing"], serde_json::json!(["mitigated"]));
    // With it: 14 days after the update was published.
    let fixed = report("incidents/eu-router-maker-exploited-2026-10.toml", &[]);
    assert_eq!(due(&fixed, "eu-cra:art14.2.c"), "2026-11-04T16:00:00Z");
}

#[test]
fn without_a_discovery_date_the_cra_may_apply_and_asks_for_it() {
    let dir = tempdir("regimes-cra-undated");
    let path = dir.join("cra-undated.toml");
    std::fs::write(
        &path,
        format!("id = \"cra-undated\"\ntitle = \"undated\"\n{CRA_EXPLOITED}"),
    )
    .expect("written");
    let json = report(&path.to_string_lossy(), &[]);
    assert_eq!(status(&json, "eu-cra"), "may-apply");
    let asked = json["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .find(|q| q["fact"] == "timeline.discovered")
        .expect("the discovery date is asked for");
    assert!(
        asked["decides"]
            .as_array()
            .is_some_and(|d| d.iter().any(|x| x == "eu-cra")),
        "{asked}"
    );
}

// ---------------------------------------------------------------------------
// FTC Safeguards Rule

const LENDER: &str = r#"
[organization]
sectors = ["finance"]
established = ["US", "US-TX"]
status = ["us-nonbank-financial"]
[affected]
residency = ["US-TX"]
[data]
exposed = ["name", "ssn"]
[attack]
impacts = ["unauthorized-access"]
[facts]
"safeguard:data-encrypted" = false
"#;

#[test]
fn the_ftc_is_notified_within_30_days_from_500_consumers() {
    let at = report(&incident("ftc-500", LENDER), &["count=500"]);
    assert_eq!(status(&at, "us-ftc-safeguards:314.4.j.notify"), "applies");
    assert_eq!(due(&at, "us-ftc-safeguards:314.4.j.notify"), "2026-11-04T09:00:00Z");
    let below = report(&incident("ftc-499", LENDER), &["count=499"]);
    assert_eq!(status(&below, "us-ftc-safeguards:314.4.j.notify"), "absent");
    let unknown = report(&incident("ftc-unknown", LENDER), &[]);
    assert_eq!(status(&unknown, "us-ftc-safeguards:314.4.j.notify"), "may-apply");
    let encrypted = report(
        &incident("ftc-encrypted", LENDER),
        &["count=900", "safeguard:data-encrypted=true"],
    );
    assert_eq!(status(&encrypted, "us-ftc-safeguards:314.4.j.notify"), "absent");
}

#[test]
fn the_ftc_notice_did_not_exist_before_13_may_2024() {
    let json = report(&incident_on("ftc-2024", "2024-05-12T09:00:00Z", LENDER), &["count=900"]);
    assert_eq!(status(&json, "us-ftc-safeguards"), "applies");
    assert_eq!(status(&json, "us-ftc-safeguards:314.4.j.notify"), "absent");
    assert_eq!(not_in_force(&json), ["us-ftc-safeguards:314.4.j.notify"]);
    let after = report(
        &incident_on("ftc-2024-after", "2024-05-13T09:00:00Z", LENDER),
        &["count=900"],
    );
    assert_eq!(status(&after, "us-ftc-safeguards:314.4.j.notify"), "applies");
}

// ---------------------------------------------------------------------------
// Coverage

#[test]
fn brazilian_british_canadian_and_australian_residents_are_covered_and_south_africans_are_not() {
    let body =
        |place: &str| format!("[affected]\nresidency = [\"{place}\"]\n[data]\nexposed = [\"name\", \"email\"]\n");
    for place in ["GB", "CA", "CA-QC", "AU", "BR", "SG", "JP", "KR", "CH"] {
        let json = report(&incident(&format!("cover-{place}"), &body(place)), &[]);
        assert!(coverage_gaps(&json).is_empty(), "{place}: {:?}", coverage_gaps(&json));
    }
    let json = report(&incident("cover-ZA", &body("ZA")), &[]);
    assert_eq!(coverage_gaps(&json), ["ZA:not-covered"]);
}

// ---------------------------------------------------------------------------
// Québec

#[test]
fn quebec_notifies_the_cai_and_the_persons_on_a_risk_of_serious_injury() {
    let body = r#"
[organization]
established = ["CA", "CA-QC"]
status = ["ca-qc-enterprise"]
not_status = ["ca-pipeda-organization"]
[affected]
residency = ["CA-QC"]
[data]
exposed = ["name", "health"]
[attack]
impacts = ["unauthorized-access"]
"#;
    let open = report(&incident("qc", body), &[]);
    assert_eq!(status(&open, "ca-qc-law25:3.5.cai"), "may-apply");
    assert_eq!(
        status(&open, "ca-qc-law25:3.8.register"),
        "applies",
        "every incident is registered"
    );
    assert_eq!(status(&open, "ca-pipeda"), "not-applicable");
    let serious = report(&incident("qc-serious", body), &["assessment:ca-qc-serious-injury=true"]);
    assert_eq!(status(&serious, "ca-qc-law25:3.5.cai"), "applies");
    assert_eq!(status(&serious, "ca-qc-law25:3.5.persons"), "applies");
    // An enterprise elsewhere in Canada with Ontario residents only is not under it.
    let ontario = body
        .replace("established = [\"CA\", \"CA-QC\"]", "established = [\"CA-ON\"]")
        .replace("residency = [\"CA-QC\"]", "residency = [\"CA-ON\"]");
    let json = report(&incident("qc-ontario", &ontario), &[]);
    assert_eq!(status(&json, "ca-qc-law25"), "not-applicable");
}

// ---------------------------------------------------------------------------
// Singapore

const SG_BREACH: &str = r#"
[organization]
established = ["SG"]
status = ["sg-pdpa-organisation"]
not_status = ["sg-data-intermediary"]
[affected]
residency = ["SG"]
[data]
exposed = ["name", "email"]
[attack]
impacts = ["unauthorized-access"]
[facts]
"assessment:sg-significant-harm" = false
"#;

#[test]
fn singapore_notifies_the_pdpc_within_3_days_of_the_assessment_from_500_people() {
    let at = report(&incident("sg-500", SG_BREACH), &["count=500"]);
    assert_eq!(status(&at, "sg-pdpa:26D.1"), "applies");
    assert_eq!(
        due(&at, "sg-pdpa:26D.1"),
        "2026-10-10T12:00:00Z",
        "3 days from the assessment"
    );
    assert_eq!(
        status(&at, "sg-pdpa:26D.2"),
        "absent",
        "scale alone does not require notice to people"
    );
    let below = report(&incident("sg-499", SG_BREACH), &["count=499"]);
    assert_eq!(status(&below, "sg-pdpa:26D.1"), "absent");
    let harm = report(
        &incident("sg-harm", SG_BREACH),
        &["count=10", "assessment:sg-significant-harm=true"],
    );
    assert_eq!(status(&harm, "sg-pdpa:26D.1"), "applies");
    assert_eq!(status(&harm, "sg-pdpa:26D.2"), "applies");
    assert_eq!(due(&harm, "sg-pdpa:26C.assess"), "2026-11-04T09:00:00Z");
}

// ---------------------------------------------------------------------------
// Japan

const JP_BREACH: &str = r#"
[organization]
established = ["JP"]
status = ["jp-appi-business-operator"]
[affected]
residency = ["JP"]
[data]
exposed = ["name", "email"]
[attack]
impacts = ["unauthorized-access"]
"#;

#[test]
fn japan_reports_above_1000_people_with_a_30_or_60_day_final_report() {
    let at = report(
        &incident("jp-1000", JP_BREACH),
        &["count=1000", "assessment:jp-wrongful-purpose=false"],
    );
    assert_eq!(status(&at, "jp-appi:art26"), "absent", "1,000 is not more than 1,000");
    let above = report(
        &incident("jp-1001", JP_BREACH),
        &["count=1001", "assessment:jp-wrongful-purpose=false"],
    );
    assert_eq!(status(&above, "jp-appi:art26.preliminary"), "applies");
    assert_eq!(due(&above, "jp-appi:art26.preliminary"), "2026-10-10T09:00:00Z");
    assert_eq!(due(&above, "jp-appi:art26.final"), "2026-11-04T09:00:00Z");
    assert_eq!(status(&above, "jp-appi:art26.final-wrongful"), "absent");
    let attack = report(
        &incident("jp-attack", JP_BREACH),
        &["count=20", "assessment:jp-wrongful-purpose=true"],
    );
    assert_eq!(due(&attack, "jp-appi:art26.final-wrongful"), "2026-12-04T09:00:00Z");
    assert_eq!(status(&attack, "jp-appi:art26.final"), "absent");
}

// ---------------------------------------------------------------------------
// Korea

#[test]
fn korea_notifies_people_within_72_hours_and_reports_from_1000_or_an_intrusion() {
    let body = r#"
[organization]
established = ["KR"]
status = ["kr-pipa-controller"]
[affected]
residency = ["KR"]
[data]
exposed = ["name", "email"]
[attack]
actors = ["internal"]
impacts = ["unauthorized-access"]
"#;
    let below = report(&incident("kr-999", body), &["count=999"]);
    assert_eq!(due(&below, "kr-pipa:art34.1"), "2026-10-08T09:00:00Z");
    assert_eq!(status(&below, "kr-pipa:art34.3"), "absent");
    let at = report(&incident("kr-1000", body), &["count=1000"]);
    assert_eq!(due(&at, "kr-pipa:art34.3"), "2026-10-08T09:00:00Z");
    let hacked = report(&incident("kr-hacked", body), &["count=5", "actor:external=true"]);
    assert_eq!(status(&hacked, "kr-pipa:art34.3"), "applies");
}

// ---------------------------------------------------------------------------
// Brazil

const BR_BREACH: &str = r#"
[organization]
established = ["BR"]
status = ["br-lgpd-controller"]
[affected]
residency = ["BR"]
[data]
exposed = ["name", "bank-account"]
[attack]
impacts = ["unauthorized-access"]
[facts]
"assessment:br-relevant-risk" = true
"#;

#[test]
fn brazil_communicates_within_3_business_days_doubled_for_small_agents() {
    // Discovered on Monday 5 October 2026.
    let json = report(&incident("br", BR_BREACH), &[]);
    assert_eq!(due(&json, "br-lgpd:art48.anpd"), "2026-10-08T09:00:00Z");
    assert_eq!(due(&json, "br-lgpd:art48.subjects"), "2026-10-08T09:00:00Z");
    // Twenty business days on the `br` calendar: Monday 12 October (Nossa Senhora
    // Aparecida) and Monday 2 November (Finados) are holidays.
    assert_eq!(due(&json, "br-lgpd:art48.complement"), "2026-11-09T09:00:00Z");
    assert_eq!(status(&json, "br-lgpd:art48.anpd-small"), "absent");
    let small = report(&incident("br-small", BR_BREACH), &["status:br-lgpd-small-agent=true"]);
    // Six business days, skipping 12 October.
    assert_eq!(due(&small, "br-lgpd:art48.anpd-small"), "2026-10-14T09:00:00Z");
    assert_eq!(status(&small, "br-lgpd:art48.anpd"), "absent");
    // Names and email addresses alone, not on a large scale: no communication.
    let plain = BR_BREACH.replace("\"bank-account\"", "\"email\"");
    let json = report(&incident("br-plain", &plain), &["assessment:br-large-scale=false"]);
    assert_eq!(status(&json, "br-lgpd:art48"), "absent");
    assert_eq!(status(&json, "br-lgpd:res15.art10.register"), "applies");
}

// ---------------------------------------------------------------------------
// Switzerland

#[test]
fn switzerland_notifies_the_fdpic_on_a_high_risk() {
    let body = r#"
[organization]
established = ["CH"]
status = ["ch-fadp-controller"]
[affected]
residency = ["CH"]
[data]
exposed = ["name", "health"]
[attack]
impacts = ["unauthorized-access"]
"#;
    let open = report(&incident("ch", body), &[]);
    assert_eq!(status(&open, "ch-fadp:art24.1"), "may-apply");
    let high = report(&incident("ch-high", body), &["assessment:ch-high-risk=true"]);
    assert_eq!(status(&high, "ch-fadp:art24.1"), "applies");
    let low = report(&incident("ch-low", body), &["assessment:ch-high-risk=false"]);
    assert_eq!(status(&low, "ch-fadp:art24.1"), "absent");
    assert_eq!(status(&low, "ch-fadp:art24.record"), "applies");
}

// ---------------------------------------------------------------------------
// US banking rule

const BANK: &str = r#"
[organization]
sectors = ["banking"]
established = ["US", "US-OH"]
status = ["us-banking-organization"]
not_status = ["us-bank-service-provider"]
[attack]
impacts = ["ransomware-encryption"]
"#;

#[test]
fn a_bank_tells_its_regulator_within_36_hours_of_the_determination() {
    let json = report(
        &incident("bank", BANK),
        &["assessment:us-bank-notification-incident=true"],
    );
    assert_eq!(due(&json, "us-bank-incident:53.3.notify"), "2026-10-09T00:00:00Z");
    let not = report(
        &incident("bank-minor", BANK),
        &["assessment:us-bank-notification-incident=false"],
    );
    assert_eq!(status(&not, "us-bank-incident:53.3"), "absent");
    let before = report(
        &incident_on("bank-2022", "2022-04-20T09:00:00Z", BANK),
        &["assessment:us-bank-notification-incident=true"],
    );
    assert_eq!(
        status(&before, "us-bank-incident"),
        "not-applicable",
        "compliance from 1 May 2022"
    );
}

// ---------------------------------------------------------------------------
// Regulation S-P

const BROKER: &str = r#"
[organization]
sectors = ["investment"]
established = ["US"]
status = ["us-sec-regsp-institution"]
not_status = ["us-sec-regsp-service-provider"]
[attack]
impacts = ["unauthorized-access"]
[facts]
"assessment:us-sec-sensitive-customer-information" = true
"#;

#[test]
fn regulation_s_p_notice_starts_by_firm_size() {
    // Larger entity (the default): from 3 December 2025.
    let larger = report(&incident_on("regsp-larger", "2026-01-15T09:00:00Z", BROKER), &[]);
    assert_eq!(due(&larger, "us-sec-regsp:248.30.a.4.notify"), "2026-02-14T09:00:00Z");
    let early = report(&incident_on("regsp-2025", "2025-11-20T09:00:00Z", BROKER), &[]);
    assert_eq!(status(&early, "us-sec-regsp:248.30.a.4.notify"), "absent");
    assert!(not_in_force(&early).contains(&"us-sec-regsp:248.30.a.4.notify".to_owned()));
    // A smaller entity: only from 3 June 2026.
    let smaller = ["status:us-sec-regsp-smaller-entity=true"];
    let january = report(
        &incident_on("regsp-smaller-jan", "2026-01-15T09:00:00Z", BROKER),
        &smaller,
    );
    assert_eq!(status(&january, "us-sec-regsp:248.30.a.4.notify"), "absent");
    assert_eq!(status(&january, "us-sec-regsp:248.30.a.4.notify-smaller"), "absent");
    assert!(not_in_force(&january).contains(&"us-sec-regsp:248.30.a.4.notify-smaller".to_owned()));
    let july = report(
        &incident_on("regsp-smaller-jul", "2026-07-01T09:00:00Z", BROKER),
        &smaller,
    );
    assert_eq!(
        due(&july, "us-sec-regsp:248.30.a.4.notify-smaller"),
        "2026-07-31T09:00:00Z"
    );
    // The exemption after a reasonable investigation, when stated.
    let no_harm = report(
        &incident_on("regsp-no-harm", "2026-07-01T09:00:00Z", BROKER),
        &["assessment:us-sec-no-substantial-harm=true"],
    );
    assert_eq!(status(&no_harm, "us-sec-regsp:248.30.a.4"), "absent");
}

#[test]
fn a_regulation_s_p_service_provider_tells_the_institution_within_72_hours() {
    let body = format!("{BROKER}\n[data]\nexposed = [\"name\", \"bank-account\"]\n");
    let body = body
        .replace(
            "status = [\"us-sec-regsp-institution\"]",
            "status = [\"us-sec-regsp-service-provider\"]",
        )
        .replace(
            "not_status = [\"us-sec-regsp-service-provider\"]",
            "not_status = [\"us-sec-regsp-institution\"]",
        );
    let json = report(&incident("regsp-provider", &body), &[]);
    assert_eq!(due(&json, "us-sec-regsp:248.30.a.5.notify"), "2026-10-08T09:00:00Z");
    assert_eq!(status(&json, "us-sec-regsp:248.30.a.4"), "absent");
}

// ---------------------------------------------------------------------------
// State insurance data security laws

#[test]
fn an_insurer_tells_its_domiciliary_commissioner_within_72_hours_or_the_state_variant() {
    let body = |state: &str| {
        format!(
            "[organization]\nsectors = [\"insurance\"]\nestablished = [\"US\", \"{state}\"]\nstatus = [\"us-insurance-licensee\"]\n[attack]\nimpacts = [\"unauthorized-access\"]\n[facts]\n\"assessment:us-insurance-reportable\" = true\n"
        )
    };
    let ohio = report(&incident("ins-oh", &body("US-OH")), &[]);
    assert_eq!(due(&ohio, "us-insurance-72h:6.a"), "2026-10-10T12:00:00Z");
    // Alabama: 3 business days from Wednesday 7 October is Monday 12 October.
    let alabama = report(&incident("ins-al", &body("US-AL")), &[]);
    assert_eq!(due(&alabama, "us-insurance-72h:6.a.al"), "2026-10-12T12:00:00Z");
    assert_eq!(status(&alabama, "us-insurance-72h:6.a"), "absent");
    let michigan = report(&incident("ins-mi", &body("US-MI")), &[]);
    assert_eq!(due(&michigan, "us-insurance-72h:6.a.mi"), "2026-10-17T12:00:00Z");
    // A state that has not enacted the model.
    let california = report(&incident("ins-ca", &body("US-CA")), &[]);
    assert_eq!(status(&california, "us-insurance-72h"), "not-applicable");
}

// ---------------------------------------------------------------------------
// FTC Health Breach Notification Rule

#[test]
fn a_health_app_notifies_people_in_60_days_and_the_ftc_by_size() {
    let body = r#"
[organization]
established = ["US"]
status = ["us-phr-vendor"]
not_status = ["hipaa-covered-entity", "hipaa-business-associate"]
[affected]
residency = ["US-CA"]
[data]
exposed = ["name", "health"]
[attack]
impacts = ["unauthorized-access"]
"#;
    let big = report(&incident("hbnr-500", body), &["count=500", "count:US-CA=500"]);
    assert_eq!(due(&big, "us-ftc-hbnr:318.4.individuals"), "2026-12-04T09:00:00Z");
    assert_eq!(due(&big, "us-ftc-hbnr:318.5.ftc"), "2026-12-04T09:00:00Z");
    assert_eq!(status(&big, "us-ftc-hbnr:318.5.ftc-log"), "absent");
    assert_eq!(
        status(&big, "us-ftc-hbnr:318.5.media"),
        "absent",
        "500 is not more than 500"
    );
    let small = report(&incident("hbnr-499", body), &["count=499"]);
    assert_eq!(due(&small, "us-ftc-hbnr:318.5.ftc-log"), "2027-03-01T23:59:59Z");
    let media = report(&incident("hbnr-501", body), &["count=501", "count:US-CA=501"]);
    assert_eq!(status(&media, "us-ftc-hbnr:318.5.media"), "applies");
}

// ---------------------------------------------------------------------------
// Drafts of the ICO, OPC and OAIC notices

/// The fields of the draft of one obligation, in order.
fn draft_fields(incident: &str, id: &str) -> Vec<String> {
    let run = ctrlmap(&["draft", incident, id, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).expect("JSON drafts");
    json["drafts"][0]["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("a draft of {id}: {json}"))
        .iter()
        .map(|f| f["field"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn the_ico_opc_and_oaic_drafts_follow_what_each_asks() {
    let ico = draft_fields("incidents/uk-retailer-account-takeover-2026.toml", "uk-gdpr:art33.1");
    for field in [
        "what_happened",
        "when_discovered",
        "data_categories",
        "data_subject_count",
        "likely_consequences",
        "measures_taken",
        "contact_point",
    ] {
        assert!(ico.contains(&field.to_owned()), "ICO draft lacks {field}: {ico:?}");
    }
    let opc = draft_fields("incidents/ca-fitness-app-2026.toml", "ca-pipeda:10.1.report");
    assert_eq!(
        opc,
        [
            "circumstances",
            "breach_period",
            "personal_information",
            "individuals_affected",
            "steps_to_reduce_harm",
            "notification_steps",
            "contact_person"
        ]
    );
    let oaic = draft_fields("incidents/au-travel-agency-2026.toml", "au-ndb:26WK.statement");
    assert_eq!(
        oaic[..4],
        [
            "entity_identity",
            "breach_description",
            "information_kinds",
            "recommended_steps"
        ]
    );
    let people = draft_fields("incidents/au-travel-agency-2026.toml", "au-ndb:26WL.notify");
    assert_eq!(people, oaic[..4], "individuals get the statement's contents");
}
