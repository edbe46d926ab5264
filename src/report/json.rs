//! The JSON report (DESIGN §7), as typed structs that serde writes out.
//!
//! Key names are a contract: add keys, never rename. The order of the fields below is
//! the order of the keys in the output, so a field is added at the end of its struct.
//! Values are borrowed from the evaluation where they can be; times are written
//! as RFC 3339 in UTC.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{CHAIN_WRITTEN_ONCE, FactView, Options, hours_left, rfc3339};
use crate::applicability::InForceGate;
use crate::diag::SourceMap;
use crate::evaluate::{self, ControlResult, Due, Exposure, FrameworkResult, ObligationResult, Status};
use crate::rule::{Outcome, Term};
use crate::truth::Truth;

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
    questions: Vec<QuestionEntry>,
    /// Places the incident names that no framework of the catalog speaks to.
    coverage: Vec<CoverageEntry<'a>>,
    /// Frameworks and obligations whose conditions hold but that were not in force on
    /// the day the incident was discovered, by id.
    not_in_force: Vec<NotInForceEntry>,
}

/// A framework or obligation left out because of its dates.
#[derive(Serialize)]
struct NotInForceEntry {
    id: String,
    #[serde(flatten)]
    gate: InForceEntry,
}

/// A date gate: the dates of a framework or obligation and whether it was in force on
/// the discovery day.
#[derive(Serialize)]
struct InForceEntry {
    /// The framework or obligation whose dates these are.
    owner: String,
    effective: Option<String>,
    until: Option<String>,
    /// The day (UTC) the incident was discovered, `null` when not given.
    discovered: Option<String>,
    /// `true`, `false` or `unknown` (no discovery date).
    in_force: &'static str,
    /// The same in words.
    reason: String,
}

fn in_force_entry(g: &InForceGate) -> InForceEntry {
    InForceEntry {
        owner: g.owner.to_string(),
        effective: g.dates.effective.map(|d| d.to_string()),
        until: g.dates.until.map(|d| d.to_string()),
        discovered: g.discovered.map(|d| d.to_string()),
        in_force: g.value.as_str(),
        reason: g.words(),
    }
}

/// The keys of an item's open questions, with `timeline.discovered` when a date gate
/// on its way waits for it.
fn question_keys(e: &Exposure<'_>, terms: &BTreeSet<Term>, gates: &[InForceGate]) -> Vec<String> {
    let mut out = keys(e, terms);
    if gates.iter().any(|g| g.value == Truth::Unknown) {
        out.push("timeline.discovered".to_owned());
    }
    out
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
    /// The time zone `due_local` times are in.
    #[serde(skip_serializing_if = "Option::is_none")]
    timezone: Option<&'a str>,
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
    /// Who decided a stated value, when and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    decided: Option<DecisionEntry>,
}

/// A decision recorded with a fact.
#[derive(Serialize)]
struct DecisionEntry {
    by: Option<String>,
    at: Option<String>,
    why: Option<String>,
}

/// A true atom that made a rule true (or a false one that made a scope false).
#[derive(Serialize)]
struct Reason {
    fact: String,
    value: String,
    /// From a stated fact to this one, along `implies`. A chain of more than
    /// [`CHAIN_WRITTEN_ONCE`] facts is written whole at its first reason in the report;
    /// later reasons give its first and last fact, and `elided` its length.
    path: Vec<String>,
    /// The number of facts in the whole chain, when `path` shortens it.
    #[serde(skip_serializing_if = "Option::is_none")]
    elided: Option<usize>,
    source: &'static str,
}

/// Chains already written whole in this report, by term.
type Written = std::cell::RefCell<std::collections::HashSet<Term>>;

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
    /// What the catalog does not model of it.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    caveats: &'a [String],
    controls: Vec<ControlEntry<'a>>,
    /// Its dates and whether it was in force on the discovery day, when it has dates.
    #[serde(skip_serializing_if = "Option::is_none")]
    in_force: Option<InForceEntry>,
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
    deadline: Option<DeadlineEntry<'a>>,
    /// The later time weekend relief allows, beside the strict due time.
    #[serde(skip_serializing_if = "Option::is_none")]
    relief: Option<ReliefEntry>,
    /// What the incident records of it being carried out.
    #[serde(skip_serializing_if = "Option::is_none")]
    done: Option<DoneEntry<'a>>,
    /// What the catalog does not model of it.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    caveats: &'a [String],
    notify: Option<&'a str>,
    evidence: &'a [String],
    same_as: &'a [crate::model::ItemId],
    url: &'a str,
    /// The date gates on its way (its framework's and its own), when there are any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    in_force: Vec<InForceEntry>,
}

/// A deadline: the chosen alternative's `within` and `from`, the due time, and all
/// alternatives when there is more than one.
#[derive(Serialize)]
struct DeadlineEntry<'a> {
    within: String,
    from: String,
    /// `year-end` when counted from the end of the period `from` falls in.
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<&'static str>,
    /// The holiday calendar business days skip.
    #[serde(skip_serializing_if = "Option::is_none")]
    calendar: Option<&'a str>,
    /// The time zone whose end of day (or cut-off) ends the due day.
    #[serde(skip_serializing_if = "Option::is_none")]
    end_of_day: Option<&'a str>,
    /// The local cut-off time, `HH:MM`, when the day ends before midnight.
    #[serde(skip_serializing_if = "Option::is_none")]
    cutoff: Option<String>,
    /// `null` when it cannot be computed.
    due: Option<String>,
    /// `due` in the incident's time zone, RFC 9557, when it sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    due_local: Option<String>,
    /// Timeline dates the due time waits for.
    missing: Vec<&'static str>,
    /// Why the due time is `null` when it is not a missing date.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alternatives: Option<Vec<DeadlineEntry<'a>>>,
}

/// A `[[done]]` entry, with whether it met the due time (or its relief).
#[derive(Serialize)]
struct DoneEntry<'a> {
    at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    at_local: Option<String>,
    /// `null` without a due time.
    on_time: Option<bool>,
    by: Option<&'a str>,
    #[serde(rename = "ref")]
    reference: Option<&'a str>,
    note: Option<&'a str>,
}

/// Weekend relief: when it ends, on which calendar, whether the organisation may use it.
#[derive(Serialize)]
struct ReliefEntry {
    /// `null` when it cannot be counted; `note` says why.
    due: Option<String>,
    /// The local time on the next working day, `HH:MM`.
    next_working_day: String,
    calendar: Option<String>,
    status: &'static str,
    /// The facts that decide whether the organisation may use it.
    questions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Serialize)]
struct ChecklistEntry<'a> {
    items: &'a [String],
    action: &'a str,
    due: Option<String>,
    /// `due` in the incident's time zone, RFC 9557, when it sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    due_local: Option<String>,
    status: &'static str,
    kinds: Vec<&'static str>,
    evidence: &'a [String],
    /// When every item was carried out, if the incident records it.
    #[serde(skip_serializing_if = "Option::is_none")]
    done: Option<String>,
    /// A duty of a law or regulation, not only good practice.
    statutory: bool,
}

#[derive(Serialize)]
struct TimelineEntryOut<'a> {
    /// `null` while the clock waits for a date the incident does not give.
    due: Option<String>,
    /// `due` in the incident's time zone, RFC 9557, when it sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    due_local: Option<String>,
    /// When it was carried out, if the incident records it.
    #[serde(skip_serializing_if = "Option::is_none")]
    done: Option<String>,
    obligation: &'a str,
    status: &'static str,
    /// Only with `--now`; negative when overdue.
    #[serde(skip_serializing_if = "Option::is_none")]
    hours_left: Option<i64>,
    /// The timeline dates the clock waits for.
    missing: Vec<&'static str>,
    /// Why the due time is `null` when it is not a missing date.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Serialize)]
struct QuestionEntry {
    fact: String,
    question: String,
    decides: Vec<String>,
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
            timezone: incident.timezone.as_deref(),
        },
        catalog: &e.catalog.origin,
        scope: e.scope.as_str(),
        now: options.now.map(rfc3339),
        assumptions: &options.assumptions,
        facts: super::listed_facts(e, map).into_iter().map(fact_entry).collect(),
        frameworks: {
            let written = Written::default();
            e.frameworks.iter().map(|f| framework(e, f, map, &written)).collect()
        },
        checklist: e
            .checklist
            .iter()
            .map(|c| ChecklistEntry {
                items: &c.items,
                action: &c.action,
                due: c.due.map(rfc3339),
                due_local: local(c.due, incident),
                status: c.status.as_str(),
                kinds: c.kinds.iter().map(|k| k.as_str()).collect(),
                evidence: &c.evidence,
                done: c.done.map(rfc3339),
                statutory: c.statutory,
            })
            .collect(),
        timeline: e
            .timeline
            .iter()
            .map(|t| timeline_entry(t, incident, options))
            .collect(),
        questions: e
            .questions
            .iter()
            .map(|q| QuestionEntry {
                fact: e.term_key(&q.term),
                question: e.question_text(&q.term),
                decides: q.decides.clone(),
            })
            .chain(e.date_questions.iter().map(|q| QuestionEntry {
                fact: format!("timeline.{}", q.key.as_str()),
                question: q.key.question().to_owned(),
                decides: q.decides(),
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
        not_in_force: e
            .not_in_force
            .iter()
            .map(|n| NotInForceEntry {
                id: n.id.clone(),
                gate: in_force_entry(&n.gate),
            })
            .collect(),
    }
}

/// A time in the incident's time zone, RFC 9557, when it sets one.
fn local(ts: Option<jiff::Timestamp>, incident: &crate::incident::Incident) -> Option<String> {
    ts.zip(incident.timezone.as_deref())
        .map(|(t, z)| super::local_rfc9557(t, z))
}

fn timeline_entry<'a>(
    t: &'a evaluate::TimelineEntry,
    incident: &crate::incident::Incident,
    options: &Options,
) -> TimelineEntryOut<'a> {
    TimelineEntryOut {
        due: t.due.map(rfc3339),
        due_local: local(t.due, incident),
        done: t.done.map(rfc3339),
        obligation: &t.obligation,
        status: t.status.as_str(),
        hours_left: options.now.zip(t.due).map(|(now, due)| hours_left(now, due)),
        missing: t.missing.iter().map(|k| k.as_str()).collect(),
        note: t.uncounted.as_ref().map(ToString::to_string),
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
        decided: v.decision.map(|d| DecisionEntry {
            by: d.by,
            at: d.at.map(rfc3339),
            why: d.why,
        }),
    }
}

fn reasons(e: &Exposure<'_>, o: &Outcome, map: &SourceMap, written: &Written) -> Vec<Reason> {
    o.because
        .iter()
        .map(|t| {
            let v = e.term_view(t, map);
            let chain = e.chain(t);
            let (path, elided) = if chain.len() > CHAIN_WRITTEN_ONCE && !written.borrow_mut().insert(t.clone()) {
                let n = chain.len();
                let ends = vec![chain[0].clone(), chain[n - 1].clone()];
                (ends, Some(n))
            } else {
                (chain, None)
            };
            Reason {
                fact: v.key,
                value: v.value,
                path,
                elided,
                source: v.source.as_str(),
            }
        })
        .collect()
}

fn keys(e: &Exposure<'_>, terms: &BTreeSet<Term>) -> Vec<String> {
    terms.iter().map(|t| e.term_key(t)).collect()
}

fn framework<'a>(e: &Exposure<'_>, f: &FrameworkResult<'a>, map: &SourceMap, written: &Written) -> FrameworkEntry<'a> {
    let fw = f.framework;
    FrameworkEntry {
        id: &fw.id,
        title: &fw.title,
        kind: fw.kind.as_str(),
        url: &fw.source,
        scope: fw.scope.as_ref().map(ToString::to_string),
        status: f.status.as_str(),
        reasons: reasons(e, f.scope(), map, written),
        caveats: &fw.caveats,
        questions: question_keys(
            e,
            &f.scope().open,
            if f.status == Status::MayApply {
                f.in_force.as_slice()
            } else {
                &[]
            },
        ),
        controls: f.controls.iter().map(|c| control(e, c, map, written)).collect(),
        in_force: f.in_force.as_ref().map(in_force_entry),
    }
}

fn control<'a>(e: &Exposure<'_>, c: &ControlResult<'a>, map: &SourceMap, written: &Written) -> ControlEntry<'a> {
    let ctl = c.control;
    ControlEntry {
        id: &ctl.id,
        title: &ctl.title,
        status: c.status.as_str(),
        summary: &ctl.summary,
        url: &ctl.source,
        when: ctl.when.as_ref().map(ToString::to_string),
        reasons: reasons(e, &c.when, map, written),
        questions: question_keys(e, &c.questions, &c.in_force),
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
        obligations: c.obligations.iter().map(|o| obligation(e, o, map, written)).collect(),
    }
}

fn obligation<'a>(
    e: &Exposure<'_>,
    o: &ObligationResult<'a>,
    map: &SourceMap,
    written: &Written,
) -> ObligationEntry<'a> {
    let ob = o.obligation;
    ObligationEntry {
        id: &ob.id,
        title: ob.title.as_deref(),
        kind: ob.kind.as_str(),
        status: o.status.as_str(),
        action: &ob.action,
        when: ob.when.as_ref().map(ToString::to_string),
        reasons: reasons(e, &o.when, map, written),
        deadline: o.due.as_ref().map(|d| deadline(d, e.incident)),
        caveats: &ob.caveats,
        done: o.done.map(|d| DoneEntry {
            at: rfc3339(d.at),
            at_local: local(Some(d.at), e.incident),
            on_time: o.on_time(),
            by: d.by.as_deref(),
            reference: d.reference.as_deref(),
            note: d.note.as_deref(),
        }),
        relief: o.relief.as_ref().map(|r| ReliefEntry {
            due: r.due.map(rfc3339),
            next_working_day: r.at.strftime("%H:%M").to_string(),
            calendar: r.calendar.as_ref().map(ToString::to_string),
            status: r.status.as_str(),
            questions: keys(e, &r.when.open),
            note: r.note.clone(),
        }),
        questions: o.question_keys(e),
        notify: ob.notify.as_deref(),
        evidence: &ob.evidence,
        same_as: &ob.same_as,
        url: &ob.source,
        in_force: o.in_force.iter().map(in_force_entry).collect(),
    }
}

fn deadline<'a>(d: &Due<'a>, incident: &crate::incident::Incident) -> DeadlineEntry<'a> {
    let alt = |i: usize| {
        let a = &d.deadline.alternatives[i];
        let computed = &d.alternatives[i];
        DeadlineEntry {
            within: a.within.to_string(),
            from: a.from.to_string(),
            after: a.after.map(crate::deadline::PeriodEnd::as_str),
            calendar: a.calendar.as_ref().map(crate::model::ItemId::as_str),
            end_of_day: a.end_of_day.as_ref().map(|e| e.zone.as_str()),
            cutoff: a
                .end_of_day
                .as_ref()
                .filter(|e| e.cutoff)
                .map(|e| e.at.strftime("%H:%M").to_string()),
            due: computed.due.map(rfc3339),
            due_local: local(computed.due, incident),
            missing: computed.missing.iter().map(|k| k.as_str()).collect(),
            note: computed.outside.as_ref().map(ToString::to_string),
            alternatives: None,
        }
    };
    let count = d.deadline.alternatives.len();
    DeadlineEntry {
        due: d.due.map(rfc3339),
        due_local: local(d.due, incident),
        missing: d.missing().iter().map(|k| k.as_str()).collect(),
        note: d.outside().map(ToString::to_string),
        alternatives: (count > 1).then(|| (0..count).map(alt).collect()),
        ..alt(d.chosen.unwrap_or(0))
    }
}
