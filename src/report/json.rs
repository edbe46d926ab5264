//! The JSON report (DESIGN §7), as typed structs that serde writes out.
//!
//! Key names are a contract: add keys, never rename. The order of the fields below is
//! the order of the keys in the output, so a field is added at the end of its struct.
//! Values are borrowed from the evaluation where they can be; times are written
//! as RFC 3339 in UTC.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{FactView, Options, hours_left, rfc3339};
use crate::diag::SourceMap;
use crate::evaluate::{self, ControlResult, Due, Exposure, FrameworkResult, ObligationResult};
use crate::rule::{Outcome, Term};

/// Renders the report as pretty-printed JSON with a final newline.
#[must_use]
pub fn render(exposure: &Exposure<'_>, map: &SourceMap, options: &Options) -> String {
    let mut out = serde_json::to_string_pretty(&report(exposure, map, options)).unwrap_or_default();
    out.push('\n');
    out
}

/// The whole report.
#[derive(Serialize)]
pub(crate) struct Report<'a> {
    /// Bumped only when a key changes meaning; today 1.
    schema_version: u32,
    incident: IncidentHeader<'a>,
    /// Where the catalog came from: `embedded`, folder names, or both.
    catalog: &'a str,
    /// `org` or `all`.
    scope: &'static str,
    /// The `--now` time, when given.
    now: Option<String>,
    /// `--assume` arguments as given.
    assumptions: &'a [String],
    /// Stated facts, what they imply, and the facts reasons and questions mention.
    facts: Vec<FactEntry>,
    /// Every framework of the catalog, sorted by id.
    frameworks: Vec<FrameworkEntry<'a>>,
    /// Obligations merged by `same_as`, by due time.
    checklist: Vec<ChecklistEntry<'a>>,
    /// Computed due times, by due time then id.
    timeline: Vec<TimelineEntryOut<'a>>,
    /// Open questions, most decisive first.
    questions: Vec<QuestionEntry<'a>>,
    /// Places the incident names that no framework of the catalog speaks to.
    coverage: Vec<CoverageEntry<'a>>,
}

#[derive(Serialize)]
struct CoverageEntry<'a> {
    place: &'a str,
    title: &'a str,
    field: &'a str,
    /// `not-covered`, or `name-subdivisions` for a place the catalog's frameworks
    /// reach only through places inside it.
    gap: &'static str,
}

#[derive(Serialize)]
struct IncidentHeader<'a> {
    id: &'a str,
    title: &'a str,
    organization: Option<&'a str>,
}

/// A listed fact or number.
#[derive(Serialize)]
struct FactEntry {
    fact: String,
    title: String,
    value: String,
    /// `stated`, `assumed`, `derived` or `default`.
    source: &'static str,
    /// For a derived fact: the fact it follows from.
    from: Option<String>,
    /// For a stated fact: the incident field.
    field: Option<String>,
    line: Option<usize>,
    /// The alias the incident wrote for a stated fact, when it used one.
    #[serde(skip_serializing_if = "Option::is_none")]
    written_as: Option<String>,
}

/// A true atom that made a rule true (or a false one that made a scope false).
#[derive(Serialize)]
struct Reason {
    fact: String,
    value: String,
    /// From a stated fact to this one, along `implies`.
    path: Vec<String>,
    source: &'static str,
}

#[derive(Serialize)]
struct FrameworkEntry<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'static str,
    url: &'a str,
    scope: Option<String>,
    status: &'static str,
    reasons: Vec<Reason>,
    questions: Vec<String>,
    controls: Vec<ControlEntry<'a>>,
}

#[derive(Serialize)]
struct ControlEntry<'a> {
    id: &'a str,
    title: &'a str,
    status: &'static str,
    summary: &'a str,
    url: &'a str,
    when: Option<String>,
    reasons: Vec<Reason>,
    questions: Vec<String>,
    related: Vec<RelatedEntry<'a>>,
    obligations: Vec<ObligationEntry<'a>>,
}

#[derive(Serialize)]
struct RelatedEntry<'a> {
    to: &'a str,
    relation: &'static str,
    rationale: Option<&'a str>,
    confidence: Option<&'static str>,
}

#[derive(Serialize)]
struct ObligationEntry<'a> {
    id: &'a str,
    title: Option<&'a str>,
    kind: &'static str,
    status: &'static str,
    action: &'a str,
    when: Option<String>,
    reasons: Vec<Reason>,
    questions: Vec<String>,
    deadline: Option<DeadlineEntry>,
    notify: Option<&'a str>,
    evidence: &'a [String],
    same_as: &'a [crate::model::ItemId],
    url: &'a str,
}

/// A deadline: the chosen alternative's `within` and `from`, the due time, and all
/// alternatives when there is more than one.
#[derive(Serialize)]
struct DeadlineEntry {
    within: String,
    from: String,
    /// `year-end` when counted from the end of the period `from` falls in.
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<&'static str>,
    /// `null` when it cannot be computed.
    due: Option<String>,
    /// Timeline dates the due time waits for.
    missing: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alternatives: Option<Vec<DeadlineEntry>>,
}

#[derive(Serialize)]
struct ChecklistEntry<'a> {
    items: &'a [String],
    action: &'a str,
    due: Option<String>,
    status: &'static str,
    kinds: Vec<&'static str>,
    evidence: &'a [String],
}

#[derive(Serialize)]
struct TimelineEntryOut<'a> {
    /// `null` while the clock waits for a date the incident does not give.
    due: Option<String>,
    obligation: &'a str,
    status: &'static str,
    /// Only with `--now`; negative when overdue.
    #[serde(skip_serializing_if = "Option::is_none")]
    hours_left: Option<i64>,
    /// The timeline dates the clock waits for.
    missing: Vec<&'static str>,
}

#[derive(Serialize)]
struct QuestionEntry<'a> {
    fact: String,
    question: String,
    decides: &'a [String],
}

/// The report of an evaluation.
pub(crate) fn report<'a>(e: &'a Exposure<'_>, map: &SourceMap, options: &'a Options) -> Report<'a> {
    let incident = e.incident;
    Report {
        schema_version: 1,
        incident: IncidentHeader {
            id: &incident.id,
            title: &incident.title,
            organization: incident.organization.as_deref(),
        },
        catalog: &e.catalog.origin,
        scope: e.scope.as_str(),
        now: options.now.map(rfc3339),
        assumptions: &options.assumptions,
        facts: super::listed_facts(e, map).into_iter().map(fact_entry).collect(),
        frameworks: e.frameworks.iter().map(|f| framework(e, f, map)).collect(),
        checklist: e
            .checklist
            .iter()
            .map(|c| ChecklistEntry {
                items: &c.items,
                action: &c.action,
                due: c.due.map(rfc3339),
                status: c.status.as_str(),
                kinds: c.kinds.iter().map(|k| k.as_str()).collect(),
                evidence: &c.evidence,
            })
            .collect(),
        timeline: e.timeline.iter().map(|t| timeline_entry(t, options)).collect(),
        questions: e
            .questions
            .iter()
            .map(|q| QuestionEntry {
                fact: e.term_key(&q.term),
                question: e.question_text(&q.term),
                decides: &q.decides,
            })
            .chain(e.date_questions.iter().map(|q| QuestionEntry {
                fact: format!("timeline.{}", q.key.as_str()),
                question: q.key.question().to_owned(),
                decides: &q.starts,
            }))
            .collect(),
        coverage: e
            .coverage
            .iter()
            .map(|g| CoverageEntry {
                place: &g.place,
                title: &g.title,
                field: g.field,
                gap: g.kind.as_str(),
            })
            .collect(),
    }
}

fn timeline_entry<'a>(t: &'a evaluate::TimelineEntry, options: &Options) -> TimelineEntryOut<'a> {
    TimelineEntryOut {
        due: t.due.map(rfc3339),
        obligation: &t.obligation,
        status: t.status.as_str(),
        hours_left: options.now.zip(t.due).map(|(now, due)| hours_left(now, due)),
        missing: t.missing.iter().map(|k| k.as_str()).collect(),
    }
}

fn fact_entry(v: FactView) -> FactEntry {
    let (field, line) = match v.field {
        Some((field, line)) => (Some(field), line),
        None => (None, None),
    };
    FactEntry {
        fact: v.key,
        title: v.title,
        value: v.value,
        source: v.source.as_str(),
        from: v.from,
        field,
        line,
        written_as: v.written_as,
    }
}

fn reasons(e: &Exposure<'_>, o: &Outcome, map: &SourceMap) -> Vec<Reason> {
    o.because
        .iter()
        .map(|t| {
            let v = e.term_view(t, map);
            Reason {
                fact: v.key,
                value: v.value,
                path: e.chain(t),
                source: v.source.as_str(),
            }
        })
        .collect()
}

fn keys(e: &Exposure<'_>, terms: &BTreeSet<Term>) -> Vec<String> {
    terms.iter().map(|t| e.term_key(t)).collect()
}

fn framework<'a>(e: &Exposure<'_>, f: &FrameworkResult<'a>, map: &SourceMap) -> FrameworkEntry<'a> {
    let fw = f.framework;
    FrameworkEntry {
        id: &fw.id,
        title: &fw.title,
        kind: fw.kind.as_str(),
        url: &fw.source,
        scope: fw.scope.as_ref().map(ToString::to_string),
        status: f.status.as_str(),
        reasons: reasons(e, f.scope(), map),
        questions: keys(e, &f.scope().open),
        controls: f.controls.iter().map(|c| control(e, c, map)).collect(),
    }
}

fn control<'a>(e: &Exposure<'_>, c: &ControlResult<'a>, map: &SourceMap) -> ControlEntry<'a> {
    let ctl = c.control;
    ControlEntry {
        id: &ctl.id,
        title: &ctl.title,
        status: c.status.as_str(),
        summary: &ctl.summary,
        url: &ctl.source,
        when: ctl.when.as_ref().map(ToString::to_string),
        reasons: reasons(e, &c.when, map),
        questions: keys(e, &c.questions),
        related: c
            .related
            .iter()
            .map(|r| RelatedEntry {
                to: &r.to,
                relation: r.relation.as_str(),
                rationale: r.rationale.as_deref(),
                confidence: r.confidence.map(crate::model::Confidence::as_str),
            })
            .collect(),
        obligations: c.obligations.iter().map(|o| obligation(e, o, map)).collect(),
    }
}

fn obligation<'a>(e: &Exposure<'_>, o: &ObligationResult<'a>, map: &SourceMap) -> ObligationEntry<'a> {
    let ob = o.obligation;
    ObligationEntry {
        id: &ob.id,
        title: ob.title.as_deref(),
        kind: ob.kind.as_str(),
        status: o.status.as_str(),
        action: &ob.action,
        when: ob.when.as_ref().map(ToString::to_string),
        reasons: reasons(e, &o.when, map),
        questions: keys(e, &o.questions),
        deadline: o.due.as_ref().map(deadline),
        notify: ob.notify.as_deref(),
        evidence: &ob.evidence,
        same_as: &ob.same_as,
        url: &ob.source,
    }
}

fn deadline(d: &Due<'_>) -> DeadlineEntry {
    let alt = |i: usize| {
        let a = &d.deadline.alternatives[i];
        let computed = &d.alternatives[i];
        DeadlineEntry {
            within: a.within.to_string(),
            from: a.from.to_string(),
            after: a.after.map(crate::deadline::PeriodEnd::as_str),
            due: computed.due.map(rfc3339),
            missing: computed.missing.iter().map(|k| k.as_str()).collect(),
            alternatives: None,
        }
    };
    let count = d.deadline.alternatives.len();
    DeadlineEntry {
        due: d.due.map(rfc3339),
        missing: d.missing().iter().map(|k| k.as_str()).collect(),
        alternatives: (count > 1).then(|| (0..count).map(alt).collect()),
        ..alt(d.chosen.unwrap_or(0))
    }
}
