//! Coverage: the places an incident names that no framework of the catalog speaks to,
//! so that a report never lets silence pass for "no duty".
//!
//! A framework speaks to the residents of a place when its scope names that place or
//! one of the places it lies in, as a `residency:` fact that can help
//! make the scope true (outside any `not`); to an establishment in a place, likewise
//! through `established:` facts. GDPR's `residency:EU` speaks to residents of France;
//! California's `residency:US-CA` speaks to Californians, not to Texans; the SEC's `established:US` speaks to a company
//! established in Texas, not to Texans. Frameworks whose scope names no place (PCI DSS,
//! ISO 27001) apply wherever their other conditions hold, and speak to no place in
//! particular. A place that frameworks reach only through places inside it (`US`,
//! with the state laws) is a gap of its own kind: the incident must name those
//! places before their laws can be assessed.

use std::collections::BTreeSet;

use crate::incident::Incident;
use crate::model::Catalog;
use crate::taxonomy::{FactId, Taxonomy};
use crate::truth::Truth;

/// The kinds of fact that name a place.
const PLACE_KINDS: [&str; 2] = ["residency", "established"];

/// A place the incident names that no framework of the catalog speaks to as named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The place code, e.g. `ZA` or `US-TX`.
    pub place: String,
    /// Its name, e.g. `South Africa`.
    pub title: String,
    /// The incident field that names it: `affected.residency`, `affected.counts` or
    /// `organization.established`.
    pub field: &'static str,
    /// Why it is a gap.
    pub kind: GapKind,
}

/// Why a place is a gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapKind {
    /// No framework speaks to the place, to a place it lies in or to one inside it.
    NotCovered,
    /// Frameworks speak only to places inside it (US state laws, for `US`): they
    /// cannot be assessed until the incident names those places.
    NameSubdivisions,
}

impl GapKind {
    /// `not-covered` or `name-subdivisions`, as the JSON report writes it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            GapKind::NotCovered => "not-covered",
            GapKind::NameSubdivisions => "name-subdivisions",
        }
    }
}

impl Gap {
    /// The place as a fact: `residency:ZA` for affected people, `established:ZA` for
    /// the organisation.
    #[must_use]
    pub fn key(&self) -> String {
        format!("{}:{}", self.place_kind(), self.place)
    }

    /// `established` for the organisation's place, `residency` for affected people's.
    #[must_use]
    pub fn place_kind(&self) -> &'static str {
        place_kind(self.field)
    }
}

/// The kind of fact a place in `field` is: `established` for the organisation's field,
/// `residency` for the affected people's.
fn place_kind(field: &str) -> &'static str {
    if field == "organization.established" {
        "established"
    } else {
        "residency"
    }
}

/// The place facts that framework scopes name outside any `not`; computed once per
/// catalog, with its graph.
pub(crate) fn named_places(catalog: &Catalog) -> BTreeSet<FactId> {
    let tax = &catalog.taxonomy;
    catalog
        .frameworks
        .iter()
        .filter_map(|f| f.scope.as_ref())
        .flat_map(crate::rule::Rule::positive_facts)
        .filter(|f| PLACE_KINDS.contains(&tax.fact(*f).kind()))
        .collect()
}

/// The places of `incident` that no framework of `catalog` speaks to, in the order of
/// the fields above, then by place code. `named` is [`named_places`] of the catalog.
pub(crate) fn gaps(catalog: &Catalog, named: &BTreeSet<FactId>, incident: &Incident) -> Vec<Gap> {
    let tax = &catalog.taxonomy;
    let mut seen: BTreeSet<(&str, String)> = BTreeSet::new();
    let mut out = Vec::new();
    let mut check = |place: &str, field: &'static str, out: &mut Vec<Gap>| {
        let kind = place_kind(field);
        let Some(fact) = tax.lookup(&format!("{kind}:{place}")) else {
            return;
        };
        if !seen.insert((kind, place.to_owned())) {
            return;
        }
        let kind = match spoken_to(tax, fact, named) {
            Reach::Place => return,
            Reach::Inside => GapKind::NameSubdivisions,
            Reach::Nowhere => GapKind::NotCovered,
        };
        out.push(Gap {
            place: place.to_owned(),
            title: tax.fact(fact).title.clone(),
            field,
            kind,
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

/// How the catalog's frameworks reach a place.
enum Reach {
    /// They name it, or a place it lies in.
    Place,
    /// They name only places inside it.
    Inside,
    /// They name neither.
    Nowhere,
}

/// Whether a framework names `place` or a place it lies in, or else a place inside it.
fn spoken_to(tax: &Taxonomy, place: FactId, named: &BTreeSet<FactId>) -> Reach {
    if named.contains(&place) {
        return Reach::Place;
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
    if reaches(true) {
        Reach::Place
    } else if reaches(false) {
        Reach::Inside
    } else {
        Reach::Nowhere
    }
}
