//! The validated catalog: frameworks, controls and obligations with parsed rules and
//! deadlines, every id checked and every reference known to resolve.
//!
//! Built by `catalog::load` from the raw `spec` types; read by the graph, evaluation
//! and renderers. Ids are full `framework:id` strings; lists are sorted by id.

use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::deadline::Deadline;
use crate::diag::Loc;
use crate::rule::Rule;
use crate::taxonomy::Taxonomy;
use crate::truth::Truth;

/// The full id of a framework (`nis2`), control (`nis2:art21`) or obligation
/// (`nis2:art21.2.d`): frameworks, controls and obligations share one namespace.
/// It reads as a `&str`; only the catalog's validation makes new ones.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ItemId(String);

impl ItemId {
    /// An id the catalog has validated.
    pub(crate) fn new(id: String) -> ItemId {
        ItemId(id)
    }

    /// The id as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for ItemId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for ItemId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ItemId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for ItemId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for ItemId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for ItemId {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<ItemId> for str {
    fn eq(&self, other: &ItemId) -> bool {
        self == other.0
    }
}

impl PartialEq<ItemId> for String {
    fn eq(&self, other: &ItemId) -> bool {
        *self == other.0
    }
}

/// Everything ctrlmap evaluates an incident against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// The fact vocabulary.
    pub taxonomy: Taxonomy,
    /// Frameworks sorted by id.
    pub(crate) frameworks: Vec<Framework>,
    /// Holiday calendars sorted by id.
    pub(crate) calendars: Vec<Calendar>,
    /// Where the catalog came from: `embedded`, folder names, or both.
    pub origin: String,
}

/// A framework: a law, regulation, standard or guidance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Framework {
    /// Id, e.g. `nis2`.
    pub id: ItemId,
    /// Title.
    pub title: String,
    /// What sort of text.
    pub kind: FrameworkKind,
    /// Official source URL.
    pub source: String,
    /// When it applies; `None` means always.
    pub scope: Option<Rule>,
    /// What the catalog does not model of it.
    pub caveats: Vec<String>,
    /// The days it is in force (`effective`, `until`); unbounded when not given.
    pub in_force: InForce,
    /// Controls sorted by id.
    pub(crate) controls: Vec<Control>,
    /// Where it was declared.
    pub loc: Loc,
}

/// A control of a framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Control {
    /// Full id, `framework:id`.
    pub id: ItemId,
    /// Title.
    pub title: String,
    /// One or two sentences.
    pub summary: String,
    /// Official source URL.
    pub source: String,
    /// When it is implicated; `None` means whenever the framework applies.
    pub when: Option<Rule>,
    /// Only active controls are evaluated.
    pub status: ControlStatus,
    /// Links to controls of other frameworks.
    pub(crate) related: Vec<Related>,
    /// Obligations sorted by id.
    pub(crate) obligations: Vec<Obligation>,
    /// Where it was declared.
    pub loc: Loc,
}

/// A link from one control to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    /// Full id of the other control.
    pub to: ItemId,
    /// NIST IR 8477 relationship.
    pub relation: Relation,
    /// Why.
    pub rationale: Option<String>,
    /// How sure.
    pub confidence: Option<Confidence>,
    /// Where `to` is written.
    pub loc: Loc,
}

/// Something an organisation must do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Obligation {
    /// Full id, `framework:id`.
    pub id: ItemId,
    /// Short label.
    pub title: Option<String>,
    /// What sort of duty.
    pub kind: ObligationKind,
    /// What to do.
    pub action: String,
    /// Narrows the control's condition.
    pub when: Option<Rule>,
    /// When it is due.
    pub deadline: Option<Deadline>,
    /// The recipient of a notification.
    pub notify: Option<String>,
    /// What to keep.
    pub(crate) evidence: Vec<String>,
    /// Obligations that one action satisfies (as declared here; symmetric in use).
    pub(crate) same_as: Vec<ItemId>,
    /// Where each `same_as` entry is written.
    pub(crate) same_as_locs: Vec<Loc>,
    /// Source URL.
    pub source: String,
    /// What a notification must contain, in the mandated order.
    pub(crate) content: Vec<Content>,
    /// The title the law gives the notice.
    pub notice_title: Option<String>,
    /// A later time allowed when the due time falls on a weekend or holiday.
    pub relief: Option<Relief>,
    /// What the catalog does not model of it.
    pub caveats: Vec<String>,
    /// The days it is in force (`effective`, `until`); unbounded when not given.
    pub in_force: InForce,
    /// Where it was declared.
    pub loc: Loc,
}

/// Weekend and holiday relief: a due time falling on a Saturday, a Sunday or a holiday
/// of the place the organisation is established in may be met by `at`, local time, on
/// the next working day there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relief {
    /// The local time on the next working day.
    pub at: jiff::civil::Time,
    /// The calendars it may be counted on, by the place each belongs to.
    pub calendars: Vec<ItemId>,
    /// Which organisations may use it; `None` means all.
    pub when: Option<Rule>,
}

/// A calendar day, as catalogs write `effective` and `until` (`2026-09-11`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Day {
    year: i16,
    month: i8,
    mday: i8,
}

impl Day {
    /// The day of a civil date.
    #[must_use]
    pub fn of(date: jiff::civil::Date) -> Day {
        Day {
            year: date.year(),
            month: date.month(),
            mday: date.day(),
        }
    }

    /// The day on the UTC calendar on which `ts` falls.
    #[must_use]
    pub fn utc(ts: jiff::Timestamp) -> Day {
        Day::of(ts.to_zoned(jiff::tz::TimeZone::UTC).date())
    }
}

impl std::fmt::Display for Day {
    /// `2026-09-11`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.mday)
    }
}

/// The days a framework or obligation is in force: from `effective` (that day
/// included) to `until` (that day excluded), each unbounded when absent. An incident
/// is judged by the day it was discovered, on the UTC calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InForce {
    /// The first day it applies.
    pub effective: Option<Day>,
    /// The first day it no longer applies (repealed or replaced).
    pub until: Option<Day>,
}

impl InForce {
    /// Whether it has no dates: in force on every day.
    #[must_use]
    pub fn is_always(&self) -> bool {
        self.effective.is_none() && self.until.is_none()
    }

    /// Whether it is in force on `day`; unknown when the day is not known (and it
    /// has dates).
    #[must_use]
    pub fn on(&self, day: Option<Day>) -> Truth {
        if self.is_always() {
            return Truth::True;
        }
        let Some(day) = day else { return Truth::Unknown };
        let started = self.effective.is_none_or(|e| day >= e);
        let ended = self.until.is_some_and(|u| day >= u);
        Truth::from(started && !ended)
    }

    /// Why it is not in force on `day`, in words: `not yet in force: it applies from
    /// 2026-09-11` or `no longer in force: it stopped applying on 2026-10-01`.
    #[must_use]
    pub fn why_not(&self, day: Day) -> Option<String> {
        if let Some(e) = self.effective.filter(|e| day < *e) {
            return Some(format!("not yet in force: it applies from {e}"));
        }
        self.until
            .filter(|u| day >= *u)
            .map(|u| format!("no longer in force: it stopped applying on {u}"))
    }

    /// The dates in words: `in force from 2026-09-11`, `in force before 2026-10-01`, or
    /// both.
    #[must_use]
    pub fn words(&self) -> String {
        match (self.effective, self.until) {
            (Some(e), Some(u)) => format!("in force from {e}, before {u}"),
            (Some(e), None) => format!("in force from {e}"),
            (None, Some(u)) => format!("in force before {u}"),
            (None, None) => "always in force".to_owned(),
        }
    }
}

/// One required part of a notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Content {
    /// Identifier in `snake_case`.
    pub field: String,
    /// Mandated heading, if any.
    pub heading: Option<String>,
    /// What goes here.
    pub help: String,
    /// Incident keys that fill it (see `incident::KEYS`).
    pub from: Vec<String>,
    /// Must be present.
    pub required: bool,
    /// May follow later.
    pub phased: bool,
}

impl ObligationKind {
    /// The name used in files and reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ObligationKind::Notify => "notify",
            ObligationKind::Remediate => "remediate",
            ObligationKind::Review => "review",
            ObligationKind::Document => "document",
        }
    }
}

impl FrameworkKind {
    /// The name used in files and reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FrameworkKind::Law => "law",
            FrameworkKind::Regulation => "regulation",
            FrameworkKind::Standard => "standard",
            FrameworkKind::Guidance => "guidance",
        }
    }
}

impl Relation {
    /// The name used in files and reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Equal => "equal",
            Relation::SubsetOf => "subset-of",
            Relation::SupersetOf => "superset-of",
            Relation::IntersectsWith => "intersects-with",
        }
    }
}

impl Confidence {
    /// The name used in files and reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

impl Catalog {
    /// Every framework, sorted by id.
    #[must_use]
    pub fn frameworks(&self) -> &[Framework] {
        &self.frameworks
    }

    /// Finds a framework by id.
    #[must_use]
    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks
            .binary_search_by(|f| f.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.frameworks[i])
    }

    /// Every control, in id order.
    pub fn controls(&self) -> impl Iterator<Item = &Control> {
        self.frameworks.iter().flat_map(|f| f.controls.iter())
    }

    /// Every obligation, in id order within each control.
    pub fn obligations(&self) -> impl Iterator<Item = &Obligation> {
        self.controls().flat_map(|c| c.obligations.iter())
    }

    /// Every holiday calendar, sorted by id.
    #[must_use]
    pub fn calendars(&self) -> &[Calendar] {
        &self.calendars
    }

    /// Finds a holiday calendar by id.
    #[must_use]
    pub fn calendar(&self, id: &str) -> Option<&Calendar> {
        self.calendars
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.calendars[i])
    }
}

/// What sort of text a framework is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FrameworkKind {
    /// A statute.
    Law,
    /// A regulation.
    Regulation,
    /// A standard.
    Standard,
    /// Guidance.
    Guidance,
}

impl FrameworkKind {
    /// Laws and regulations bind; standards and guidance are good practice.
    #[must_use]
    pub fn is_statutory(self) -> bool {
        matches!(self, FrameworkKind::Law | FrameworkKind::Regulation)
    }
}

/// Whether a control takes part in evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ControlStatus {
    /// Evaluated against incidents.
    #[default]
    Active,
    /// Withdrawn by its publisher; kept so that references to it resolve.
    Withdrawn,
    /// Kept for references and mapping only (e.g. an imported control that no
    /// incident fact is known to implicate).
    Reference,
}

/// NIST IR 8477 set-theory relationship types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// The two say the same.
    Equal,
    /// This one is contained in the other.
    SubsetOf,
    /// This one contains the other.
    SupersetOf,
    /// They overlap.
    IntersectsWith,
}

/// How sure a `related` link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// Weak.
    Low,
    /// Moderate.
    Medium,
    /// Strong.
    High,
}

/// What an obligation asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObligationKind {
    /// Tell someone.
    Notify,
    /// Fix something.
    Remediate,
    /// Assess something.
    Review,
    /// Keep a record.
    Document,
}

impl Framework {
    /// Its controls, sorted by id.
    #[must_use]
    pub fn controls(&self) -> &[Control] {
        &self.controls
    }
}

impl Control {
    /// Its obligations, sorted by id.
    #[must_use]
    pub fn obligations(&self) -> &[Obligation] {
        &self.obligations
    }

    /// Its links to controls of other frameworks, as declared here.
    #[must_use]
    pub fn related(&self) -> &[Related] {
        &self.related
    }
}

impl Obligation {
    /// What to keep.
    #[must_use]
    pub fn evidence(&self) -> &[String] {
        &self.evidence
    }

    /// Obligations that one action satisfies, as declared here.
    #[must_use]
    pub fn same_as(&self) -> &[ItemId] {
        &self.same_as
    }

    /// What a notification must contain, in the mandated order.
    #[must_use]
    pub fn content(&self) -> &[Content] {
        &self.content
    }
}

#[cfg(test)]
mod tests {
    use super::{Day, InForce};
    use crate::truth::Truth;

    fn day(y: i16, m: i8, d: i8) -> Day {
        Day::of(jiff::civil::date(y, m, d))
    }

    #[test]
    fn in_force_from_effective_included_to_until_excluded() {
        let dates = InForce {
            effective: Some(day(2026, 9, 11)),
            until: Some(day(2027, 12, 11)),
        };
        assert_eq!(dates.on(Some(day(2026, 9, 10))), Truth::False);
        assert_eq!(dates.on(Some(day(2026, 9, 11))), Truth::True);
        assert_eq!(dates.on(Some(day(2027, 12, 10))), Truth::True);
        assert_eq!(dates.on(Some(day(2027, 12, 11))), Truth::False);
        assert_eq!(dates.on(None), Truth::Unknown, "no discovery day: unknown");
        assert_eq!(InForce::default().on(None), Truth::True, "no dates: always in force");
    }

    #[test]
    fn the_discovery_day_is_the_utc_calendar_day() {
        let ts: jiff::Timestamp = "2026-09-10T23:30:00-02:00".parse().expect("a time");
        assert_eq!(Day::utc(ts).to_string(), "2026-09-11");
        assert!(day(2026, 9, 11) < day(2026, 10, 1) && day(2026, 10, 1) < day(2027, 1, 1));
    }

    #[test]
    fn why_not_in_force_in_words() {
        let dates = InForce {
            effective: Some(day(2026, 9, 11)),
            until: Some(day(2027, 1, 1)),
        };
        assert_eq!(
            dates.why_not(day(2026, 8, 1)).as_deref(),
            Some("not yet in force: it applies from 2026-09-11")
        );
        assert_eq!(
            dates.why_not(day(2027, 1, 1)).as_deref(),
            Some("no longer in force: it stopped applying on 2027-01-01")
        );
        assert_eq!(dates.why_not(day(2026, 10, 1)), None);
        assert_eq!(dates.words(), "in force from 2026-09-11, before 2027-01-01");
    }
}
