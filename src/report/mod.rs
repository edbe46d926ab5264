//! Rendering an [`Exposure`]: one module per format, and the pieces they share
//! (how a reason, a fact's source and a deadline are put into words).

pub(crate) mod diagram;
pub(crate) mod json;
pub(crate) mod markdown;

use std::collections::BTreeSet;

use jiff::Timestamp;

use crate::deadline::Start;
use crate::diag::SourceMap;
use crate::evaluate::{Due, Exposure};
use crate::facts::Origin;
use crate::rule::{Outcome, Term};
use crate::taxonomy::FactId;

/// Options that change what a report shows.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// "Now", for time-left figures; reports carry no wall-clock time unless given.
    pub now: Option<Timestamp>,
    /// The assumptions the report ran under, as given (`FACT=value`).
    pub assumptions: Vec<String>,
}

pub(crate) use crate::provenance::FactView;

impl Exposure<'_> {
    pub(crate) fn term_view(&self, term: &Term, map: &SourceMap) -> FactView {
        crate::provenance::term(&self.catalog.taxonomy, self.values, map, term)
    }

    /// The chain of facts from where a term's value came from to the term.
    pub(crate) fn chain(&self, term: &Term) -> Vec<String> {
        crate::provenance::chain(&self.catalog.taxonomy, self.values, term)
    }

    /// The question to ask about an open term.
    pub(crate) fn question_text(&self, term: &Term) -> String {
        let tax = &self.catalog.taxonomy;
        match term {
            Term::Fact(f) => tax.question(*f),
            Term::Number(name) => {
                let base = tax.number(name).and_then(|n| n.question.clone());
                match (name.split_once(':'), base) {
                    (None, Some(q)) => q,
                    _ => format!("How many? ({})", tax.number_title(name)),
                }
            }
        }
    }

    pub(crate) fn term_key(&self, term: &Term) -> String {
        match term {
            Term::Fact(f) => self.catalog.taxonomy.fact(*f).key.clone(),
            Term::Number(n) => n.clone(),
        }
    }
}

/// Stated facts, what they imply, and every fact a reason or question mentions.
pub(crate) fn listed_facts(e: &Exposure<'_>, map: &SourceMap) -> Vec<FactView> {
    let tax = &e.catalog.taxonomy;
    let mut wanted: BTreeSet<Term> = BTreeSet::new();
    for (i, _) in tax.facts().iter().enumerate() {
        let id = FactId::from_index(i);
        if matches!(e.values.root_origin(id), Origin::Stated(_)) {
            wanted.insert(Term::Fact(id));
        }
    }
    for name in e.values.numbers().keys() {
        wanted.insert(Term::Number(name.clone()));
    }
    let mut mention = |o: &Outcome| {
        wanted.extend(o.because.iter().cloned());
        wanted.extend(o.open.iter().cloned());
    };
    for f in &e.frameworks {
        mention(f.scope());
        for c in &f.controls {
            mention(&c.when);
            for o in &c.obligations {
                mention(&o.when);
            }
        }
    }
    for q in &e.questions {
        wanted.insert(q.term.clone());
    }
    let mut views: Vec<FactView> = wanted.iter().map(|t| e.term_view(t, map)).collect();
    views.sort_by(|a, b| (a.source, &a.key).cmp(&(b.source, &b.key)));
    views
}

/// A time as `2026-02-08T09:00:00Z`.
#[must_use]
pub(crate) fn rfc3339(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A time as `2026-02-08 09:00`.
#[must_use]
pub(crate) fn short_time(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%d %H:%M").to_string()
}

/// How alternative `i` of a deadline is counted: `discovered + 72h`.
#[must_use]
pub(crate) fn counted_from(due: &Due, i: usize) -> String {
    let alt = &due.deadline.alternatives[i];
    let from = match alt.after {
        Some(period) => format!("{} of {}", period.as_str(), start_words(&alt.from)),
        None => start_words(&alt.from),
    };
    match alt.within {
        crate::deadline::Within::WithoutUndueDelay => format!("without undue delay from {from}"),
        within => format!("{from} + {within}"),
    }
}

fn start_words(start: &Start) -> String {
    match start {
        Start::Timeline(k) => k.as_str().to_owned(),
        Start::Obligation(id) => format!("due time of {id}"),
    }
}

/// Hours between `now` and `due`, negative when overdue.
pub(crate) fn hours_left(now: Timestamp, due: Timestamp) -> i64 {
    due.duration_since(now).as_secs().div_euclid(3600)
}
