//! Reachability: can any incident make an obligation apply?
//!
//! An obligation applies when the conditions [`Item::rules`] gives (its framework's
//! scope, its control's `when` and its own `when`) are all true. Any fact may be stated true or false, as long as the statements
//! agree with `implies`; numbers may take any value. A small search over the atoms of
//! the three rules, pruned by three-valued evaluation, finds an assignment or shows
//! there is none. `check` warns about obligations that no incident can reach: their
//! conditions contradict each other, so they would never show in a report.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::applicability::Item;
use crate::catalog::PARALLEL_CONTROLS;
use crate::evaluate::ScopeMode;
use crate::model::{Catalog, Framework, Obligation};
use crate::rule::{Env, Rule, Term};
use crate::taxonomy::{FactId, Taxonomy};
use crate::truth::Truth;

/// The search gives up (and calls the obligation reachable) after this many steps.
const BUDGET: usize = 20_000;

/// Ids of the obligations that no incident can make apply, in catalog order. Each
/// framework is searched on its own, so a large catalog uses every core.
#[must_use]
pub fn unreachable_obligations(catalog: &Catalog) -> Vec<&Obligation> {
    let taxonomy = &catalog.taxonomy;
    let found: Vec<Vec<&Obligation>> = if catalog.controls().count() < PARALLEL_CONTROLS {
        catalog.frameworks.iter().map(|f| unreachable_in(f, taxonomy)).collect()
    } else {
        catalog
            .frameworks
            .par_iter()
            .map(|f| unreachable_in(f, taxonomy))
            .collect()
    };
    found.into_iter().flatten().collect()
}

fn unreachable_in<'a>(f: &'a Framework, taxonomy: &Taxonomy) -> Vec<&'a Obligation> {
    let mut out = Vec::new();
    for c in &f.controls {
        for o in &c.obligations {
            let item = Item::Obligation(f, c, o);
            // Withdrawn and reference controls are never evaluated: nothing to reach.
            if item.gate().is_some() {
                continue;
            }
            let rules = item.rules(ScopeMode::Org);
            let mut terms: Vec<Term> = rules.iter().flat_map(|r| r.terms()).collect();
            terms.dedup();
            let mut search = Search {
                taxonomy,
                rules: &rules,
                terms,
                facts: BTreeMap::new(),
                numbers: BTreeMap::new(),
                steps: 0,
            };
            if !search.satisfiable() {
                out.push(o);
            }
        }
    }
    out
}

struct Search<'a> {
    taxonomy: &'a Taxonomy,
    rules: &'a [&'a Rule],
    /// Every atom of the rules, in order: the search branches on them.
    terms: Vec<Term>,
    facts: BTreeMap<FactId, Truth>,
    /// Comparisons are decided directly: a number can always be chosen to satisfy one
    /// comparison; two comparisons on the same number are rare enough to trust.
    numbers: BTreeMap<String, Truth>,
    steps: usize,
}

/// Evaluation with comparisons answered by the search, not by a value.
struct Assumed<'s>(&'s BTreeMap<FactId, Truth>);

impl Env for Assumed<'_> {
    fn fact(&self, fact: FactId) -> Truth {
        self.0.get(&fact).copied().unwrap_or(Truth::Unknown)
    }
    fn number(&self, _: &str) -> Option<u64> {
        None
    }
}

impl Search<'_> {
    fn value(&self) -> Truth {
        let env = Assumed(&self.facts);
        let mut total = Truth::True;
        for rule in self.rules {
            total = total.and(rule.value(&env));
            if total == Truth::False {
                return total;
            }
        }
        total
    }

    fn satisfiable(&mut self) -> bool {
        self.steps += 1;
        if self.steps > BUDGET {
            return true;
        }
        match self.value() {
            Truth::False => false,
            Truth::True => self.consistent(),
            Truth::Unknown => {
                let next = self.terms.iter().find(|t| match t {
                    Term::Fact(f) => !self.facts.contains_key(f),
                    Term::Number(n) => !self.numbers.contains_key(n),
                });
                match next.cloned() {
                    // Only comparisons are left: a number can be chosen to satisfy them.
                    None => self.consistent(),
                    Some(Term::Number(n)) => {
                        self.numbers.insert(n.clone(), Truth::True);
                        let only_numbers_left = self.terms.iter().all(|t| match t {
                            Term::Fact(f) => self.facts.contains_key(f),
                            Term::Number(_) => true,
                        });
                        let ok = if only_numbers_left {
                            self.consistent()
                        } else {
                            self.satisfiable()
                        };
                        self.numbers.remove(&n);
                        ok
                    }
                    Some(Term::Fact(f)) => {
                        for value in [Truth::True, Truth::False] {
                            self.facts.insert(f, value);
                            if self.satisfiable() {
                                return true;
                            }
                        }
                        self.facts.remove(&f);
                        false
                    }
                }
            }
        }
    }
    /// The chosen values agree with `implies`: nothing true implies something false.
    fn consistent(&self) -> bool {
        self.facts.iter().filter(|(_, v)| **v == Truth::True).all(|(f, _)| {
            let mut stack = vec![*f];
            let mut seen = vec![*f];
            while let Some(g) = stack.pop() {
                if self.facts.get(&g) == Some(&Truth::False) {
                    return false;
                }
                for &h in &self.taxonomy.fact(g).implies {
                    if !seen.contains(&h) {
                        seen.push(h);
                        stack.push(h);
                    }
                }
            }
            true
        })
    }
}
