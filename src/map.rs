//! `map`: the controls related to one control across frameworks, following chains of
//! `related` links and composing their NIST IR 8477 relationship types as set theory
//! allows.
//!
//! Composition (A r1 B, B r2 C ⇒ A r C): `equal` keeps the other relation;
//! `subset-of` after `subset-of` is `subset-of` (and likewise `superset-of`);
//! A ⊇ B ⊆ C, A ⊇ B ∩ C ≠ ∅ and A ∩ B ≠ ∅, B ⊆ C give `intersects-with` (the overlap
//! through B is certain). Every other pair (A ⊆ B ⊇ C, A ⊆ B ∩ C, A ∩ B ⊇ C,
//! A ∩ B ∩ C) proves nothing about A and C, so the chain stops there: ctrlmap never
//! claims a relationship that the links do not establish. A chain's confidence is that
//! of its weakest link (unspecified if any link leaves it unspecified).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::graph::CatalogGraph;
use crate::model::{Catalog, Confidence, Relation};

/// How far chains are followed.
const MAX_HOPS: usize = 6;

/// One control reached from the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mapping {
    /// The control reached.
    pub to: String,
    /// The composed relationship, from the start's point of view.
    pub relation: Relation,
    /// The chain: each step's target and relation.
    pub path: Vec<(String, Relation)>,
    /// The weakest link's confidence; `None` when a link does not say.
    pub confidence: Option<Confidence>,
}

/// Composes two relationship types, or `None` when set theory allows no conclusion.
#[must_use]
pub(crate) fn compose(first: Relation, second: Relation) -> Option<Relation> {
    use Relation::{Equal, IntersectsWith, SubsetOf, SupersetOf};
    match (first, second) {
        (Equal, r) | (r, Equal) => Some(r),
        (SubsetOf, SubsetOf) => Some(SubsetOf),
        (SupersetOf, SupersetOf) => Some(SupersetOf),
        (SupersetOf, SubsetOf | IntersectsWith) | (IntersectsWith, SubsetOf) => Some(IntersectsWith),
        (SubsetOf | IntersectsWith, SupersetOf | IntersectsWith) => None,
    }
}

fn strength(r: Relation) -> u8 {
    match r {
        Relation::Equal => 3,
        Relation::SubsetOf | Relation::SupersetOf => 2,
        Relation::IntersectsWith => 1,
    }
}

/// Every control related to `id`: for each target, every relationship that some chain
/// of links establishes, less those a stronger one implies (`equal` implies the rest;
/// `subset-of` or `superset-of` implies `intersects-with`), each with its shortest
/// chain. Sorted by target id, then strongest first; only targets in `to` when given.
///
/// The search is over pairs (control, relation from the start): the relation lattice
/// has four values, so every path is covered by at most four states per control, and
/// a shorter chain to one relation never hides a longer chain to another. Chains of
/// one length are settled together and the best kept by confidence, then by the ids
/// along them, so the answer does not depend on the order of `related` entries.
pub(crate) fn map(
    catalog: &Catalog,
    graph: &CatalogGraph,
    id: &str,
    to: Option<&str>,
) -> Result<Vec<Mapping>, Diagnostic> {
    if !catalog.controls().any(|c| c.id == id) {
        let mut d = Diagnostic::error(
            Code::DanglingReference,
            format!("`{id}` is not a control of the catalog"),
        );
        if let Some(s) = did_you_mean(id, catalog.controls().map(|c| c.id.as_str())) {
            d = d.note(format!("help: did you mean `{s}`?"));
        }
        return Err(d);
    }
    if let Some(fw) = to {
        if catalog.framework(fw).is_none() {
            let mut d = Diagnostic::error(
                Code::DanglingReference,
                format!("`{fw}` is not a framework of the catalog"),
            );
            if let Some(s) = did_you_mean(fw, catalog.frameworks.iter().map(|f| f.id.as_str())) {
                d = d.note(format!("help: did you mean `{s}`?"));
            }
            return Err(d);
        }
    }
    let mut settled: BTreeMap<(String, Relation), Mapping> = BTreeMap::new();
    let mut frontier = vec![Mapping {
        to: id.to_owned(),
        relation: Relation::Equal,
        path: Vec::new(),
        confidence: Some(Confidence::High),
    }];
    for _ in 0..MAX_HOPS {
        let mut level: BTreeMap<(String, Relation), Mapping> = BTreeMap::new();
        for current in &frontier {
            for link in graph.links(&current.to) {
                let (next, rel) = (link.to.to_string(), link.relation);
                if next == id || current.path.iter().any(|(p, _)| *p == next) {
                    continue;
                }
                let Some(relation) = (if current.path.is_empty() {
                    Some(rel)
                } else {
                    compose(current.relation, rel)
                }) else {
                    continue;
                };
                let key = (next.clone(), relation);
                if settled.contains_key(&key) {
                    continue;
                }
                let mut path = current.path.clone();
                path.push((next.clone(), rel));
                let candidate = Mapping {
                    to: next,
                    relation,
                    path,
                    confidence: match (current.confidence, link.confidence) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        _ => None,
                    },
                };
                let better = level.get(&key).is_none_or(|old| {
                    (std::cmp::Reverse(candidate.confidence), &candidate.path)
                        < (std::cmp::Reverse(old.confidence), &old.path)
                });
                if better {
                    level.insert(key, candidate);
                }
            }
        }
        frontier = level.values().cloned().collect();
        settled.extend(level);
        if frontier.is_empty() {
            break;
        }
    }
    let reached = |target: &str, r: Relation| settled.contains_key(&(target.to_owned(), r));
    let mut out: Vec<Mapping> = settled
        .values()
        .filter(|m| to.is_none_or(|fw| m.to.split_once(':').is_some_and(|(f, _)| f == fw)))
        .filter(|m| match m.relation {
            Relation::Equal => true,
            Relation::SubsetOf | Relation::SupersetOf => !reached(&m.to, Relation::Equal),
            Relation::IntersectsWith => [Relation::Equal, Relation::SubsetOf, Relation::SupersetOf]
                .into_iter()
                .all(|r| !reached(&m.to, r)),
        })
        .cloned()
        .collect();
    out.sort_by(|a, b| {
        (&a.to, std::cmp::Reverse(strength(a.relation))).cmp(&(&b.to, std::cmp::Reverse(strength(b.relation))))
    });
    Ok(out)
}

/// The mappings as text: one line per target, then its chain.
#[must_use]
pub(crate) fn render(id: &str, mappings: &[Mapping], to: Option<&str>) -> String {
    let mut out = String::new();
    if mappings.is_empty() {
        let _ = writeln!(
            out,
            "no control{} is related to {id} by links whose relationships compose",
            to.map(|f| format!(" of {f}")).unwrap_or_default()
        );
        return out;
    }
    for m in mappings {
        let confidence = m.confidence.map_or("unspecified", Confidence::as_str);
        let _ = writeln!(out, "{id} {} {} (confidence: {confidence})", m.relation.as_str(), m.to);
        let mut chain = id.to_owned();
        for (step, rel) in &m.path {
            let _ = write!(chain, " —{}→ {step}", rel.as_str());
        }
        let _ = writeln!(out, "  path: {chain}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Relation::{Equal, IntersectsWith, SubsetOf, SupersetOf};

    #[test]
    fn composition_follows_set_theory() {
        assert_eq!(compose(Equal, SubsetOf), Some(SubsetOf));
        assert_eq!(compose(SubsetOf, Equal), Some(SubsetOf));
        assert_eq!(compose(SubsetOf, SubsetOf), Some(SubsetOf));
        assert_eq!(compose(SupersetOf, SupersetOf), Some(SupersetOf));
        assert_eq!(compose(SupersetOf, SubsetOf), Some(IntersectsWith));
        assert_eq!(compose(IntersectsWith, SubsetOf), Some(IntersectsWith));
        assert_eq!(compose(SupersetOf, IntersectsWith), Some(IntersectsWith));
        assert_eq!(compose(SubsetOf, SupersetOf), None);
        assert_eq!(compose(IntersectsWith, IntersectsWith), None);
        assert_eq!(compose(IntersectsWith, SupersetOf), None);
        assert_eq!(compose(SubsetOf, IntersectsWith), None);
    }

    #[test]
    fn nothing_composes_stronger_than_its_links() {
        let all = [Equal, SubsetOf, SupersetOf, IntersectsWith];
        for a in all {
            for b in all {
                match compose(a, b) {
                    Some(c) if a == Equal => assert_eq!(c, b),
                    Some(c) if b == Equal => assert_eq!(c, a),
                    Some(c) => assert!(strength(c) <= strength(a).min(strength(b)), "{a:?} then {b:?}"),
                    None => {}
                }
            }
        }
    }
}
