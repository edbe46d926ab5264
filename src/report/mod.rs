//! Rendering an [`Exposure`]: one module per format, and the pieces they share
//! (how a reason, a fact's source and a deadline are put into words).

pub(crate) mod diagram;
pub(crate) mod ics;
pub(crate) mod json;
pub(crate) mod markdown;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use jiff::Timestamp;

use crate::deadline::Start;
use crate::diag::SourceMap;
use crate::evaluate::{Due, Exposure, ReliefDue};
use crate::facts::Origin;
use crate::rule::{Outcome, Term};
use crate::taxonomy::FactId;

/// Options that change what a report shows.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// "Now", for time-left figures; reports carry no wall-clock time unless given.
    pub now: Option<Timestamp>,
    /// `now` was read from this machine's clock (`--now now`), and the report says so.
    pub now_from_clock: bool,
    /// The assumptions the report ran under, as given (`FACT=value`).
    pub assumptions: Vec<String>,
    /// Only frameworks of these kinds (`--kind`); empty keeps every kind.
    pub kinds: Vec<crate::model::FrameworkKind>,
    /// Only these frameworks (`--framework`); empty keeps every framework.
    pub frameworks: Vec<String>,
}

impl Options {
    /// Whether `--kind` or `--framework` narrows the report.
    #[must_use]
    pub fn filtered(&self) -> bool {
        !self.kinds.is_empty() || !self.frameworks.is_empty()
    }

    /// Whether the report keeps framework `f`.
    #[must_use]
    pub fn keeps(&self, f: &crate::model::Framework) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&f.kind))
            && (self.frameworks.is_empty() || self.frameworks.iter().any(|id| id == f.id.as_str()))
    }
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

/// A chain of more facts than this is written out where its fact is first a reason;
/// later reasons name the fact and where the chain starts. A report then grows with
/// the number of items and the length of the chains, not with their product.
pub(crate) const CHAIN_WRITTEN_ONCE: usize = 3;

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

/// A time in the incident's time zone: `2026-11-17 15:10 Europe/Amsterdam`.
#[must_use]
pub(crate) fn local_time(ts: Timestamp, zone: &str) -> String {
    format!(
        "{} {zone}",
        ts.to_zoned(crate::calendar::zone(zone)).strftime("%Y-%m-%d %H:%M")
    )
}

/// A time in the incident's time zone as RFC 9557:
/// `2026-11-17T15:10:00+01:00[Europe/Amsterdam]`.
#[must_use]
pub(crate) fn local_rfc9557(ts: Timestamp, zone: &str) -> String {
    ts.to_zoned(crate::calendar::zone(zone)).to_string()
}

/// A time in UTC, and in the incident's time zone when it sets one:
/// `2026-11-17 14:10 UTC (2026-11-17 15:10 Europe/Amsterdam)`.
#[must_use]
pub(crate) fn utc_and_local(ts: Timestamp, zone: Option<&str>) -> String {
    match zone {
        Some(z) => format!("{} UTC ({})", short_time(ts), local_time(ts, z)),
        None => format!("{} UTC", short_time(ts)),
    }
}

/// A recorded `[[done]]` in words: when, whether on time, by whom, with what reference.
#[must_use]
pub(crate) fn done_words(o: &crate::evaluate::ObligationResult<'_>, zone: Option<&str>) -> Option<String> {
    let d = o.done?;
    let mut text = format!("done {}", utc_and_local(d.at, zone));
    match o.on_time() {
        Some(true) => text.push_str(", on time"),
        Some(false) => {
            let due = o.due.as_ref().and_then(|d| d.due).unwrap_or(d.at);
            let _ = write!(text, ", late by {}h", (-hours_left(d.at, due)).max(0));
        }
        None => {}
    }
    // Who and the reference are the incident's own words, shown in Markdown.
    if let Some(by) = &d.by {
        let _ = write!(text, ", by {}", markdown::escape(by));
    }
    if let Some(r) = &d.reference {
        let _ = write!(text, ", ref {}", markdown::escape(r));
    }
    Some(text)
}

/// How alternative `i` of a deadline is counted: `discovered + 72h`.
#[must_use]
pub(crate) fn counted_from(due: &Due, i: usize) -> String {
    let alt = &due.deadline.alternatives[i];
    let start = if due.alternatives[i].from_done {
        match &alt.from {
            Start::Obligation(id) => format!("done time of {id}"),
            Start::Timeline(k) => k.as_str().to_owned(),
        }
    } else {
        start_words(&alt.from)
    };
    let from = match alt.after {
        Some(period) => format!("{} of {start}", period.as_str()),
        None => start,
    };
    let mut text = match alt.within {
        crate::deadline::Within::WithoutUndueDelay => format!("without undue delay from {from}"),
        within => format!("{from} + {within}"),
    };
    if let Some(calendar) = &alt.calendar {
        let _ = write!(text, ", skipping {calendar} holidays");
    }
    if let Some(end) = &alt.end_of_day {
        let _ = write!(text, ", {end}");
    }
    text
}

/// Why a deadline has no due time, in words: the dates it waits for, the calendar it
/// could not be counted on, or its having no fixed time.
#[must_use]
pub(crate) fn uncomputed_words(due: &Due) -> String {
    let missing: Vec<&str> = due.missing().iter().map(|k| k.as_str()).collect();
    if !missing.is_empty() {
        format!("not computable (needs {})", missing.join(", "))
    } else if let Some(outside) = due.outside() {
        format!("not computable ({outside})")
    } else {
        "no fixed time".to_owned()
    }
}

fn start_words(start: &Start) -> String {
    match start {
        Start::Timeline(k) => k.as_str().to_owned(),
        Start::Obligation(id) => format!("due time of {id}"),
    }
}

/// A deadline's weekend relief in words: when, on which calendar, and for whom.
#[must_use]
pub(crate) fn relief_words(e: &Exposure<'_>, r: &ReliefDue) -> String {
    let at = r.at.strftime("%H:%M");
    let when = match (r.due, &r.calendar) {
        (Some(t), Some(c)) => format!(
            "{} UTC (next working day, {at} local time, `{c}` holidays)",
            short_time(t)
        ),
        _ => r.note.clone().unwrap_or_default(),
    };
    let questions: Vec<String> = r.when.open.iter().map(|t| e.term_key(t)).collect();
    if questions.is_empty() {
        format!("weekend relief: {when}")
    } else {
        format!(
            "weekend relief, if the organisation may use it (answer {}): {when}",
            questions.join(", ")
        )
    }
}

/// Hours between `now` and `due`, negative when overdue.
pub(crate) fn hours_left(now: Timestamp, due: Timestamp) -> i64 {
    due.duration_since(now).as_secs().div_euclid(3600)
}
