//! Incidents (DESIGN §4): an incident TOML file becomes a list of stated facts, each
//! with the place that stated it, plus the timeline and the numbers.
//!
//! Values in a section are written without their kind (`exposed = ["email"]` states
//! `data:email`); every value must be a fact of the taxonomy. A `classified` date states
//! `assessment:dora-major`, a `material` date `assessment:sec-material`. Contradictions
//! are found later, when facts are closed over `implies` (`facts`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use jiff::Timestamp;
use jiff::fmt::temporal::PiecesOffset;

use crate::catalog::{read_input, toml_diag};
use crate::deadline::TimelineKey;
use crate::diag::{Code, Diagnostic, FileId, Loc, SourceMap};
use crate::rule::Vocabulary;
use serde::Deserialize;

use crate::spec::{IncidentSpec, Spanned};
use crate::taxonomy::{FactId, Taxonomy};
use crate::truth::Truth;

/// An incident id has at most this many characters.
pub(crate) const MAX_ID_CHARS: usize = 128;

/// Whether `text` may be an incident id: 1 to [`MAX_ID_CHARS`] letters, digits, `-`,
/// `_` and `.`.
pub(crate) fn valid_id(text: &str) -> bool {
    crate::catalog::valid_value(text) && text.chars().count() <= MAX_ID_CHARS
}

/// The keys of an incident file that notification drafts can draw on: every field of
/// [`IncidentSpec`] but `organization.not_status` and `facts`, which a test in `spec` holds
/// this list to.
pub(crate) const KEYS: &[&str] = &[
    "id",
    "title",
    "summary",
    "timeline.occurred",
    "timeline.discovered",
    "timeline.determined",
    "timeline.classified",
    "timeline.material",
    "timeline.paid",
    "timeline.mitigated",
    "organization.name",
    "organization.sectors",
    "organization.established",
    "organization.status",
    "affected.residency",
    "affected.count",
    "affected.counts",
    "data.exposed",
    "data.not_exposed",
    "attack.vectors",
    "attack.techniques",
    "attack.actors",
    "attack.impacts",
    "contact.name",
    "contact.email",
    "contact.phone",
    "contact.dpo",
    "response.description",
    "response.measures_taken",
    "response.measures_planned",
    "response.likely_consequences",
    "response.advice",
];

/// A validated incident.
#[derive(Debug, Clone)]
pub struct Incident {
    /// Identifier.
    pub id: String,
    /// Title.
    pub title: String,
    /// Free text.
    pub summary: Option<String>,
    /// The organisation's name.
    pub organization: Option<String>,
    /// Dates given.
    pub timeline: BTreeMap<TimelineKey, Timestamp>,
    /// Where each date is written.
    pub timeline_locs: BTreeMap<TimelineKey, Loc>,
    /// Facts stated, in file order.
    pub statements: Vec<Statement>,
    /// Numbers given (`count`, `count:US-CA`), with where each came from; a number
    /// assumed unknown keeps its entry with no value.
    pub numbers: BTreeMap<String, NumberStatement>,
    /// The incident file.
    pub file: FileId,
    /// Who to contact.
    pub contact: Contact,
    /// What has been and will be done.
    pub response: Response,
    /// The IANA time zone due times are also shown in.
    pub timezone: Option<String>,
    /// Obligations carried out, in file order.
    pub done: Vec<Done>,
}

/// An obligation carried out (`[[done]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    /// The obligation's id, as written (checked against the catalog by the command).
    pub obligation: String,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub by: Option<String>,
    /// A filing or ticket reference.
    pub reference: Option<String>,
    /// Anything else.
    pub note: Option<String>,
    /// Where the obligation id is written.
    pub loc: Loc,
}

/// One fact stated true, false or unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The fact.
    pub fact: FactId,
    /// Its value.
    pub value: Truth,
    /// Who said so.
    pub source: Source,
    /// The alias the incident wrote instead of the fact's own value, if it did.
    pub written_as: Option<String>,
    /// Who decided it, when and why, when `[facts]` says so.
    pub decision: Option<Decision>,
}

/// A judgement recorded with a fact: `{ value = true, by = "DPO", at = "…", why = "…" }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Who decided.
    pub by: Option<String>,
    /// When.
    pub at: Option<Timestamp>,
    /// Why.
    pub why: Option<String>,
}

/// A number stated by the incident or an assumption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberStatement {
    /// The value; `None` when assumed unknown.
    pub value: Option<u64>,
    /// Who said so.
    pub source: Source,
}

/// Where a statement comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A field of the incident file, e.g. `data.exposed`.
    Field {
        /// Dotted key path.
        field: &'static str,
        /// Position of the value.
        loc: Loc,
    },
    /// A command-line assumption (`--assume`).
    Assumed,
}

impl Source {
    /// The location, when the statement comes from a file.
    #[must_use]
    pub fn loc(&self) -> Option<&Loc> {
        match self {
            Source::Field { loc, .. } => Some(loc),
            Source::Assumed => None,
        }
    }

    /// `data.exposed` or `--assume`.
    #[must_use]
    pub fn field(&self) -> &str {
        match self {
            Source::Field { field, .. } => field,
            Source::Assumed => "--assume",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.field())
    }
}

/// An answer given on the command line: `FACT=true|false|unknown` or `NUMBER=n|unknown`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assumption {
    /// A fact.
    Fact(FactId, Truth),
    /// A number; `None` for unknown.
    Number(String, Option<u64>),
}

impl Assumption {
    /// Parses `data:credentials=true`, `count:US-CA=600` and the like.
    pub fn parse(text: &str, taxonomy: &Taxonomy) -> Result<Assumption, Diagnostic> {
        let bad = |msg: String| Diagnostic::error(Code::InvalidAssumption, msg);
        let Some((name, value)) = text.split_once('=') else {
            return Err(bad(format!("`--assume {text}`: expected FACT=true|false|unknown")));
        };
        let (name, value) = (name.trim(), value.trim());
        if let Some((kind, v)) = name.split_once(':') {
            if let Ok((fact, _)) = taxonomy.resolve_typed(kind, v) {
                let truth = match value {
                    "true" => Truth::True,
                    "false" => Truth::False,
                    "unknown" => Truth::Unknown,
                    _ => {
                        return Err(bad(format!(
                            "`--assume {text}`: the value must be true, false or unknown"
                        )));
                    }
                };
                return Ok(Assumption::Fact(fact, truth));
            }
        }
        if taxonomy.resolve_number(name).is_ok() {
            if value == "unknown" {
                return Ok(Assumption::Number(name.to_owned(), None));
            }
            let n = value
                .replace('_', "")
                .parse::<u64>()
                .map_err(|_| bad(format!("`--assume {text}`: a number must be a whole number or unknown")))?;
            return Ok(Assumption::Number(name.to_owned(), Some(n)));
        }
        let (kind, v) = name.split_once(':').unwrap_or((name, ""));
        let err = taxonomy.resolve_fact(kind, v).err();
        let mut d = bad(format!(
            "`--assume {text}`: {}",
            err.as_ref()
                .map_or_else(|| format!("`{name}` is not a fact"), |e| e.message.clone())
        ));
        if let Some(help) = err.and_then(|e| e.help) {
            d = d.note(format!("help: {help}"));
        }
        Err(d)
    }
}

impl Incident {
    /// Reads and validates an incident file.
    pub fn load(path: &Path, taxonomy: &Taxonomy, map: &mut SourceMap) -> Result<Incident, Vec<Diagnostic>> {
        let text = read_input(path).map_err(|d| vec![d])?;
        let file = map.add(path.display().to_string(), text);
        Incident::parse(file, taxonomy, map)
    }

    /// Validates an incident already in the source map.
    pub fn parse(file: FileId, taxonomy: &Taxonomy, map: &SourceMap) -> Result<Incident, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let Some(spec) = toml_diag(
            toml::from_str::<IncidentSpec>(map.text(file)),
            map.text(file),
            file,
            &mut diags,
        ) else {
            return Err(diags);
        };
        Incident::from_spec(spec, file, taxonomy)
    }

    /// Validates an incident read into its spec, e.g. by an importer; spans are places
    /// in `file`.
    pub fn from_spec(spec: IncidentSpec, file: FileId, taxonomy: &Taxonomy) -> Result<Incident, Vec<Diagnostic>> {
        let mut b = Builder {
            taxonomy,
            file,
            statements: Vec::new(),
            diags: Vec::new(),
        };
        let org = &spec.organization;
        b.values("organization.sectors", "sector", &org.sectors, Truth::True);
        b.values("organization.established", "established", &org.established, Truth::True);
        b.values("organization.status", "status", &org.status, Truth::True);
        b.values("organization.not_status", "status", &org.not_status, Truth::False);
        b.values("affected.residency", "residency", &spec.affected.residency, Truth::True);
        b.values("data.exposed", "data", &spec.data.exposed, Truth::True);
        b.values("data.not_exposed", "data", &spec.data.not_exposed, Truth::False);
        b.values("attack.vectors", "vector", &spec.attack.vectors, Truth::True);
        b.values("attack.techniques", "technique", &spec.attack.techniques, Truth::True);
        b.values("attack.actors", "actor", &spec.attack.actors, Truth::True);
        b.values("attack.impacts", "impact", &spec.attack.impacts, Truth::True);
        b.explicit_facts(&spec.facts);
        b.id(&spec.id);

        let mut timeline = BTreeMap::new();
        let mut timeline_locs = BTreeMap::new();
        let t = &spec.timeline;
        for (key, value) in [
            (TimelineKey::Occurred, &t.occurred),
            (TimelineKey::Discovered, &t.discovered),
            (TimelineKey::Determined, &t.determined),
            (TimelineKey::Classified, &t.classified),
            (TimelineKey::Material, &t.material),
            (TimelineKey::Paid, &t.paid),
            (TimelineKey::Mitigated, &t.mitigated),
        ] {
            let Some(value) = value else { continue };
            let loc = Loc::new(file, value.span());
            match parse_time(value.get_ref()) {
                Ok(ts) => {
                    timeline.insert(key, ts);
                    timeline_locs.insert(key, loc.clone());
                    let judgement = match key {
                        TimelineKey::Classified => Some("assessment:dora-major"),
                        TimelineKey::Material => Some("assessment:sec-material"),
                        _ => None,
                    };
                    if let Some(fact) = judgement.and_then(|k| taxonomy.lookup(k)) {
                        b.statements.push(Statement {
                            fact,
                            written_as: None,
                            decision: None,
                            value: Truth::True,
                            source: Source::Field {
                                field: if key == TimelineKey::Classified {
                                    "timeline.classified"
                                } else {
                                    "timeline.material"
                                },
                                loc,
                            },
                        });
                    }
                }
                Err(msg) => b
                    .diags
                    .push(Diagnostic::error(Code::InvalidTime, format!("timeline.{key}: {msg}")).at(loc, TIME_EXAMPLE)),
            }
        }

        let timezone = spec.timezone.as_ref().and_then(|z| {
            if jiff::tz::db().get(z.get_ref()).is_ok() {
                Some(z.get_ref().clone())
            } else {
                b.diags.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("timezone: `{}` is not a time zone of the IANA database", z.get_ref()),
                    )
                    .at(
                        Loc::new(file, z.span()),
                        "e.g. `Europe/Amsterdam` or `America/New_York`",
                    ),
                );
                None
            }
        });
        let mut done = Vec::new();
        for d in &spec.done {
            match parse_time(d.at.get_ref()) {
                Ok(at) => done.push(Done {
                    obligation: d.obligation.get_ref().clone(),
                    at,
                    by: d.by.clone(),
                    reference: d.reference.clone(),
                    note: d.note.clone(),
                    loc: Loc::new(file, d.obligation.span()),
                }),
                Err(msg) => b.diags.push(
                    Diagnostic::error(Code::InvalidTime, format!("done.at: {msg}"))
                        .at(Loc::new(file, d.at.span()), TIME_EXAMPLE),
                ),
            }
        }

        let mut numbers = BTreeMap::new();
        if let Some(count) = &spec.affected.count {
            if let Some(n) = b.count(count, "affected.count") {
                let source = Source::Field {
                    field: "affected.count",
                    loc: Loc::new(file, count.span()),
                };
                numbers.insert("count".to_owned(), NumberStatement { value: Some(n), source });
            }
        }
        for (place, count) in &spec.affected.counts {
            let name = format!("count:{}", place.get_ref());
            if taxonomy.resolve_number(&name).is_err() {
                let mut d = Diagnostic::error(
                    Code::UnknownFact,
                    format!("affected.counts: `{}` is not a residency", place.get_ref()),
                )
                .at(Loc::new(file, place.span()), "");
                if let Err(u) = taxonomy.resolve_fact("residency", place.get_ref()) {
                    if let Some(help) = u.help {
                        d = d.note(format!("help: {}", help.replace("residency:", "")));
                    }
                }
                b.diags.push(d);
                continue;
            }
            if let Some(n) = b.count(count, "affected.counts") {
                let source = Source::Field {
                    field: "affected.counts",
                    loc: Loc::new(file, count.span()),
                };
                numbers.insert(name, NumberStatement { value: Some(n), source });
            }
        }
        if !b.diags.is_empty() {
            return Err(b.diags);
        }
        Ok(Incident {
            id: spec.id.into_inner(),
            title: spec.title,
            summary: spec.summary,
            organization: spec.organization.name,
            timeline,
            timeline_locs,
            statements: b.statements,
            numbers,
            file,
            contact: spec.contact,
            response: spec.response,
            timezone,
            done,
        })
    }

    /// The `[[done]]` entries that name no obligation of `catalog`, as errors at their
    /// place.
    #[must_use]
    pub fn unknown_done(&self, catalog: &crate::model::Catalog) -> Vec<Diagnostic> {
        let ids = || catalog.obligations().map(|o| o.id.as_str());
        self.done
            .iter()
            .filter(|d| ids().all(|id| id != d.obligation))
            .map(|d| {
                let help = crate::diag::did_you_mean(&d.obligation, ids());
                Diagnostic::error(
                    Code::DanglingReference,
                    format!(
                        "done: `{}` is not an obligation of the catalog{}",
                        d.obligation,
                        help.map(|h| format!("; did you mean `{h}`?")).unwrap_or_default()
                    ),
                )
                .at(d.loc.clone(), "")
            })
            .collect()
    }

    /// When obligation `id` was last carried out, if the incident records it.
    #[must_use]
    pub fn done(&self, id: &str) -> Option<&Done> {
        // An update (a second intermediate report) counts from the latest.
        self.done.iter().filter(|d| d.obligation == id).max_by_key(|d| d.at)
    }

    /// Applies command-line assumptions: each replaces what the incident says of the
    /// same fact or number.
    pub fn assume(&mut self, assumptions: &[Assumption]) {
        for a in assumptions {
            match a {
                Assumption::Fact(fact, value) => {
                    self.statements.retain(|s| s.fact != *fact);
                    self.statements.push(Statement {
                        fact: *fact,
                        value: *value,
                        source: Source::Assumed,
                        written_as: None,
                        decision: None,
                    });
                }
                Assumption::Number(name, value) => {
                    self.numbers.insert(
                        name.clone(),
                        NumberStatement {
                            value: *value,
                            source: Source::Assumed,
                        },
                    );
                }
            }
        }
    }
}

/// `true`, `false` or `"unknown"`.
fn truth_of(value: &toml::Value) -> Option<Truth> {
    match value {
        toml::Value::Boolean(b) => Some(Truth::from(*b)),
        toml::Value::String(s) if s == "unknown" => Some(Truth::Unknown),
        _ => None,
    }
}

/// A fact given as a decision: `value` with `by`, `at` and `why`, each optional but
/// `value`.
fn decision(t: &toml::Table) -> Result<(Truth, Option<Decision>), String> {
    if let Some(key) = t.keys().find(|k| !["value", "by", "at", "why"].contains(&k.as_str())) {
        return Err(format!("unknown key `{key}`; expected `value`, `by`, `at` and `why`"));
    }
    let value = t
        .get("value")
        .and_then(truth_of)
        .ok_or("`value` must be true, false or \"unknown\"")?;
    let text = |key: &str| -> Result<Option<String>, String> {
        match t.get(key) {
            None => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("`{key}` must be a string")),
        }
    };
    let at = t.get("at").map(parse_time).transpose()?;
    Ok((
        value,
        Some(Decision {
            by: text("by")?,
            at,
            why: text("why")?,
        }),
    ))
}

/// How a time should be written, for diagnostics.
const TIME_EXAMPLE: &str = "expected an RFC 3339 time such as 2026-02-05T09:00:00Z, or with a zone: 2026-11-13T22:40:00+01:00[Europe/Amsterdam]";

/// A time with an offset (RFC 3339), or with a time-zone annotation (RFC 9557), whose
/// offset, when both are given, must be the zone's at that time.
fn parse_time(value: &toml::Value) -> Result<Timestamp, String> {
    let text = match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => return Err(format!("expected a date and time, found a {}", other.type_str())),
    };
    // The parts first: an offset past ±23:59 (which the time parser accepts up to
    // ±25:59) is refused, and a well-formed time that does not convert is out of range.
    let pieces = jiff::fmt::temporal::Pieces::parse(&text);
    if let Ok(Some(PiecesOffset::Numeric(offset))) = pieces.as_ref().map(jiff::fmt::temporal::Pieces::offset) {
        let seconds = offset.offset().seconds().abs();
        if seconds >= 24 * 3600 {
            return Err(format!(
                "`{text}`: the offset is out of range (at most ±23:59 from UTC)"
            ));
        }
        if seconds % 60 != 0 {
            return Err(format!(
                "`{text}`: an offset has hours and minutes only (RFC 3339), no seconds"
            ));
        }
    }
    if text.contains('[') {
        return text.parse::<jiff::Zoned>().map(|z| z.timestamp()).map_err(|e| {
            // Read with the zone's own offset, to say what the offset should have been.
            let by_zone = jiff::fmt::temporal::DateTimeParser::new()
                .offset_conflict(jiff::tz::OffsetConflict::AlwaysTimeZone)
                .parse_zoned(&text);
            match by_zone {
                Ok(z) => format!(
                    "`{text}`: the offset is not the one {} has at that time ({})",
                    z.time_zone().iana_name().unwrap_or("the zone"),
                    z.strftime("%:z")
                ),
                Err(_) => format!("`{text}` is not a time with a time zone ({e})"),
            }
        });
    }
    text.parse::<Timestamp>().map_err(|e| {
        if pieces.is_ok_and(|p| p.time().is_some() && p.offset().is_some()) {
            format!("`{text}` is out of range (ctrlmap computes times from the year -9999 to the end of 9999)")
        } else {
            format!("`{text}` is not a time with an offset ({e})")
        }
    })
}

struct Builder<'t> {
    taxonomy: &'t Taxonomy,
    file: FileId,
    statements: Vec<Statement>,
    diags: Vec<Diagnostic>,
}

impl Builder<'_> {
    fn values(&mut self, field: &'static str, kind: &str, values: &[Spanned<String>], value: Truth) {
        if let (None, Some(first)) = (self.taxonomy.kind(kind), values.first()) {
            self.diags.push(
                Diagnostic::error(Code::UnknownKind, format!("{field}: the catalog declares no kind `{kind}`"))
                    .at(Loc::new(self.file, first.span()), "")
                    .note("help: the taxonomy comes with the default catalog; with --no-default-controls, load one with --controls"),
            );
            return;
        }
        for v in values {
            let loc = Loc::new(self.file, v.span());
            match self.taxonomy.resolve_typed(kind, v.get_ref()) {
                Ok((fact, written_as)) => self.statements.push(Statement {
                    fact,
                    value,
                    source: Source::Field { field, loc },
                    written_as,
                    decision: None,
                }),
                Err(u) => {
                    let mut d = Diagnostic::error(u.code, format!("{field}: {}", u.message)).at(loc, "");
                    if let Some(bare) = v.get_ref().strip_prefix(&format!("{kind}:")) {
                        d = d.note(format!(
                            "help: values in `{field}` are written without their kind: `{bare}`"
                        ));
                    } else if let Some(help) = u.help {
                        d = d.note(format!("help: {}", help.replace(&format!("{kind}:"), "")));
                    }
                    self.diags.push(d);
                }
            }
        }
    }

    fn explicit_facts(&mut self, facts: &BTreeMap<Spanned<String>, Spanned<toml::Value>>) {
        for (key, value) in facts {
            let key_loc = Loc::new(self.file, key.span());
            let Some((kind, v)) = key.get_ref().split_once(':') else {
                self.diags.push(
                    Diagnostic::error(
                        Code::UnknownFact,
                        format!("facts: `{}` is not a fact: write \"kind:value\"", key.get_ref()),
                    )
                    .at(key_loc, ""),
                );
                continue;
            };
            let (fact, written_as) = match self.taxonomy.resolve_typed(kind, v) {
                Ok(f) => f,
                Err(u) => {
                    let mut d = Diagnostic::error(u.code, format!("facts: {}", u.message)).at(key_loc, "");
                    if let Some(help) = u.help {
                        d = d.note(format!("help: {help}"));
                    }
                    self.diags.push(d);
                    continue;
                }
            };
            let loc = Loc::new(self.file, value.span());
            let (truth, decision) = match value.get_ref() {
                toml::Value::Table(t) => {
                    match decision(t) {
                        Ok(found) => found,
                        Err(msg) => {
                            self.diags.push(
                            Diagnostic::error(Code::InvalidValue, format!("facts: `{}`: {msg}", key.get_ref()))
                                .at(loc, "e.g. { value = true, by = \"DPO\", at = \"2026-11-14T09:00:00+01:00\", why = \"…\" }"),
                        );
                            continue;
                        }
                    }
                }
                other => {
                    let Some(t) = truth_of(other) else {
                        self.diags.push(
                            Diagnostic::error(
                                Code::InvalidValue,
                                format!(
                                    "facts: `{}` must be true, false, \"unknown\" or a decision table",
                                    key.get_ref()
                                ),
                            )
                            .at(loc, ""),
                        );
                        continue;
                    };
                    (t, None)
                }
            };
            self.statements.push(Statement {
                fact,
                value: truth,
                source: Source::Field { field: "facts", loc },
                written_as: written_as.map(|a| format!("{kind}:{a}")),
                decision,
            });
        }
    }

    /// An incident id names files and reaches every output: letters, digits, `-`, `_`
    /// and `.` only, and at most [`MAX_ID_CHARS`] of them.
    fn id(&mut self, id: &Spanned<String>) {
        if !valid_id(id.get_ref()) {
            self.diags.push(
                Diagnostic::error(Code::InvalidId, "`id` is not a valid incident id")
                    .at(Loc::new(self.file, id.span()), "")
                    .note(format!(
                        "help: an incident id has 1 to {MAX_ID_CHARS} letters, digits, `-`, `_` and `.`, e.g. `acme-2026-02`"
                    )),
            );
        }
    }

    fn count(&mut self, count: &Spanned<i64>, field: &str) -> Option<u64> {
        if let Ok(n) = u64::try_from(*count.get_ref()) {
            Some(n)
        } else {
            self.diags.push(
                Diagnostic::error(Code::InvalidValue, format!("{field}: a count cannot be negative"))
                    .at(Loc::new(self.file, count.span()), ""),
            );
            None
        }
    }
}

/// Who to contact about the incident (`[contact]`).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Contact person or team.
    pub name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Data protection officer, name and contact.
    pub dpo: Option<String>,
}

/// What has been and will be done (`[response]`).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// What happened, in the organisation's words.
    pub description: Option<String>,
    /// Measures taken so far.
    pub measures_taken: Option<String>,
    /// Measures planned.
    pub measures_planned: Option<String>,
    /// Likely consequences for the people affected.
    pub likely_consequences: Option<String>,
    /// What affected people can do to protect themselves.
    pub advice: Option<String>,
}
