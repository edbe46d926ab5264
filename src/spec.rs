//! Raw serde types for catalog and incident files, as written, with spans.
//!
//! These types mirror the TOML of DESIGN §3 and §4 and reject unknown keys. They hold
//! strings and [`Spanned`] values, never parsed domain types: turning them into the
//! validated model (and reporting every problem with its position) is the job of
//! `catalog` and `incident`. Keeping the two apart lets validation see everything at
//! once instead of stopping at the first bad value.

use std::collections::BTreeMap;

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
pub(crate) use toml::Spanned;

use crate::incident::{Contact, Response};
use crate::model::{Confidence, ControlStatus, FrameworkKind, ObligationKind, Relation};
use crate::taxonomy::World;

/// Any file of a catalog folder: a taxonomy file (`[kind.*]`, `[numbers]`) or a
/// framework file (`[framework]`, `[[control]]`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CatalogFileSpec {
    /// Kinds of facts, by name.
    pub kind: Option<BTreeMap<Spanned<String>, KindSpec>>,
    /// Numeric facts, by name.
    pub numbers: Option<BTreeMap<Spanned<String>, NumberSpec>>,
    /// The framework this file defines.
    pub framework: Option<Spanned<FrameworkSpec>>,
    /// Its controls.
    pub control: Option<Vec<ControlSpec>>,
    /// The holiday calendar this file defines.
    pub calendar: Option<Spanned<CalendarSpec>>,
}

/// `[calendar]`: a jurisdiction's public holidays, for business-day deadlines.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CalendarSpec {
    /// Unique among calendars; deadlines name it.
    pub id: Spanned<String>,
    /// Shown to people.
    pub title: String,
    /// Where the holidays are set out.
    pub source: Spanned<String>,
    /// The IANA time zone its dates are read in.
    pub time_zone: Spanned<String>,
    /// The place (`DE`) whose holidays these are, as `established` names it.
    pub place: Option<Spanned<String>>,
    /// The first and last year covered: `[2020, 2035]`.
    pub years: Spanned<Vec<i64>>,
    /// The holidays.
    #[serde(default)]
    pub holiday: Vec<HolidaySpec>,
}

/// `[[calendar.holiday]]`: one rule. Exactly one of `date`, `month` (with `weekday`
/// and `nth`) and `easter` says which day.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HolidaySpec {
    /// The holiday's name.
    pub name: Spanned<String>,
    /// `MM-DD` every year, or `YYYY-MM-DD` once.
    pub date: Option<Spanned<String>>,
    /// With `weekday` and `nth`: the nth weekday of this month (1–12).
    pub month: Option<Spanned<i64>>,
    /// `monday` … `sunday`.
    pub weekday: Option<Spanned<String>>,
    /// 1–5, or -1 for the last.
    pub nth: Option<Spanned<i64>>,
    /// Days after (negative: before) Easter Sunday.
    pub easter: Option<Spanned<i64>>,
    /// How a date falling on a weekend is observed: `as-is` (the default),
    /// `nearest-weekday`, `next-weekday` or `saturday-if-sunday`.
    pub observed: Option<Spanned<String>>,
    /// The first year the holiday exists.
    pub since: Option<Spanned<i64>>,
    /// The last year it exists.
    pub until: Option<Spanned<i64>>,
}

/// `[kind.<name>]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KindSpec {
    /// Shown to people; required once per kind across all taxonomy files.
    pub title: Option<Spanned<String>>,
    /// `closed` or `open`.
    pub world: Option<Spanned<World>>,
    /// The facts of this kind, by value, as the file lists them (TOML keys are unique).
    #[serde(default, deserialize_with = "in_order")]
    pub facts: Vec<(Spanned<String>, FactSpec)>,
}

/// One fact of a kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FactSpec {
    /// Shown to people.
    pub title: Spanned<String>,
    /// Facts this one implies, as `kind:value`.
    #[serde(default)]
    pub implies: Vec<Spanned<String>>,
    /// Overrides the kind's world for this fact.
    pub world: Option<Spanned<World>>,
    /// How to ask about this fact when it is unknown.
    pub question: Option<String>,
    /// Other values people type for this fact (`social-security-number` for `ssn`),
    /// accepted in incidents and `--assume` with a note.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
}

/// `[numbers] <name> = { ... }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NumberSpec {
    /// Shown to people.
    pub title: String,
    /// How to ask for it.
    pub question: Option<String>,
}

/// `[framework]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FrameworkSpec {
    /// Unique among frameworks.
    pub id: Spanned<String>,
    /// Full title.
    pub title: String,
    /// What sort of text it is.
    pub kind: FrameworkKind,
    /// The official source URL.
    pub source: Spanned<String>,
    /// When the framework applies to an organisation; absent means always.
    pub scope: Option<Spanned<String>>,
    /// What the catalog does not model of this framework, shown with it.
    #[serde(default)]
    pub caveats: Vec<String>,
    /// The first day it applies: a TOML date (`2026-09-11`).
    pub effective: Option<Spanned<toml::Value>>,
    /// The first day it no longer applies: a TOML date, after `effective`.
    pub until: Option<Spanned<toml::Value>>,
}

/// `[[control]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ControlSpec {
    /// Unique within the framework.
    pub id: Spanned<String>,
    /// Short title.
    pub title: String,
    /// One or two sentences in our own words.
    pub summary: String,
    /// The official source URL.
    pub source: Spanned<String>,
    /// When the control is implicated.
    pub when: Option<Spanned<String>>,
    /// `active` (the default), `withdrawn` or `reference`: only active controls are
    /// evaluated; the others stay listable and linkable.
    #[serde(default)]
    pub status: ControlStatus,
    /// Links to controls of other frameworks.
    #[serde(default)]
    pub related: Vec<RelatedSpec>,
    /// What must be done.
    #[serde(default)]
    pub obligation: Vec<ObligationSpec>,
}

/// `related = [{ to, relation }]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RelatedSpec {
    /// `framework:id` of the other control.
    pub to: Spanned<String>,
    /// NIST IR 8477 relationship.
    pub relation: Relation,
    /// Why the two are related.
    pub rationale: Option<String>,
    /// How sure the mapping is.
    pub confidence: Option<Confidence>,
}

/// `[[control.obligation]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ObligationSpec {
    /// Unique within the framework.
    pub id: Spanned<String>,
    /// Short label.
    pub title: Option<String>,
    /// notify, remediate, review or document.
    pub kind: Spanned<ObligationKind>,
    /// What to do, in our own words.
    pub action: String,
    /// Narrows the control's condition.
    pub when: Option<Spanned<String>>,
    /// When it is due.
    pub deadline: Option<Spanned<DeadlineSpec>>,
    /// The recipient of a notification.
    pub notify: Option<String>,
    /// What to keep as evidence.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// Obligations elsewhere that one action satisfies.
    #[serde(default)]
    pub same_as: Vec<Spanned<String>>,
    /// Source URL if more precise than the control's.
    pub source: Option<Spanned<String>>,
    /// What a notification must contain, in the mandated order (`notify` only).
    #[serde(default)]
    pub content: Vec<ContentSpec>,
    /// The title the law gives the notice, e.g. California's "Notice of Data Breach".
    pub notice_title: Option<String>,
    /// A later time allowed when the due time falls on a weekend or holiday.
    pub weekend_relief: Option<Spanned<ReliefSpec>>,
    /// What the catalog does not model of this duty, shown with it.
    #[serde(default)]
    pub caveats: Vec<String>,
    /// The first day it applies: a TOML date (`2026-09-11`).
    pub effective: Option<Spanned<toml::Value>>,
    /// The first day it no longer applies: a TOML date, after `effective`.
    pub until: Option<Spanned<toml::Value>>,
}

/// `weekend_relief = { next_working_day = "12:00", when = "..." }`: a due time on a
/// Saturday, Sunday or holiday of the place the organisation is established in may be
/// met by that local time on the next working day there (DORA, Delegated Regulation
/// 2025/301 Art. 5(4)).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReliefSpec {
    /// The local time, `HH:MM`.
    pub next_working_day: Spanned<String>,
    /// The holiday calendars of the places it speaks to; the one of the place the
    /// organisation is established in counts.
    pub calendars: Vec<Spanned<String>>,
    /// Which organisations may use it; absent means all.
    pub when: Option<Spanned<String>>,
}

/// `deadline`: one table `{ within = "72h", from = "discovered" }` or an array of them.
///
/// Read without failing: a value of another shape is kept, with its place, for the
/// catalog to report as an invalid deadline beside every other problem of the file,
/// where a TOML error would stop at the first.
#[derive(Debug)]
pub(crate) enum DeadlineSpec {
    /// One table.
    One(Box<AlternativeSpec>),
    /// An array (possibly empty); an item that is not a table is `None`.
    Many(Vec<Spanned<Option<AlternativeSpec>>>),
    /// Neither a table nor an array.
    Other,
}

/// One `{ within, from }` table of a deadline.
#[derive(Debug, Default)]
pub(crate) struct AlternativeSpec {
    /// How long: `72h`, `30d`, `4bd`, `1mo` or `without undue delay`.
    pub within: Option<Spanned<MaybeString>>,
    /// From what: a timeline date or an obligation id (`framework:id`).
    pub from: Option<Spanned<MaybeString>>,
    /// Counted from the end of the period `from` falls in: `year-end`.
    pub after: Option<Spanned<MaybeString>>,
    /// The holiday calendar business days skip, by id.
    pub calendar: Option<Spanned<MaybeString>>,
    /// The IANA time zone whose end of day the deadline ends at.
    pub end_of_day: Option<Spanned<MaybeString>>,
    /// With `end_of_day`: the local time the day ends at for this deadline (`17:30`).
    pub cutoff: Option<Spanned<MaybeString>>,
    /// Keys other than the above, in the order written.
    pub unknown: Vec<String>,
}

/// A value that should be a string, as written: one of another type is kept as
/// [`MaybeString::NotString`] so that validation can say so at its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MaybeString {
    /// A string.
    String(String),
    /// Another type.
    NotString,
}

impl<'de> Deserialize<'de> for DeadlineSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Shape;

        impl<'de> Visitor<'de> for Shape {
            type Value = DeadlineSpec;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a deadline")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Ok(alternative(map)?.map_or(DeadlineSpec::Other, |t| DeadlineSpec::One(Box::new(t))))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<TableOrNot>>()? {
                    let span = item.span();
                    items.push(Spanned::new(span, item.into_inner().0));
                }
                Ok(DeadlineSpec::Many(items))
            }

            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(DeadlineSpec::Other)
            }

            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(DeadlineSpec::Other)
            }

            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(DeadlineSpec::Other)
            }

            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(DeadlineSpec::Other)
            }

            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(DeadlineSpec::Other)
            }
        }

        deserializer.deserialize_any(Shape)
    }
}

/// An item of a deadline array: a table, or `None` for anything else.
struct TableOrNot(Option<AlternativeSpec>);

impl<'de> Deserialize<'de> for TableOrNot {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Item;

        impl<'de> Visitor<'de> for Item {
            type Value = TableOrNot;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a deadline table")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                alternative(map).map(TableOrNot)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                IgnoredAny.visit_seq(seq).map(|_| TableOrNot(None))
            }

            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(TableOrNot(None))
            }

            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(TableOrNot(None))
            }

            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(TableOrNot(None))
            }

            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(TableOrNot(None))
            }

            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(TableOrNot(None))
            }
        }

        deserializer.deserialize_any(Item)
    }
}

/// The `toml` crate hands a date-time to `deserialize_any` as a table with this one key.
const TOML_DATETIME: &str = "$__toml_private_datetime";

/// A deadline table read key by key, or `None` when it is a TOML date-time.
fn alternative<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<AlternativeSpec>, A::Error> {
    let mut out = AlternativeSpec::default();
    let mut datetime = false;
    while let Some(key) = map.next_key::<String>()? {
        match key.as_str() {
            "within" => out.within = Some(map.next_value()?),
            "from" => out.from = Some(map.next_value()?),
            "after" => out.after = Some(map.next_value()?),
            "calendar" => out.calendar = Some(map.next_value()?),
            "end_of_day" => out.end_of_day = Some(map.next_value()?),
            "cutoff" => out.cutoff = Some(map.next_value()?),
            _ => {
                map.next_value::<IgnoredAny>()?;
                datetime |= key == TOML_DATETIME;
                out.unknown.push(key);
            }
        }
    }
    Ok((!datetime).then_some(out))
}

impl<'de> Deserialize<'de> for MaybeString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;

        impl<'de> Visitor<'de> for Text {
            type Value = MaybeString;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(MaybeString::String(s.to_owned()))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                IgnoredAny.visit_map(map).map(|_| MaybeString::NotString)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                IgnoredAny.visit_seq(seq).map(|_| MaybeString::NotString)
            }

            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(MaybeString::NotString)
            }

            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(MaybeString::NotString)
            }

            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(MaybeString::NotString)
            }

            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(MaybeString::NotString)
            }
        }

        deserializer.deserialize_any(Text)
    }
}

/// `[[control.obligation.content]]`: one required part of a notification.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContentSpec {
    /// Identifier in `snake_case`, unique within the obligation.
    pub field: Spanned<String>,
    /// The exact heading where the law mandates one.
    pub heading: Option<String>,
    /// One line, in our own words: what goes here.
    pub help: String,
    /// Incident keys that fill it, e.g. `data.exposed`, `affected.count`.
    #[serde(default)]
    pub from: Vec<Spanned<String>>,
    /// Whether the notification must contain it.
    #[serde(default = "yes")]
    pub required: bool,
    /// May be given later (as GDPR Art. 33(4) allows).
    #[serde(default)]
    pub phased: bool,
}

fn yes() -> bool {
    true
}

/// An incident file (DESIGN §4).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentSpec {
    /// Identifier, used in report names.
    pub id: Spanned<String>,
    /// Title.
    pub title: String,
    /// Free text.
    pub summary: Option<String>,
    /// The IANA time zone due times are also shown in.
    pub timezone: Option<Spanned<String>>,
    /// Dates.
    #[serde(default)]
    pub timeline: TimelineSpec,
    /// The organisation.
    #[serde(default)]
    pub organization: OrganizationSpec,
    /// The people affected.
    #[serde(default)]
    pub affected: AffectedSpec,
    /// The data.
    #[serde(default)]
    pub data: DataSpec,
    /// The attack.
    #[serde(default)]
    pub attack: AttackSpec,
    /// Any fact, explicitly.
    #[serde(default)]
    pub facts: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    /// Who to contact about the incident (for notification drafts).
    #[serde(default)]
    pub contact: Contact,
    /// What has been and will be done (for notification drafts).
    #[serde(default)]
    pub response: Response,
    /// Notifications sent and items completed.
    #[serde(default)]
    pub done: Vec<DoneSpec>,
}

/// `[[done]]`: an obligation carried out.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoneSpec {
    /// The obligation's id, `framework:id`.
    pub obligation: Spanned<String>,
    /// When: a time with an offset or a zone.
    pub at: Spanned<toml::Value>,
    /// Who did it.
    pub by: Option<String>,
    /// A filing or ticket reference.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// Anything else.
    pub note: Option<String>,
}

/// `[timeline]`: RFC 3339 times.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineSpec {
    /// When it happened.
    pub occurred: Option<Spanned<toml::Value>>,
    /// Awareness.
    pub discovered: Option<Spanned<toml::Value>>,
    /// Determined to be a reportable incident.
    pub determined: Option<Spanned<toml::Value>>,
    /// Classified as major (DORA).
    pub classified: Option<Spanned<toml::Value>>,
    /// Materiality determined (SEC).
    pub material: Option<Spanned<toml::Value>>,
    /// Extortion payment made.
    pub paid: Option<Spanned<toml::Value>>,
    /// A corrective or mitigating measure made available (CRA).
    pub mitigated: Option<Spanned<toml::Value>>,
}

/// `[organization]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationSpec {
    /// Name.
    pub name: Option<String>,
    /// `sector:*` facts that are true.
    #[serde(default)]
    pub sectors: Vec<Spanned<String>>,
    /// `established:*` facts that are true.
    #[serde(default)]
    pub established: Vec<Spanned<String>>,
    /// `status:*` facts that are true.
    #[serde(default)]
    pub status: Vec<Spanned<String>>,
    /// `status:*` facts that are false.
    #[serde(default)]
    pub not_status: Vec<Spanned<String>>,
}

/// `[affected]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AffectedSpec {
    /// `residency:*` facts that are true.
    #[serde(default)]
    pub residency: Vec<Spanned<String>>,
    /// Number of affected people.
    pub count: Option<Spanned<i64>>,
    /// Per residency.
    #[serde(default)]
    pub counts: BTreeMap<Spanned<String>, Spanned<i64>>,
}

/// `[data]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSpec {
    /// `data:*` facts that are true.
    #[serde(default)]
    pub exposed: Vec<Spanned<String>>,
    /// `data:*` facts that are false.
    #[serde(default)]
    pub not_exposed: Vec<Spanned<String>>,
}

/// `[attack]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttackSpec {
    /// `vector:*`.
    #[serde(default)]
    pub vectors: Vec<Spanned<String>>,
    /// `technique:*`.
    #[serde(default)]
    pub techniques: Vec<Spanned<String>>,
    /// `actor:*`.
    #[serde(default)]
    pub actors: Vec<Spanned<String>>,
    /// `impact:*`.
    #[serde(default)]
    pub impacts: Vec<Spanned<String>>,
}

/// Reads a table as its (key, value) pairs, in the order they come, where the keys are
/// only checked one by one: the taxonomy's large fact tables need no map of their own.
fn in_order<'de, D, K, V>(deserializer: D) -> Result<Vec<(K, V)>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de>,
    V: Deserialize<'de>,
{
    struct Pairs<K, V>(PhantomData<(K, V)>);

    impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for Pairs<K, V> {
        type Value = Vec<(K, V)>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a table")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0));
            while let Some(pair) = map.next_entry()? {
                pairs.push(pair);
            }
            Ok(pairs)
        }
    }

    deserializer.deserialize_map(Pairs(PhantomData))
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
    use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
    use serde::{Deserialize, Deserializer};

    use super::IncidentSpec;

    /// The dotted paths of the leaf fields of `T` (fields that are not themselves
    /// structs), in declaration order, as serde sees them.
    fn leaf_fields<T: for<'de> Deserialize<'de>>() -> Vec<String> {
        let found = RefCell::new(Vec::new());
        let walker = Walker {
            path: "",
            found: &found,
        };
        if let Err(e) = T::deserialize(walker) {
            panic!("the walk stopped: {e}");
        }
        found.into_inner()
    }

    /// A deserializer that offers every field of a struct and reads each again with
    /// itself; any other value is a leaf, recorded under its path and read as empty.
    #[derive(Clone, Copy)]
    struct Walker<'a> {
        path: &'a str,
        found: &'a RefCell<Vec<String>>,
    }

    impl Walker<'_> {
        fn leaf(self) {
            self.found.borrow_mut().push(self.path.to_owned());
        }
    }

    impl<'de> Deserializer<'de> for Walker<'_> {
        type Error = Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.leaf();
            visitor.visit_str("")
        }

        fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.leaf();
            visitor.visit_bool(false)
        }

        fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.leaf();
            visitor.visit_i64(0)
        }

        fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.leaf();
            visitor.visit_u64(0)
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_some(self)
        }

        fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.leaf();
            visitor.visit_seq(SeqDeserializer::new(std::iter::empty::<()>()))
        }

        fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.leaf();
            visitor.visit_map(MapDeserializer::new(std::iter::empty::<((), ())>()))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            if serde_spanned::de::is_spanned(name) {
                // `Spanned<T>` is T with a place: read T.
                return visitor.visit_map(serde_spanned::de::SpannedDeserializer::new(self, 0..0));
            }
            visitor.visit_map(Fields {
                walker: self,
                names: fields.iter(),
                current: String::new(),
            })
        }

        serde::forward_to_deserialize_any! {
            i8 i16 i32 u8 u16 u32 f32 f64 char str string bytes byte_buf unit unit_struct
            newtype_struct tuple tuple_struct enum identifier ignored_any
        }
    }

    impl IntoDeserializer<'_, Error> for Walker<'_> {
        type Deserializer = Self;

        fn into_deserializer(self) -> Self {
            self
        }
    }

    /// The fields of one struct, each offered once.
    struct Fields<'a> {
        walker: Walker<'a>,
        names: std::slice::Iter<'static, &'static str>,
        current: String,
    }

    impl<'de> MapAccess<'de> for Fields<'_> {
        type Error = Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
            let Some(field) = self.names.next() else {
                return Ok(None);
            };
            self.current = if self.walker.path.is_empty() {
                (*field).to_owned()
            } else {
                format!("{}.{field}", self.walker.path)
            };
            seed.deserialize(de::value::BorrowedStrDeserializer::new(field))
                .map(Some)
        }

        fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
            let path = self.current.clone();
            seed.deserialize(Walker {
                path: &path,
                found: self.walker.found,
            })
        }
    }

    /// Every key of the incident file is offered to notification content
    /// (`incident::KEYS`), except those that state what is false or any fact at all:
    /// a notice describes what happened. A field added to the incident spec must be added
    /// to `KEYS` (and given a value in drafts) or to this list, or this test fails.
    #[test]
    fn incident_keys_are_the_fields_of_the_incident_spec() {
        const NOT_CONTENT: &[&str] = &["timezone", "organization.not_status", "facts", "done"];
        let mut fields = leaf_fields::<IncidentSpec>();
        for key in NOT_CONTENT {
            assert!(fields.iter().any(|f| f == key), "`{key}` is no longer a field");
        }
        fields.retain(|f| !NOT_CONTENT.contains(&f.as_str()));
        assert_eq!(fields, crate::incident::KEYS);
    }
}
