//! Every clock of the catalog, against one fixed timeline (DESIGN §3 deadlines, the
//! clock table of the reference): hours, calendar days and months across month ends,
//! business days across weekends, chains, and earliest-of alternatives.

use ctrlmap::Incident;
use ctrlmap::SourceMap;
use ctrlmap::Sources;
use ctrlmap::due_times;

#[test]
fn every_clock_of_the_catalog() {
    let mut map = SourceMap::new();
    let (catalog, _) = ctrlmap::load_catalog(&Sources::embedded(), &mut map).expect("loads");
    let incident = Incident::load(
        &crate::common::root().join("tests/fixtures/deadlines/clock-table.toml"),
        &catalog.taxonomy,
        &mut map,
    )
    .expect("incident loads");
    let dues = due_times(&catalog, &incident).expect("in range");
    let expected = [
        // GDPR Art. 33(1): 72 hours from awareness.
        ("gdpr:art33.1", Some("2026-02-02T17:00:00Z")),
        ("gdpr:art33.2", None),
        ("gdpr:art34.1", None),
        // NIS2 Art. 23(4): 24 h, 72 h, then one month after the notification.
        ("nis2:art23.early-warning", Some("2026-01-31T17:00:00Z")),
        ("nis2:art23.notification", Some("2026-02-02T17:00:00Z")),
        ("nis2:art23.final", Some("2026-03-02T17:00:00Z")),
        // DORA (RTS 2025/301 Art. 5): 4 h from classification, at the latest 24 h from
        // awareness; 72 h from the initial notification; one month from the intermediate.
        ("dora:art19.initial", Some("2026-01-31T00:00:00Z")),
        ("dora:art19.intermediate", Some("2026-02-03T00:00:00Z")),
        ("dora:art19.final", Some("2026-03-03T00:00:00Z")),
        ("dora:art19.clients", None),
        // NYDFS 500.17: 72 h from determination; 24 h and 30 days from a payment.
        ("nydfs-500:500.17.a", Some("2026-02-03T10:00:00Z")),
        ("nydfs-500:500.17.c.notice", Some("2026-02-28T12:00:00Z")),
        ("nydfs-500:500.17.c.explanation", Some("2026-03-29T12:00:00Z")),
        // SEC Form 8-K Item 1.05: four business days from Thursday is Wednesday, by
        // EDGAR's 17:30 New York cut-off (22:30 UTC in February).
        ("sec-8k:1.05.filing", Some("2026-02-11T22:30:00Z")),
        // California: 30 days; the Attorney General 15 days after the consumer notice.
        ("us-ca-breach:1798.82.residents", Some("2026-03-01T17:00:00Z")),
        ("us-ca-breach:1798.82.regulator", Some("2026-03-16T17:00:00Z")),
        // New York: 30 days; the HIPAA copy 5 business days after notifying HHS.
        ("us-ny-breach:899-aa.residents", Some("2026-03-01T17:00:00Z")),
        ("us-ny-breach:899-aa.hipaa-copy", Some("2026-04-07T17:00:00Z")),
        // HIPAA: 60 calendar days from discovery.
        ("hipaa:164.404.individuals", Some("2026-03-31T17:00:00Z")),
        ("hipaa:164.406.media", Some("2026-03-31T17:00:00Z")),
        ("hipaa:164.408.large", Some("2026-03-31T17:00:00Z")),
        // Card brands: Mastercard 24 h; Visa 3 and 10 business days from a Friday.
        ("pci-dss:12.10.1.mastercard", Some("2026-01-31T17:00:00Z")),
        ("pci-dss:12.10.1.visa-report", Some("2026-02-04T17:00:00Z")),
        ("pci-dss:12.10.1.visa-accounts", Some("2026-02-13T17:00:00Z")),
    ];
    for (id, due) in expected {
        let got = dues.get(id).unwrap_or_else(|| panic!("{id} has no deadline"));
        assert_eq!(got.due.map(|t| t.to_string()).as_deref(), due, "{id}");
    }
}

#[test]
fn a_missing_date_is_named() {
    let mut map = SourceMap::new();
    let (catalog, _) = ctrlmap::load_catalog(&Sources::embedded(), &mut map).expect("loads");
    let incident = Incident::load(
        &crate::common::root().join("incidents/flickr-2026-02.toml"),
        &catalog.taxonomy,
        &mut map,
    )
    .expect("incident loads");
    let dues = due_times(&catalog, &incident).expect("in range");
    let filing = &dues["sec-8k:1.05.filing"];
    assert_eq!(filing.due, None);
    assert_eq!(
        filing.missing().iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        ["material"]
    );
    // Earliest-of: without a classification date, DORA's 24-hour cap still counts.
    let initial = &dues["dora:art19.initial"];
    assert_eq!(
        initial.due.map(|t| t.to_string()).as_deref(),
        Some("2026-02-06T09:00:00Z")
    );
    // A chain waits for the date its first link waits for.
    let sample = &dues["us-ca-breach:1798.82.regulator"];
    assert!(sample.due.is_some());
}
