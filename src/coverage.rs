//! Coverage: the places an incident names that no framework of the catalog speaks to,
//! so that a report never lets silence pass for "no duty".
//!
//! A framework speaks to the residents of a place when its scope names that place, one
//! of the places it lies in, or a place inside it, as a `residency:` fact that can help
//! make the scope true (outside any `not`); to an establishment in a place, likewise
//! through `established:` facts. GDPR's `residency:EU` speaks to residents of France;
//! California's `residency:US-CA` speaks to Californians (and to `US`, which contains
//! California), not to Texans; the SEC's `established:US` speaks to a company
//! established in Texas, not to Texans. Frameworks whose scope names no place (PCI DSS,
//! ISO 27001) apply wherever their other conditions hold, and speak to no place in
//! particular.

use std::collections::BTreeSet;

use crate::incident::Incident;
use crate::model::Catalog;
use crate::taxonomy::{FactId, Taxonomy};
use crate::truth::Truth;

/// The kinds of fact that name a place.
const PLACE_KINDS: [&str; 2] = ["residency", "established"];

/// A place the incident names that no framework of the catalog speaks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The place code, e.g. `BR` or `US-TX`.
    pub place: String,
    /// Its name, e.g. `Brazil`.
    pub title: String,
    /// The incident field that names it: `affected.residency`, `affected.counts` or
    /// `organization.established`.
    pub field: &'static str,
}

impl Gap {
    /// The place as a fact: `residency:BR` for affected people, `established:BR` for
    /// the organisation.
    #[must_use]
    pub fn key(&self) -> String {
        let kind = if self.field == "organization.established" {
            "established"
        } else {
            "residency"
        };
        format!("{kind}:{}", self.place)
    }
}

/// The places of `incident` that no framework of `catalog` speaks to, in the order of
/// the fields above, then by place code.
#[must_use]
pub(crate) fn gaps(catalog: &Catalog, incident: &Incident) -> Vec<Gap> {
    let tax = &catalog.taxonomy;
    let named: BTreeSet<FactId> = catalog
        .frameworks
        .iter()
        .filter_map(|f| f.scope.as_ref())
        .flat_map(crate::rule::Rule::positive_facts)
        .filter(|f| PLACE_KINDS.contains(&tax.fact(*f).kind()))
        .collect();
    let mut seen: BTreeSet<(&str, String)> = BTreeSet::new();
    let mut out = Vec::new();
    let mut check = |place: &str, field: &'static str, out: &mut Vec<Gap>| {
        let kind = if field == "organization.established" {
            "established"
        } else {
            "residency"
        };
        let Some(fact) = tax.lookup(&format!("{kind}:{place}")) else {
            return;
        };
        if !seen.insert((kind, place.to_owned())) || spoken_to(tax, fact, &named) {
            return;
        }
        out.push(Gap {
            place: place.to_owned(),
            title: tax.fact(fact).title.clone(),
            field,
        });
    };
    for field in ["affected.residency", "organization.established"] {
        let mut places: Vec<&str> = incident
            .statements
            .iter()
            .filter(|s| s.source.field() == field && s.value == Truth::True)
            .map(|s| tax.fact(s.fact).value())
            .collect();
        places.sort_unstable();
        for place in places {
            check(place, field, &mut out);
        }
        if field == "affected.residency" {
            for name in incident.numbers.keys() {
                if let Some(place) = name.strip_prefix("count:") {
                    check(place, "affected.counts", &mut out);
                }
            }
        }
    }
    out
}

/// Whether a framework names `place`, a place it lies in, or a place inside it.
fn spoken_to(tax: &Taxonomy, place: FactId, named: &BTreeSet<FactId>) -> bool {
    if named.contains(&place) {
        return true;
    }
    let kind = tax.fact(place).kind();
    let reaches = |up: bool| {
        let mut stack = vec![place];
        let mut seen = BTreeSet::from([place]);
        while let Some(f) = stack.pop() {
            let fact = tax.fact(f);
            let next = if up { &fact.implies } else { &fact.implied_by };
            for &g in next {
                if tax.fact(g).kind() == kind && seen.insert(g) {
                    if named.contains(&g) {
                        return true;
                    }
                    stack.push(g);
                }
            }
        }
        false
    };
    reaches(true) || reaches(false)
}
