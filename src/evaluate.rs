//! Evaluation (DESIGN §5): an incident's closed facts against the catalog graph give
//! an [`Exposure`]: the status of every framework, control and obligation, with
//! reasons and open questions, the due times, the consolidated checklist, the
//! timeline of deadlines and the questions that would decide what is still open.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::Timestamp;

use crate::applicability::{self, InForceGate, Item, Verdict};
use crate::deadline::{Count, Deadline, OutOfRange, Start, TimelineKey};
use crate::diag::{Code, Diagnostic};
use crate::facts::FactValues;
use crate::graph::CatalogGraph;
use crate::incident::Incident;
use crate::model::{Catalog, Control, Framework, ItemId, Obligation, ObligationKind, Related};
use crate::rule::{Outcome, Term};
use crate::truth::Truth;

/// Whether framework scopes count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScopeMode {
    /// Only what applies to this organisation (framework scopes are evaluated).
    #[default]
    Org,
    /// What the incident implicates for any organisation (scopes are ignored for controls).
    All,
}

impl ScopeMode {
    /// `org` or `all`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeMode::Org => "org",
            ScopeMode::All => "all",
        }
    }
}

/// The status of a framework, control or obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Its conditions are true.
    Applies,
    /// Its conditions are unknown.
    MayApply,
    /// Its conditions are false.
    NotApplicable,
}

impl Status {
    /// `applies`, `may-apply`, `not-applicable`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Applies => "applies",
            Status::MayApply => "may-apply",
            Status::NotApplicable => "not-applicable",
        }
    }

    /// The status a rule value gives: true applies, unknown may apply, false does not.
    #[must_use]
    pub fn of_truth(value: Truth) -> Status {
        match value {
            Truth::True => Status::Applies,
            Truth::Unknown => Status::MayApply,
            Truth::False => Status::NotApplicable,
        }
    }
}

/// The result for one framework.
#[derive(Debug)]
pub struct FrameworkResult<'c> {
    /// The framework.
    pub framework: &'c Framework,
    /// By its scope.
    pub status: Status,
    /// The scope's evaluation with its reasons, computed when first asked for: most
    /// frameworks of a large catalog do not apply, and `batch` never shows why.
    scope: std::sync::OnceLock<Outcome>,
    /// The facts the scope is evaluated against.
    values: &'c FactValues,
    /// Controls that apply or may apply (none when not applicable, unless scope = all).
    pub controls: Vec<ControlResult<'c>>,
    /// Its date gate, when it has `effective` or `until`.
    pub in_force: Option<InForceGate>,
}

impl FrameworkResult<'_> {
    /// The scope's evaluation: its value, reasons and open questions.
    pub fn scope(&self) -> &Outcome {
        self.scope
            .get_or_init(|| applicability::framework(self.framework, self.values).own)
    }
}

/// The result for one control.
#[derive(Debug)]
pub struct ControlResult<'c> {
    /// The control.
    pub control: &'c Control,
    /// Applies or may apply.
    pub status: Status,
    /// Its own `when`, evaluated (reasons).
    pub when: Outcome,
    /// Unknown facts that decide it (its framework's scope included).
    pub questions: BTreeSet<Term>,
    /// Related controls, whichever side declared the link, as seen from this control.
    pub related: &'c [Related],
    /// Obligations that apply or may apply.
    pub obligations: Vec<ObligationResult<'c>>,
    /// The date gates on the way to it (its framework's).
    pub in_force: Vec<InForceGate>,
}

/// The result for one obligation.
#[derive(Debug)]
pub struct ObligationResult<'c> {
    /// The obligation.
    pub obligation: &'c Obligation,
    /// Applies or may apply.
    pub status: Status,
    /// Its own `when`, evaluated.
    pub when: Outcome,
    /// Unknown facts that decide it.
    pub questions: BTreeSet<Term>,
    /// When it is due, if it has a deadline.
    pub due: Option<Due<'c>>,
    /// The later time its weekend relief allows, when the due time falls on a weekend
    /// or holiday and the organisation may use it.
    pub relief: Option<ReliefDue>,
    /// When the incident records it carried out.
    pub done: Option<&'c crate::incident::Done>,
    /// The date gates on the way to it (its framework's and its own).
    pub in_force: Vec<InForceGate>,
}

impl ObligationResult<'_> {
    /// Whether it was carried out by its due time (or, failing that, within its weekend
    /// relief); `None` while not done or without a due time.
    #[must_use]
    pub fn on_time(&self) -> Option<bool> {
        let done = self.done?;
        let due = self.due.as_ref()?.due?;
        let relief = self.relief.as_ref().and_then(|r| r.due);
        Some(done.at <= due || relief.is_some_and(|r| done.at <= r))
    }
}

/// Weekend and holiday relief, computed: shown beside the strict due time, which stays
/// the one the timeline sorts by.
#[derive(Debug, Clone)]
pub struct ReliefDue {
    /// The later time, when it can be counted.
    pub due: Option<Timestamp>,
    /// The local time on the next working day.
    pub at: jiff::civil::Time,
    /// The calendar it was counted on.
    pub calendar: Option<ItemId>,
    /// Applies, or may apply when the organisation's right to it is open.
    pub status: Status,
    /// The relief's condition, evaluated.
    pub when: Outcome,
    /// Why it has no time, when it has none.
    pub note: Option<String>,
}

impl ObligationResult<'_> {
    /// The keys of its open questions: its unknown facts, then `timeline.discovered`
    /// when a date gate on its way waits for the discovery date.
    #[must_use]
    pub fn question_keys(&self, e: &Exposure<'_>) -> Vec<String> {
        let mut out: Vec<String> = self.questions.iter().map(|t| e.term_key(t)).collect();
        if self.in_force.iter().any(|g| g.value == Truth::Unknown) {
            out.push("timeline.discovered".to_owned());
        }
        out
    }
}

/// A framework or obligation whose conditions hold (its scope; every condition on the
/// way to it) but that was not in force on the day the incident was discovered: the
/// report says so instead of leaving it out in silence.
#[derive(Debug, Clone)]
pub struct NotInForce {
    /// Its id.
    pub id: String,
    /// The date gate that keeps it out.
    pub gate: InForceGate,
}

/// A computed deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::struct_field_names,
    reason = "`due.due` is the due time, as the reports name it"
)]
pub struct Due<'c> {
    /// The deadline as written.
    pub deadline: &'c Deadline,
    /// The earliest due time among the alternatives whose start is known.
    pub due: Option<Timestamp>,
    /// Which alternative gave `due`.
    pub chosen: Option<usize>,
    /// Each alternative's own due time and missing dates.
    pub alternatives: Vec<AlternativeDue>,
}

/// One alternative of a deadline, computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlternativeDue {
    /// When its clock starts, when known.
    pub start: Option<Timestamp>,
    /// Due time, when computable.
    pub due: Option<Timestamp>,
    /// Timeline dates it waits for.
    pub missing: BTreeSet<TimelineKey>,
    /// The timeline date its start counts from, through any chain, when known.
    pub root: Option<TimelineKey>,
    /// The day its count reached outside the years of its holiday calendar (or of the
    /// calendar of the deadline it counts from), which leaves it without a due time.
    pub outside: Option<Uncounted>,
    /// Its start is the recorded time another obligation was carried out, not that
    /// obligation's due time.
    pub from_done: bool,
}

/// A count that reached a day its holiday calendar does not cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncounted {
    /// The calendar.
    pub calendar: ItemId,
    /// The years it covers.
    pub years: (i16, i16),
    /// The day whose holidays are not known.
    pub day: jiff::civil::Date,
}

impl std::fmt::Display for Uncounted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the `{}` holiday calendar covers {}–{}, so whether {} is a business day is not known",
            self.calendar, self.years.0, self.years.1, self.day
        )
    }
}

impl Due<'_> {
    /// The timeline date the chosen alternative counts from, through any chain.
    #[must_use]
    pub fn root(&self) -> Option<TimelineKey> {
        self.chosen.and_then(|i| self.alternatives[i].root)
    }

    /// Why an uncomputed due time could not be counted on its calendar, if that is why.
    #[must_use]
    pub fn outside(&self) -> Option<&Uncounted> {
        if self.due.is_some() {
            return None;
        }
        self.alternatives.iter().find_map(|a| a.outside.as_ref())
    }

    /// Timeline dates that would make an uncomputed due time computable.
    #[must_use]
    pub fn missing(&self) -> BTreeSet<TimelineKey> {
        if self.due.is_some() {
            return BTreeSet::new();
        }
        self.alternatives
            .iter()
            .flat_map(|a| a.missing.iter().copied())
            .collect()
    }
}

/// One consolidated checklist item: obligations one action satisfies.
#[derive(Debug, Clone)]
pub struct ChecklistItem {
    /// Obligation ids, sorted.
    pub items: Vec<String>,
    /// What to do (the first obligation's action).
    pub action: String,
    /// Earliest due time among the items.
    pub due: Option<Timestamp>,
    /// Applies if any item applies.
    pub status: Status,
    /// The items' kinds.
    pub kinds: BTreeSet<ObligationKind>,
    /// Evidence to keep, merged.
    pub evidence: Vec<String>,
    /// When every item was carried out (the latest), if the incident records them all.
    pub done: Option<Timestamp>,
    /// Some item is the duty of a law or regulation, not only of a standard or guidance.
    pub statutory: bool,
}

/// One entry of the timeline of deadlines.
#[derive(Debug, Clone)]
pub struct TimelineEntry {
    /// Due time; `None` while the clock waits for a date the incident does not give.
    pub due: Option<Timestamp>,
    /// Obligation id.
    pub obligation: String,
    /// Its status.
    pub status: Status,
    /// The timeline dates the clock waits for (empty when `due` is known).
    pub missing: Vec<TimelineKey>,
    /// When the clock cannot be counted on its holiday calendar, why.
    pub uncounted: Option<Uncounted>,
    /// When it was carried out, if the incident records it.
    pub done: Option<Timestamp>,
}

/// A timeline date the incident does not give, the obligations whose clocks wait for
/// it, and the dated frameworks and obligations whose applicability waits for it.
#[derive(Debug, Clone)]
pub struct DateQuestion {
    /// The date.
    pub key: TimelineKey,
    /// Obligation ids, sorted.
    pub starts: Vec<String>,
    /// Ids of frameworks and obligations with `effective` or `until` that may apply
    /// until the date is known, sorted (only for `discovered`).
    pub in_force: Vec<String>,
}

impl DateQuestion {
    /// Every item the date decides: the clocks it starts and the items whose being in
    /// force it settles, sorted.
    #[must_use]
    pub fn decides(&self) -> Vec<String> {
        let all: BTreeSet<&String> = self.starts.iter().chain(&self.in_force).collect();
        all.into_iter().cloned().collect()
    }
}

/// An unknown fact and the items its answer would decide.
#[derive(Debug, Clone)]
pub struct Question {
    /// The fact or number.
    pub term: Term,
    /// Ids of frameworks, controls and obligations, sorted.
    pub decides: Vec<String>,
}

/// Everything the reports show.
#[derive(Debug)]
pub struct Exposure<'c> {
    /// The catalog.
    pub catalog: &'c Catalog,
    /// The incident (with assumptions applied).
    pub incident: &'c Incident,
    /// Closed facts.
    pub values: &'c FactValues,
    /// Scope mode.
    pub scope: ScopeMode,
    /// All frameworks, sorted by id.
    pub frameworks: Vec<FrameworkResult<'c>>,
    /// Consolidated checklist, by due time.
    pub checklist: Vec<ChecklistItem>,
    /// Deadlines with a computed due time, by due time then id.
    pub timeline: Vec<TimelineEntry>,
    /// Open questions, most decisive first.
    pub questions: Vec<Question>,
    /// Dates the incident does not give that waiting clocks and dated items need.
    pub date_questions: Vec<DateQuestion>,
    /// Frameworks and obligations whose conditions hold, left out only because they
    /// were not in force on the discovery day, by id.
    pub not_in_force: Vec<NotInForce>,
    /// Places the incident names that no framework of the catalog speaks to.
    pub coverage: Vec<crate::coverage::Gap>,
}

/// Evaluates an incident. The only error is a due time beyond the calendar's range
/// (a timeline in the year 9999), reported at the timeline date it counts from.
pub fn evaluate<'c>(
    catalog: &'c Catalog,
    graph: &'c CatalogGraph,
    incident: &'c Incident,
    values: &'c FactValues,
    scope: ScopeMode,
) -> Result<Exposure<'c>, Diagnostic> {
    let mut clock = Clock::new(catalog, Some(graph), incident);
    let mut frameworks = Vec::new();
    let mut not_in_force = Vec::new();
    for f in &catalog.frameworks {
        let status = applicability::framework_status(f, values);
        let mut controls = Vec::new();
        let reasons = std::sync::OnceLock::new();
        let in_force = InForceGate::of(&f.id, f.in_force, values);
        // A framework is listed when its scope holds: one that only might concern the
        // organisation (an open status) would list every dated framework for every
        // incident before its date.
        if let Some(gate) = in_force.as_ref().filter(|g| g.value == Truth::False) {
            if f.scope.as_ref().map_or(Truth::True, |r| r.value(values)) == Truth::True {
                not_in_force.push(NotInForce {
                    id: f.id.to_string(),
                    gate: gate.clone(),
                });
            }
        }
        if scope == ScopeMode::All || status != Status::NotApplicable {
            let verdict = applicability::framework(f, values);
            for c in &f.controls {
                let c_verdict = applicability::control(&verdict, c, values, scope);
                if c_verdict.status == Status::NotApplicable {
                    continue;
                }
                let mut obligations = Vec::new();
                for o in &c.obligations {
                    let o_verdict = applicability::obligation(&c_verdict, o, values);
                    if o_verdict.status == Status::NotApplicable {
                        // Listed when it would apply but for its dates: one whose
                        // conditions are only open would list, for every incident, the
                        // dated duties of every framework that may apply.
                        if let Some(gate) = o_verdict
                            .excluded_by_date()
                            .filter(|_| o_verdict.outcome.value == Truth::True)
                        {
                            not_in_force.push(NotInForce {
                                id: o.id.to_string(),
                                gate: gate.clone(),
                            });
                        }
                        continue;
                    }
                    let due = clock.due(o)?;
                    let relief = relief(catalog, o, due.as_ref(), values);
                    obligations.push(ObligationResult {
                        obligation: o,
                        status: o_verdict.status,
                        when: o_verdict.own,
                        questions: o_verdict.outcome.open,
                        due,
                        relief,
                        done: incident.done(&o.id),
                        in_force: o_verdict.in_force,
                    });
                }
                controls.push(ControlResult {
                    control: c,
                    status: c_verdict.status,
                    when: c_verdict.own,
                    questions: c_verdict.outcome.open,
                    related: graph.links(&c.id),
                    obligations,
                    in_force: c_verdict.in_force,
                });
            }
            let _ = reasons.set(verdict.own);
        }
        frameworks.push(FrameworkResult {
            framework: f,
            status,
            scope: reasons,
            values,
            controls,
            in_force,
        });
    }
    not_in_force.sort_by(|a, b| a.id.cmp(&b.id));
    let checklist = checklist(&frameworks, graph);
    let timeline = timeline(&frameworks);
    let questions = questions(&frameworks);
    let date_questions = date_questions(&timeline, &waiting_for_discovery(&frameworks));
    Ok(Exposure {
        catalog,
        incident,
        values,
        scope,
        frameworks,
        checklist,
        timeline,
        questions,
        date_questions,
        not_in_force,
        coverage: crate::coverage::gaps(catalog, graph.named_places(), incident),
    })
}

/// The frameworks and obligations of the report that may apply only until the
/// discovery date is known: the owners of the date gates still open.
fn waiting_for_discovery(frameworks: &[FrameworkResult<'_>]) -> Vec<String> {
    let mut out = BTreeSet::new();
    for f in frameworks {
        if f.status == Status::MayApply {
            if let Some(g) = f.in_force.as_ref().filter(|g| g.value == Truth::Unknown) {
                out.insert(g.owner.to_string());
            }
        }
        for o in f.controls.iter().flat_map(|c| c.obligations.iter()) {
            out.extend(
                o.in_force
                    .iter()
                    .filter(|g| g.value == Truth::Unknown)
                    .map(|g| g.owner.to_string()),
            );
        }
    }
    out.into_iter().collect()
}

/// The due time of every obligation of the catalog that has a deadline, whether or not
/// it applies: chained deadlines count from obligations that may not be in a report.
pub fn due_times<'c>(catalog: &'c Catalog, incident: &Incident) -> Result<HashMap<&'c str, Due<'c>>, Diagnostic> {
    let mut clock = Clock::new(catalog, None, incident);
    let mut out = HashMap::new();
    for o in catalog.obligations() {
        if let Some(due) = clock.due(o)? {
            out.insert(o.id.as_str(), due);
        }
    }
    Ok(out)
}

/// Computes due times on demand, remembering each, so that a report pays only for the
/// deadlines it shows (and the chains they count from).
struct Clock<'c, 'i> {
    catalog: &'c Catalog,
    incident: &'i Incident,
    /// The catalog's graph, whose index finds an obligation by id, when the caller has
    /// one (every report does).
    graph: Option<&'c CatalogGraph<'c>>,
    /// Obligations by id, built the first time a chained deadline needs one and there
    /// is no graph.
    by_id: Option<HashMap<&'c str, &'c Obligation>>,
    /// Due times computed, by the obligation's address: chained deadlines ask again.
    memo: HashMap<*const Obligation, Due<'c>>,
}

impl<'c, 'i> Clock<'c, 'i> {
    fn new(catalog: &'c Catalog, graph: Option<&'c CatalogGraph<'c>>, incident: &'i Incident) -> Self {
        Clock {
            catalog,
            incident,
            graph,
            by_id: None,
            memo: HashMap::new(),
        }
    }

    fn due(&mut self, o: &'c Obligation) -> Result<Option<Due<'c>>, Diagnostic> {
        self.due_at_depth(o, 0)
    }

    fn obligation(&mut self, id: &str) -> Option<&'c Obligation> {
        if let Some(graph) = self.graph {
            return graph.obligation(id);
        }
        let catalog = self.catalog;
        self.by_id
            .get_or_insert_with(|| catalog.obligations().map(|o| (o.id.as_str(), o)).collect())
            .get(id)
            .copied()
    }

    fn due_at_depth(&mut self, o: &'c Obligation, depth: usize) -> Result<Option<Due<'c>>, Diagnostic> {
        let Some(deadline) = o.deadline.as_ref() else {
            return Ok(None);
        };
        if let Some(d) = self.memo.get(&std::ptr::from_ref(o)) {
            return Ok(Some(d.clone()));
        }
        let incident = self.incident;
        let mut alternatives = Vec::new();
        let mut starts = Vec::new();
        for alt in &deadline.alternatives {
            let mut from_done = false;
            let (start, missing, root, mut outside) = match &alt.from {
                Start::Timeline(key) => match incident.timeline.get(key) {
                    Some(ts) => (Some(*ts), BTreeSet::new(), Some(*key), None),
                    None => (None, BTreeSet::from([*key]), None, None),
                },
                // A clock counted from another obligation starts when that obligation
                // was carried out, once the incident records it: every chained clock of
                // the catalog counts from a submission or a notice sent.
                Start::Obligation(id) if incident.done(id).is_some() => {
                    from_done = true;
                    (incident.done(id).map(|d| d.at), BTreeSet::new(), None, None)
                }
                Start::Obligation(id) => {
                    // Chains are acyclic (checked when the catalog loads); the depth guard
                    // only protects against a catalog that skipped that check.
                    let prev = match self.obligation(id).filter(|_| depth < 1_000) {
                        Some(p) => self.due_at_depth(p, depth + 1)?,
                        None => None,
                    };
                    match prev {
                        Some(p) => (p.due, p.missing(), p.root(), p.outside().cloned()),
                        None => (None, BTreeSet::new(), None, None),
                    }
                }
            };
            let start = match (start, alt.after) {
                (Some(s), Some(period)) => match period.end(s) {
                    Ok(end) => Some(end),
                    Err(OutOfRange) => return Err(out_of_range(incident, o, root)),
                },
                (start, _) => start,
            };
            starts.push(start);
            let calendar = alt.calendar.as_ref().and_then(|id| self.catalog.calendar(id));
            let count = start.map(|s| alt.within.count(s, calendar, alt.end_of_day.as_ref()));
            let due = match count.transpose() {
                Ok(Some(Count::Due(t))) => Some(t),
                Ok(Some(Count::Outside(o))) => {
                    outside = calendar.map(|c| Uncounted {
                        calendar: c.id.clone(),
                        years: c.years,
                        day: o.day,
                    });
                    None
                }
                Ok(Some(Count::Text) | None) => None,
                Err(OutOfRange) => return Err(out_of_range(incident, o, root)),
            };
            alternatives.push(AlternativeDue {
                start,
                due,
                missing,
                root,
                outside,
                from_done,
            });
        }
        // An obligation is never due before a known event that starts one of its clocks:
        // DORA's initial notification, classified 30 hours after awareness, is due 4 hours
        // after the classification, not at the 24-hour mark that had already passed.
        let latest_start = starts.iter().flatten().max().copied();
        let chosen = alternatives
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.due.map(|d| (d, i)))
            .filter(|(d, _)| latest_start.is_none_or(|s| *d >= s))
            .min()
            .map(|(_, i)| i);
        let due = Due {
            deadline,
            due: chosen.and_then(|i| alternatives[i].due),
            chosen,
            alternatives,
        };
        self.memo.insert(std::ptr::from_ref(o), due.clone());
        Ok(Some(due))
    }
}

/// The relief an obligation's due time gets, if any: only when the organisation may use
/// it (its condition is not false) and the strict due time falls on a Saturday, a
/// Sunday or a holiday of the relief calendar of the place it is established in.
fn relief(catalog: &Catalog, o: &Obligation, due: Option<&Due<'_>>, values: &FactValues) -> Option<ReliefDue> {
    let r = o.relief.as_ref()?;
    let strict = due?.due?;
    let when = r.when.as_ref().map_or_else(Outcome::always, |w| w.eval(values));
    if when.value == Truth::False {
        return None;
    }
    let established = |place: &str| {
        catalog
            .taxonomy
            .lookup(&format!("established:{place}"))
            .is_some_and(|f| crate::rule::Env::fact(values, f) == Truth::True)
    };
    let here: Vec<&crate::calendar::Calendar> = r
        .calendars
        .iter()
        .filter_map(|id| catalog.calendar(id))
        .filter(|c| c.place.as_deref().is_some_and(established))
        .collect();
    let at = r.at.strftime("%H:%M");
    let (due, calendar, note) = match here.as_slice() {
        [c] => match c.next_working_day(strict, r.at) {
            Ok(None) => return None,
            Ok(Some(t)) => (Some(t), Some(c.id.clone()), None),
            Err(outside) => {
                let why = Uncounted {
                    calendar: c.id.clone(),
                    years: c.years,
                    day: outside.day,
                };
                (
                    None,
                    Some(c.id.clone()),
                    Some(format!("{why}; count the relief by hand")),
                )
            }
        },
        [] => {
            if !crate::calendar::is_weekend(strict.to_zoned(jiff::tz::TimeZone::UTC).date()) {
                return None;
            }
            let note = format!(
                "the due time falls on a weekend (UTC) and the catalog has no holiday calendar for where the organisation is established: the next working day there at {at} local time"
            );
            (None, None, Some(note))
        }
        many => {
            if many.iter().all(|c| c.next_working_day(strict, r.at) == Ok(None)) {
                return None;
            }
            let ids: Vec<&str> = many.iter().map(|c| c.id.as_str()).collect();
            let note = format!(
                "the organisation is established in several places with holiday calendars ({}): the reporting entity's own decides whether the due time falls on a holiday, and the next working day there at {at} local time",
                ids.join(", ")
            );
            (None, None, Some(note))
        }
    };
    Some(ReliefDue {
        due,
        at: r.at,
        calendar,
        status: Status::of_truth(when.value),
        when,
        note,
    })
}

/// The error for a due time past the end of the calendar, at the date it counts from.
fn out_of_range(incident: &Incident, o: &Obligation, root: Option<TimelineKey>) -> Diagnostic {
    let d = Diagnostic::error(
        Code::InvalidTime,
        format!(
            "the deadline of `{}` falls after the last date ctrlmap can compute (the end of the year 9999)",
            o.id
        ),
    );
    match root.and_then(|k| incident.timeline_locs.get(&k).map(|loc| (k, loc))) {
        Some((key, loc)) => d.at(loc.clone(), format!("timeline.{key}: counted from this date")),
        None => d,
    }
    .note("help: check the year of the incident's timeline dates")
}

impl<'c> Exposure<'c> {
    /// Keeps only the frameworks `keep` accepts (`report --kind`, `--framework`), and
    /// the checklist, timeline and questions that follow from them.
    pub fn retain(&mut self, graph: &CatalogGraph, keep: impl Fn(&Framework) -> bool) {
        self.frameworks.retain(|f| keep(f.framework));
        let catalog = self.catalog;
        self.not_in_force.retain(|n| {
            let framework = n.id.split(':').next().unwrap_or_default();
            catalog.framework(framework).is_some_and(&keep)
        });
        self.checklist = checklist(&self.frameworks, graph);
        self.timeline = timeline(&self.frameworks);
        self.questions = questions(&self.frameworks);
        self.date_questions = date_questions(&self.timeline, &waiting_for_discovery(&self.frameworks));
    }

    /// The `[[done]]` entries for obligations this report does not list: recorded, but
    /// not applying under the facts given.
    #[must_use]
    pub fn done_not_listed(&self) -> Vec<&'c crate::incident::Done> {
        self.incident
            .done
            .iter()
            .filter(|d| self.obligation(&d.obligation).is_none())
            .collect()
    }

    /// The verdict on one item of the catalog for this incident: for an item the
    /// report lists, its status there; for one it leaves out, why. Both come from
    /// `applicability`, so `explain` and `draft` say what the report says.
    #[must_use]
    pub fn verdict(&self, item: &Item<'c>) -> Verdict {
        item.verdict(self.values, self.scope)
    }

    /// The result of an obligation the report lists.
    #[must_use]
    pub fn obligation(&self, id: &str) -> Option<&ObligationResult<'c>> {
        self.frameworks
            .iter()
            .flat_map(|f| f.controls.iter().flat_map(|c| c.obligations.iter()))
            .find(|o| o.obligation.id == id)
    }

    /// The status the report gives an item, if it lists it.
    #[must_use]
    pub fn listed_status(&self, id: &str) -> Option<Status> {
        let framework_id = id.split_once(':').map_or(id, |(f, _)| f);
        let i = self
            .frameworks
            .binary_search_by(|f| f.framework.id.as_str().cmp(framework_id))
            .ok()?;
        let f = &self.frameworks[i];
        if f.framework.id == id {
            return Some(f.status);
        }
        f.controls.iter().find_map(|c| {
            if c.control.id == id {
                return Some(c.status);
            }
            c.obligations.iter().find(|o| o.obligation.id == id).map(|o| o.status)
        })
    }
}

fn checklist(frameworks: &[FrameworkResult<'_>], graph: &CatalogGraph) -> Vec<ChecklistItem> {
    // The report's obligations by `same_as` group, each group's members in id order.
    let mut groups: BTreeMap<usize, Vec<(&ObligationResult<'_>, bool)>> = BTreeMap::new();
    let mut alone = Vec::new();
    for f in frameworks {
        let statutory = f.framework.kind.is_statutory();
        for o in f.controls.iter().flat_map(|c| c.obligations.iter()) {
            match graph.same_as_group(&o.obligation.id) {
                Some(g) => groups.entry(g).or_default().push((o, statutory)),
                None => alone.push(vec![(o, statutory)]),
            }
        }
    }
    let mut items = Vec::new();
    for mut members in groups.into_values().chain(alone) {
        members.sort_by(|a, b| a.0.obligation.id.cmp(&b.0.obligation.id));
        let statutory = members.iter().any(|(_, s)| *s);
        let members: Vec<&ObligationResult<'_>> = members.into_iter().map(|(o, _)| o).collect();
        let Some(first) = members.first() else { continue };
        let mut evidence: Vec<String> = Vec::new();
        for m in &members {
            for e in &m.obligation.evidence {
                if !evidence.contains(e) {
                    evidence.push(e.clone());
                }
            }
        }
        items.push(ChecklistItem {
            items: members.iter().map(|m| m.obligation.id.to_string()).collect(),
            action: first.obligation.action.clone(),
            due: members.iter().filter_map(|m| m.due.as_ref().and_then(|d| d.due)).min(),
            status: members.iter().map(|m| m.status).min().unwrap_or(Status::MayApply),
            kinds: members.iter().map(|m| m.obligation.kind).collect(),
            evidence,
            statutory,
            done: members
                .iter()
                .map(|m| m.done.map(|d| d.at))
                .collect::<Option<Vec<_>>>()
                .and_then(|ats| ats.into_iter().max()),
        });
    }
    // Statutory duties first, then good practice; in each, what is left to do first,
    // by due time, and what is done last.
    items.sort_by_cached_key(|i| {
        (
            !i.statutory,
            i.done.is_some(),
            i.due.is_none(),
            i.due,
            i.status,
            i.items.clone(),
        )
    });
    items
}

/// Every deadline of the report that has a due time, by due time then id, then every
/// clock that waits for a date the incident does not give or cannot be counted on its
/// holiday calendar, by id. A deadline without a fixed time ("without undue delay") is
/// in neither.
fn timeline(frameworks: &[FrameworkResult<'_>]) -> Vec<TimelineEntry> {
    let mut out: Vec<TimelineEntry> = frameworks
        .iter()
        .flat_map(|f| f.controls.iter().flat_map(|c| c.obligations.iter()))
        .filter_map(|o| {
            let d = o.due.as_ref()?;
            let missing: Vec<TimelineKey> = d.missing().into_iter().collect();
            let uncounted = d.outside().cloned();
            (d.due.is_some() || !missing.is_empty() || uncounted.is_some()).then(|| TimelineEntry {
                due: d.due,
                obligation: o.obligation.id.to_string(),
                status: o.status,
                missing,
                uncounted,
                done: o.done.map(|d| d.at),
            })
        })
        .collect();
    out.sort_by(|a, b| (a.due.is_none(), a.due, &a.obligation).cmp(&(b.due.is_none(), b.due, &b.obligation)));
    out
}

/// The dates that waiting clocks need, each with the obligations it would start, and
/// the discovery date when dated items wait for it.
fn date_questions(timeline: &[TimelineEntry], in_force: &[String]) -> Vec<DateQuestion> {
    let mut starts: BTreeMap<TimelineKey, Vec<String>> = BTreeMap::new();
    for t in timeline.iter().filter(|t| t.done.is_none()) {
        for key in &t.missing {
            starts.entry(*key).or_default().push(t.obligation.clone());
        }
    }
    if !in_force.is_empty() {
        starts.entry(TimelineKey::Discovered).or_default();
    }
    starts
        .into_iter()
        .map(|(key, mut starts)| {
            starts.sort();
            let in_force = if key == TimelineKey::Discovered {
                in_force.to_vec()
            } else {
                Vec::new()
            };
            DateQuestion { key, starts, in_force }
        })
        .collect()
}

fn questions(frameworks: &[FrameworkResult<'_>]) -> Vec<Question> {
    let mut decides: BTreeMap<Term, BTreeSet<String>> = BTreeMap::new();
    let mut add = |terms: &BTreeSet<Term>, id: &str| {
        for t in terms {
            decides.entry(t.clone()).or_default().insert(id.to_owned());
        }
    };
    for f in frameworks {
        if f.status == Status::MayApply {
            add(&f.scope().open, &f.framework.id);
        }
        for c in &f.controls {
            add(&c.questions, &c.control.id);
            for o in &c.obligations {
                add(&o.questions, &o.obligation.id);
            }
        }
    }
    let mut out: Vec<Question> = decides
        .into_iter()
        .map(|(term, ids)| Question {
            term,
            decides: ids.into_iter().collect(),
        })
        .collect();
    out.sort_by(|a, b| b.decides.len().cmp(&a.decides.len()).then_with(|| a.term.cmp(&b.term)));
    out
}
