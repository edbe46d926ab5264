//! VERIS incident JSON → incident (DESIGN §4).
//!
//! Reads one VERIS 1.3.x incident (as in the VERIS Community Database) through the typed
//! structs of `input` and states the facts it supports with certainty, following the
//! table in `docs/veris-mapping.md`: data varieties → `data:*`, actions → `vector:*`,
//! actors → `actor:*`, attributes → `impact:*`, NAICS industry → `sector:*`, victim
//! country and US state → `established:*` and `residency:*`, `data_total` →
//! `affected.count`, and the incident date → `timeline.occurred` when year, month and
//! day are all known.
//!
//! A VERIS value with no sure counterpart gives no fact, or an explicit
//! `"kind:value" = "unknown"` in `[facts]` where it signals one (an `Unknown` data
//! variety: personal data may be involved). Only true and unknown facts are written, so
//! the result never contradicts itself. The incident id is the file name's stem: VERIS
//! `incident_id`s are not unique.
//!
//! The result is an [`IncidentSpec`], as if read from an incident file, and two things
//! are made of it: `batch` validates it into an [`Incident`] directly, and `import veris`
//! writes it as TOML (with `toml_edit`), with comments at the top that say where each
//! fact comes from and which values were not mapped. Both come from the same spec, so
//! the file written reads back as the incident `batch` evaluates.

mod input;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use self::input::{Checked, Expect, Root, Veris};
use super::{comment_text, cut_words, file_error, first_sentence, json_error, quote, squeeze};
use crate::diag::{Code, Diagnostic, FileId, Loc, SourceMap};
use crate::incident::Incident;
use crate::incident::{Contact, Response};
use crate::spec::{AffectedSpec, AttackSpec, DataSpec, IncidentSpec, OrganizationSpec, Spanned, TimelineSpec};
use crate::taxonomy::Taxonomy;

/// Longest title, in characters.
const TITLE_MAX: usize = 100;
/// Longest summary, in characters.
const SUMMARY_MAX: usize = 1000;

/// Data varieties: VERIS variety → (fact stated true, fact stated unknown).
const DATA: &[(&str, Option<&str>, Option<&str>)] = &[
    ("Personal", Some("personal"), None),
    // "such as SSNs or other National ID": personal for sure, a government id maybe.
    ("Sensitive Personal", Some("personal"), Some("government-id")),
    ("Medical", Some("health"), None),
    // "PAN, PIN, CVV2, Expiration": account data for sure, the card number maybe.
    ("Payment", Some("account-data"), Some("payment-card")),
    ("Bank", Some("bank-account"), None),
    ("Credentials", Some("credentials"), None),
    ("Unknown", None, Some("personal")),
];

/// Action varieties that state a vector, by action.
const VARIETY_VECTORS: &[(&str, &str, &str)] = &[
    ("social", "Phishing", "phishing"),
    ("hacking", "Use of stolen creds", "stolen-credentials"),
    ("hacking", "Exploit misconfig", "misconfiguration"),
    ("malware", "Exploit misconfig", "misconfiguration"),
    ("error", "Misconfiguration", "misconfiguration"),
    ("malware", "Ransomware", "ransomware"),
    ("malware", "Exploit vuln", "vulnerability-exploit"),
];

/// Hacking varieties that exploit a flaw in software: `vector:vulnerability-exploit`.
const EXPLOITS: &[&str] = &[
    "Exploit vuln",
    "SQLi",
    "XSS",
    "CSRF",
    "RFI",
    "OS commanding",
    "Path traversal",
    "Buffer overflow",
    "Format string attack",
    "Integer overflows",
    "LDAP injection",
    "Mail command injection",
    "Null byte injection",
    "SSI injection",
    "XML injection",
    "XPath injection",
    "XQuery injection",
    "XML external entities",
    "Special element injection",
    "Insecure deserialization",
    "Virtual machine escape",
];

/// Action vectors that say a third party was the way in.
const PARTNER_VECTORS: &[(&str, &str)] = &[
    ("hacking", "Partner"),
    ("malware", "Partner"),
    ("social", "Partner"),
    ("physical", "Partner facility"),
    ("physical", "Partner vehicle"),
];

/// Action varieties read by the impact and lost-device rules.
const USED_ELSEWHERE: &[(&str, &str)] = &[
    ("error", "Loss"),
    ("physical", "Theft"),
    ("social", "Extortion"),
    ("malware", "Export data"),
];

/// Availability varieties that mean service was disrupted.
const DISRUPTION: &[&str] = &["Interruption", "Degradation", "Obscuration"];

/// NAICS code prefixes → sector; the longest prefix wins; `None` excludes a sub-sector
/// of a mapped one.
const NAICS: &[(&str, Option<&str>)] = &[
    ("22", Some("energy")),
    ("2213", None), // water, sewage
    ("44", Some("retail")),
    ("45", Some("retail")),
    ("48", Some("transport")),
    ("49", Some("transport")),
    ("517", Some("telecom")),
    ("518", Some("cloud-computing")),
    ("52", Some("finance")),
    ("522", Some("banking")),
    ("52232", Some("payments")), // financial transactions processing
    ("523", Some("investment")),
    ("524", Some("insurance")),
    ("62", Some("healthcare")),
    ("624", None), // social assistance
    ("92", Some("public-administration")),
];

/// US state names as VERIS sometimes writes them, → ISO 3166-2 suffix.
const US_STATES: &[(&str, &str)] = &[
    ("Alabama", "AL"),
    ("Alaska", "AK"),
    ("Arizona", "AZ"),
    ("Arkansas", "AR"),
    ("California", "CA"),
    ("Colorado", "CO"),
    ("Connecticut", "CT"),
    ("Delaware", "DE"),
    ("District of Columbia", "DC"),
    ("Florida", "FL"),
    ("Georgia", "GA"),
    ("Hawaii", "HI"),
    ("Idaho", "ID"),
    ("Illinois", "IL"),
    ("Indiana", "IN"),
    ("Iowa", "IA"),
    ("Kansas", "KS"),
    ("Kentucky", "KY"),
    ("Louisiana", "LA"),
    ("Maine", "ME"),
    ("Maryland", "MD"),
    ("Massachusetts", "MA"),
    ("Michigan", "MI"),
    ("Minnesota", "MN"),
    ("Mississippi", "MS"),
    ("Missouri", "MO"),
    ("Montana", "MT"),
    ("Nebraska", "NE"),
    ("Nevada", "NV"),
    ("New Hampshire", "NH"),
    ("New Jersey", "NJ"),
    ("New Mexico", "NM"),
    ("New York", "NY"),
    ("North Carolina", "NC"),
    ("North Dakota", "ND"),
    ("Ohio", "OH"),
    ("Oklahoma", "OK"),
    ("Oregon", "OR"),
    ("Pennsylvania", "PA"),
    ("Rhode Island", "RI"),
    ("South Carolina", "SC"),
    ("South Dakota", "SD"),
    ("Tennessee", "TN"),
    ("Texas", "TX"),
    ("Utah", "UT"),
    ("Vermont", "VT"),
    ("Virginia", "VA"),
    ("Washington", "WA"),
    ("West Virginia", "WV"),
    ("Wisconsin", "WI"),
    ("Wyoming", "WY"),
    ("Puerto Rico", "PR"),
];

/// Imports a VERIS incident as incident TOML. The incident id is the stem of the file
/// name in `map`.
pub fn import(map: &SourceMap, file: FileId, taxonomy: &Taxonomy) -> Result<String, Vec<Diagnostic>> {
    let imported = read(map, file, taxonomy)?;
    Ok(imported.toml())
}

/// Imports a VERIS incident as the incident `batch` evaluates: the spec `import` would
/// write, validated without writing it. Places in it are the start of the VERIS file.
pub fn to_incident(map: &SourceMap, file: FileId, taxonomy: &Taxonomy) -> Result<Incident, Vec<Diagnostic>> {
    let imported = read(map, file, taxonomy)?;
    Incident::from_spec(imported.spec, file, taxonomy)
}

/// A VERIS incident read and mapped: the incident, and what to say about how.
struct Imported {
    /// The incident, with every place at the start of the VERIS file.
    spec: IncidentSpec,
    /// The VERIS schema version.
    schema: String,
    /// The VERIS `incident_id`.
    incident_id: Option<String>,
    /// `kind:value` stated true → the VERIS fields that state it.
    true_facts: BTreeMap<String, BTreeSet<String>>,
    /// `kind:value` stated unknown → why.
    unknown_facts: BTreeMap<String, BTreeSet<String>>,
    /// VERIS field → values with no fact.
    unmapped: BTreeMap<String, BTreeSet<String>>,
}

/// Reads and maps a VERIS incident.
fn read(map: &SourceMap, file: FileId, taxonomy: &Taxonomy) -> Result<Imported, Vec<Diagnostic>> {
    let text = map.text(file);
    let root: Root<'_> =
        serde_json::from_str(text).map_err(|e| vec![json_error(map, file, "the VERIS incident", &e)])?;
    let Root::Incident(veris) = root else {
        return Err(vec![file_error(
            file,
            Code::InvalidValue,
            "not a VERIS incident: expected a JSON object",
        )]);
    };
    let keys = [
        veris.action.is_present(),
        veris.actor.is_present(),
        veris.asset.is_present(),
        veris.attribute.is_present(),
        veris.victim.is_present(),
        veris.timeline.is_present(),
        veris.incident_id.is_present(),
        veris.schema_version.is_present(),
    ];
    if !keys.contains(&true) {
        return Err(vec![
            file_error(
                file,
                Code::InvalidValue,
                "not a VERIS incident: none of `action`, `actor`, `attribute`, `victim`, `timeline` is present",
            )
            .note("help: `ctrlmap import veris` reads one VERIS 1.3 incident per JSON file"),
        ]);
    }
    let wrong = shape_errors(&veris, text, file);
    if !wrong.is_empty() {
        return Err(wrong);
    }
    let mut b = Builder {
        taxonomy,
        veris: &veris,
        true_facts: BTreeMap::new(),
        unknown_facts: BTreeMap::new(),
        unmapped: BTreeMap::new(),
    };
    b.data();
    b.vectors();
    b.actors();
    b.impacts();
    b.sector();
    b.places();
    Ok(b.finish(map.name(file)))
}

/// Every part of the incident whose JSON type the mapping needs and does not find, at
/// the value's place, in the order VERIS documents them.
fn shape_errors(v: &Veris<'_>, text: &str, file: FileId) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    wrong(&v.action, "action", text, file, &mut out);
    wrong(&v.actor, "actor", text, file, &mut out);
    wrong(&v.asset, "asset", text, file, &mut out);
    wrong(&v.attribute, "attribute", text, file, &mut out);
    if let Some(attribute) = v.attribute.get() {
        let confidentiality = &attribute.confidentiality;
        wrong(confidentiality, "attribute.confidentiality", text, file, &mut out);
        if let Some(c) = confidentiality.get() {
            wrong(&c.data, "attribute.confidentiality.data", text, file, &mut out);
            wrong(
                &c.data_total,
                "attribute.confidentiality.data_total",
                text,
                file,
                &mut out,
            );
        }
        wrong(&attribute.availability, "attribute.availability", text, file, &mut out);
    }
    wrong(&v.timeline, "timeline", text, file, &mut out);
    if let Some(timeline) = v.timeline.get() {
        wrong(&timeline.incident, "timeline.incident", text, file, &mut out);
    }
    wrong(&v.victim, "victim", text, file, &mut out);
    wrong(&v.summary, "summary", text, file, &mut out);
    out
}

/// The error for a part of another type, at its value (the first line of it).
fn wrong<'a, T: Expect<'a>>(part: &Checked<'_, T>, path: &str, text: &str, file: FileId, out: &mut Vec<Diagnostic>) {
    let Checked::Wrong(raw) = part else {
        return;
    };
    let value = raw.get();
    // The value's text lies within the file's: its place is the distance between them.
    let span = (value.as_ptr() as usize)
        .checked_sub(text.as_ptr() as usize)
        .filter(|start| start + value.len() <= text.len())
        .map_or(0..0, |start| start..start + value.find('\n').unwrap_or(value.len()));
    out.push(
        Diagnostic::error(
            Code::InvalidValue,
            format!("not a VERIS 1.3 incident: `{path}` should be a {}", T::TYPE),
        )
        .at(Loc::new(file, span), ""),
    );
}

/// Maps a typed VERIS incident to facts, keeping where each comes from.
struct Builder<'v, 'a> {
    taxonomy: &'v Taxonomy,
    veris: &'v Veris<'a>,
    /// `kind:value` → the VERIS fields that state it.
    true_facts: BTreeMap<String, BTreeSet<String>>,
    /// `kind:value` stated unknown → why.
    unknown_facts: BTreeMap<String, BTreeSet<String>>,
    /// VERIS field → values with no fact.
    unmapped: BTreeMap<String, BTreeSet<String>>,
}

impl<'v, 'a> Builder<'v, 'a> {
    fn state(&mut self, kind: &str, value: &str, from: &str) {
        let key = format!("{kind}:{value}");
        if self.taxonomy.lookup(&key).is_some() {
            self.true_facts.entry(key).or_default().insert(from.to_owned());
        } else {
            self.skip(from, &format!("{value} (no `{key}` in the taxonomy)"));
        }
    }

    fn unknown(&mut self, kind: &str, value: &str, why: &str) {
        let key = format!("{kind}:{value}");
        if self.taxonomy.lookup(&key).is_some() {
            self.unknown_facts.entry(key).or_default().insert(why.to_owned());
        }
    }

    fn skip(&mut self, field: &str, value: &str) {
        self.unmapped
            .entry(field.to_owned())
            .or_default()
            .insert(comment_text(value));
    }

    /// The actions given, by name, in VERIS order.
    fn actions(&self) -> impl Iterator<Item = (&'static str, &'v input::Action<'a>)> + use<'v, 'a> {
        self.veris.action.get().into_iter().flat_map(input::Actions::given)
    }

    fn has_action_variety(&self, action: &str, variety: &str) -> bool {
        self.veris
            .action
            .get()
            .and_then(|a| a.get(action))
            .is_some_and(|a| a.variety.contains(variety))
    }

    fn confidentiality(&self) -> Option<&'v input::Confidentiality<'a>> {
        self.veris.attribute.get().and_then(|a| a.confidentiality.get())
    }

    fn disclosure(&self) -> Option<&'v str> {
        self.confidentiality().and_then(|c| c.data_disclosure.as_str())
    }

    fn actor(&self, kind: &str) -> Option<&'v input::Actor<'a>> {
        let actors = self.veris.actor.get()?;
        match kind {
            "external" => actors.external.get(),
            "internal" => actors.internal.get(),
            "partner" => actors.partner.get(),
            "unknown" => actors.unknown.get(),
            _ => None,
        }
    }

    fn victim(&self) -> Option<&'v input::Victim<'a>> {
        self.veris.victim.get()
    }
    fn data(&mut self) {
        let Some(conf) = self.confidentiality() else {
            return;
        };
        let varieties: Vec<&str> = conf
            .data
            .get()
            .map(|items| items.iter().filter_map(|d| d.variety.as_str()).collect())
            .unwrap_or_default();
        let disclosure = self.disclosure().unwrap_or("Unknown");
        let field = "attribute.confidentiality.data.variety";
        if disclosure == "No" {
            for v in &varieties {
                self.skip(field, &format!("{v} (data_disclosure is No: nothing exposed)"));
            }
            return;
        }
        let sure = matches!(disclosure, "Yes" | "Potentially");
        for v in &varieties {
            match DATA.iter().find(|(name, _, _)| name == v) {
                Some((_, yes, maybe)) => {
                    if let Some(fact) = yes {
                        if sure {
                            self.state("data", fact, &format!("{field} {v}"));
                        } else {
                            self.unknown("data", fact, &format!("{field} {v}, data_disclosure {disclosure}"));
                        }
                    }
                    if let Some(fact) = maybe {
                        self.unknown("data", fact, &format!("{field} {v}"));
                    }
                }
                None => self.skip(field, &format!("{v} (not personal or card data)")),
            }
        }
        // An unknown variety only matters when no other data is known to be exposed.
        if self.true_facts.keys().any(|k| k.starts_with("data:")) {
            self.unknown_facts.remove("data:personal");
        }
        let states = &conf.state;
        let encrypted = !states.is_empty() && states.iter().all(|s| s.ends_with(" encrypted"));
        if encrypted {
            self.unknown(
                "safeguard",
                "data-encrypted",
                "attribute.confidentiality.state: recorded as encrypted; strength and keys not known",
            );
        }
    }

    fn vectors(&mut self) {
        let mut found: Vec<(&'static str, String)> = Vec::new();
        for (action, v) in self.actions() {
            for variety in v.variety.iter() {
                let field = format!("action.{action}.variety {variety}");
                if let Some((_, _, vector)) = VARIETY_VECTORS
                    .iter()
                    .find(|(a, name, _)| *a == action && *name == variety)
                {
                    found.push((vector, field));
                } else if action == "hacking" && EXPLOITS.contains(&variety) {
                    found.push(("vulnerability-exploit", field));
                }
            }
            for vector in v.vector.iter() {
                if PARTNER_VECTORS.contains(&(action, vector)) {
                    found.push(("third-party", format!("action.{action}.vector {vector}")));
                }
            }
        }
        if self.actor("partner").is_some() {
            found.push(("third-party", "actor.partner".to_owned()));
        }
        if self
            .veris
            .asset
            .get()
            .is_some_and(|a| a.management.contains("External"))
        {
            found.push(("third-party", "asset.management External".to_owned()));
        }
        if self
            .confidentiality()
            .is_some_and(|c| c.data_victim.contains("Partner"))
        {
            found.push((
                "third-party",
                "attribute.confidentiality.data_victim Partner".to_owned(),
            ));
        }
        let secondary = self.victim().and_then(|v| v.secondary.get());
        if secondary.is_some_and(|s| s.victim_id.iter().any(|s| !s.trim().is_empty())) {
            found.push(("third-party", "victim.secondary.victim_id".to_owned()));
        }
        let misuse = self.veris.action.get().is_some_and(|a| a.misuse.is_present());
        let insider = misuse && self.actor("internal").is_some();
        if insider {
            found.push(("insider", "action.misuse by actor.internal".to_owned()));
        }
        // Varieties used here or by the impacts and the lost-device rule; the others
        // are listed as not mapped.
        let mut unused = Vec::new();
        for (action, v) in self.actions() {
            for variety in v.variety.iter() {
                let used = VARIETY_VECTORS
                    .iter()
                    .any(|(a, name, _)| *a == action && *name == variety)
                    || (action == "hacking" && EXPLOITS.contains(&variety))
                    || (action == "misuse" && insider)
                    || USED_ELSEWHERE.contains(&(action, variety));
                if !used {
                    unused.push((format!("action.{action}.variety"), variety));
                }
            }
        }
        for (field, variety) in unused {
            self.skip(&field, variety);
        }
        for (vector, from) in found {
            self.state("vector", vector, &from);
        }
        self.lost_device();
    }

    /// Loss (error) or theft (physical) of an asset that is a device: lost-device; of
    /// an asset of unknown kind: unknown; of papers or people: nothing.
    fn lost_device(&mut self) {
        let lost = self.has_action_variety("error", "Loss");
        let stolen = self.has_action_variety("physical", "Theft");
        if !lost && !stolen {
            return;
        }
        let from = if lost {
            "action.error.variety Loss"
        } else {
            "action.physical.variety Theft"
        };
        let assets: Vec<&str> = self
            .veris
            .asset
            .get()
            .map(|a| a.assets.iter().filter_map(|a| a.variety.as_str()).collect())
            .unwrap_or_default();
        let device = |a: &str| {
            let prefix = a.split(" - ").next().unwrap_or("");
            matches!(prefix, "U" | "S" | "N" | "T" | "E")
                || (prefix == "M" && !matches!(a, "M - Documents" | "M - Payment card" | "M - Fax"))
        };
        let known = |a: &str| !matches!(a, "Unknown" | "Other");
        if assets.iter().any(|a| device(a)) {
            self.state("vector", "lost-device", &format!("{from}, asset.assets"));
        } else if !assets.iter().any(|a| known(a)) {
            self.unknown("vector", "lost-device", &format!("{from}; the asset is not recorded"));
        } else {
            self.skip(from, "not a device (documents, cards or people)");
        }
    }

    fn actors(&mut self) {
        let mut any = false;
        for kind in ["external", "internal", "partner"] {
            if self.actor(kind).is_some() {
                self.state("actor", kind, &format!("actor.{kind}"));
                any = true;
            }
        }
        let external = self.actor("external").map(|a| &a.variety);
        for variety in external.into_iter().flat_map(input::Strs::iter) {
            if matches!(variety, "Nation-state" | "State-affiliated") {
                self.state("actor", "nation-state", &format!("actor.external.variety {variety}"));
            }
        }
        if !any && self.actor("unknown").is_some() {
            for fact in ["external", "internal", "partner"] {
                self.unknown("actor", fact, "actor.unknown");
            }
        }
    }

    fn impacts(&mut self) {
        match self.disclosure() {
            Some("Yes") => self.state(
                "impact",
                "unauthorized-access",
                "attribute.confidentiality.data_disclosure Yes",
            ),
            Some("Potentially") => self.unknown(
                "impact",
                "unauthorized-access",
                "attribute.confidentiality.data_disclosure Potentially",
            ),
            _ => {}
        }
        if self.disclosure() != Some("No") {
            let mut exfil = Vec::new();
            for (action, v) in self.actions() {
                if v.result.contains("Exfiltrate") {
                    exfil.push(format!("action.{action}.result Exfiltrate"));
                }
            }
            if self.has_action_variety("malware", "Export data") {
                exfil.push("action.malware.variety Export data".to_owned());
            }
            for from in exfil {
                self.state("impact", "exfiltration", &from);
            }
        }
        let attribute = self.veris.attribute.get();
        let availability: Vec<&str> = attribute
            .and_then(|a| a.availability.get())
            .map(|a| a.variety.iter().collect())
            .unwrap_or_default();
        let field = "attribute.availability.variety";
        for v in &availability {
            if DISRUPTION.contains(v) {
                self.state("impact", "disruption", &format!("{field} {v}"));
            } else {
                self.skip(field, &format!("{v} (not a disruption of service)"));
            }
        }
        if self.has_action_variety("malware", "Ransomware") {
            if availability.contains(&"Obscuration") {
                self.state(
                    "impact",
                    "ransomware-encryption",
                    "action.malware.variety Ransomware, attribute.availability.variety Obscuration",
                );
            } else {
                self.unknown(
                    "impact",
                    "ransomware-encryption",
                    "action.malware.variety Ransomware without recorded obscuration",
                );
            }
        }
        if self.has_action_variety("social", "Extortion") {
            self.state("impact", "extortion", "action.social.variety Extortion");
        }
        let abuse = self
            .veris
            .plus
            .get()
            .and_then(|p| p.attribute.get())
            .and_then(|a| a.confidentiality.get())
            .is_some_and(|c| c.data_abuse.contains("Yes - Data ransomed"));
        if abuse {
            self.state(
                "impact",
                "extortion",
                "plus.attribute.confidentiality.data_abuse Yes - Data ransomed",
            );
        }
        let integrity = attribute.and_then(|a| a.integrity.get());
        for v in integrity.into_iter().flat_map(|i| i.variety.iter()) {
            self.skip("attribute.integrity.variety", v);
        }
    }

    fn sector(&mut self) {
        let Some(industry) = self.victim().and_then(|v| v.industry.0.as_deref()) else {
            return;
        };
        let field = "victim.industry";
        if industry.is_empty() || industry.chars().all(|c| c == '0') {
            self.skip(field, &format!("{industry} (unknown)"));
            return;
        }
        let best = NAICS
            .iter()
            .filter(|(prefix, _)| industry.starts_with(prefix))
            .max_by_key(|(prefix, _)| prefix.len());
        match best {
            Some((_, Some(sector))) => self.state("sector", sector, &format!("{field} {industry}")),
            _ => self.skip(field, &format!("{industry} (no sector of the taxonomy)")),
        }
    }

    fn places(&mut self) {
        let Some(victim) = self.victim() else {
            return;
        };
        let countries: Vec<&str> = victim.country.iter().map(str::trim).collect();
        for c in &countries {
            if *c == "Unknown" || c.is_empty() {
                continue;
            }
            self.place(c, &format!("victim.country {c}"));
        }
        let us = countries.contains(&"US");
        for state in victim.state.iter() {
            let state = state.trim();
            let code = if state.starts_with("US-") {
                Some(state.to_owned())
            } else if us && state.len() == 2 && state.chars().all(|c| c.is_ascii_uppercase()) {
                Some(format!("US-{state}"))
            } else if us {
                US_STATES
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(state))
                    .map(|(_, code)| format!("US-{code}"))
            } else {
                None
            };
            match code {
                Some(code) if self.taxonomy.lookup(&format!("established:{code}")).is_some() => {
                    self.place(&code, &format!("victim.state {state}"));
                }
                _ => self.skip("victim.state", &format!("{state} (not a US state of the taxonomy)")),
            }
        }
    }

    fn place(&mut self, code: &str, from: &str) {
        self.state("established", code, from);
        if self.taxonomy.lookup(&format!("residency:{code}")).is_some() {
            self.true_facts
                .entry(format!("residency:{code}"))
                .or_default()
                .insert(format!("{from} (assumed)"));
        }
    }

    /// The fact values of one kind stated true, sorted.
    fn values(&self, kind: &str) -> Vec<Spanned<String>> {
        let prefix = format!("{kind}:");
        self.true_facts
            .keys()
            .filter_map(|k| k.strip_prefix(prefix.as_str()))
            .map(|v| at_start(v.to_owned()))
            .collect()
    }

    /// The incident, and the notes on how it was mapped.
    fn finish(mut self, name: &str) -> Imported {
        // A fact stated true needs no unknown beside it.
        let true_keys: BTreeSet<String> = self.true_facts.keys().cloned().collect();
        self.unknown_facts.retain(|k, _| !true_keys.contains(k));

        let veris = self.veris;
        let summary_text = veris.summary.get().map(|s| squeeze(s)).unwrap_or_default();
        let victim = self
            .victim()
            .and_then(|v| v.id.iter().next())
            .map(squeeze)
            .filter(|s| !s.is_empty());
        let title = if summary_text.is_empty() {
            self.generated_title(victim.as_deref())
        } else {
            first_sentence(&summary_text, TITLE_MAX)
        };
        let (occurred, when_note) = self.occurred();
        let mut summary = cut_words(&summary_text, SUMMARY_MAX);
        let mut extra = Vec::new();
        if let Some(note) = when_note {
            extra.push(note);
        }
        if let Some(kind) = veris.security_incident.as_str() {
            if kind != "Confirmed" {
                extra.push(format!("VERIS classifies it as: {kind}."));
            }
        }
        for e in extra {
            if !summary.is_empty() {
                summary.push(' ');
            }
            summary.push_str(&e);
        }
        let count = self
            .confidentiality()
            .and_then(|c| c.data_total.get())
            .and_then(|n| i64::try_from(n.0).ok());
        let spec = IncidentSpec {
            id: at_start(incident_id(name, veris.incident_id.as_str())),
            title,
            summary: (!summary.is_empty()).then_some(summary),
            timezone: None,
            timeline: TimelineSpec {
                occurred: occurred.map(|o| at_start(toml::Value::String(o))),
                ..TimelineSpec::default()
            },
            organization: OrganizationSpec {
                name: victim,
                sectors: self.values("sector"),
                established: self.values("established"),
                ..OrganizationSpec::default()
            },
            affected: AffectedSpec {
                residency: self.values("residency"),
                count: count.map(at_start),
                ..AffectedSpec::default()
            },
            data: DataSpec {
                exposed: self.values("data"),
                ..DataSpec::default()
            },
            attack: AttackSpec {
                vectors: self.values("vector"),
                actors: self.values("actor"),
                impacts: self.values("impact"),
                ..AttackSpec::default()
            },
            facts: self
                .unknown_facts
                .keys()
                .map(|k| (at_start(k.clone()), at_start(toml::Value::String("unknown".to_owned()))))
                .collect(),
            contact: Contact::default(),
            response: Response::default(),
            done: Vec::new(),
        };
        Imported {
            spec,
            schema: veris.schema_version.as_str().unwrap_or("1.3").to_owned(),
            incident_id: veris.incident_id.as_str().map(str::to_owned),
            true_facts: self.true_facts,
            unknown_facts: self.unknown_facts,
            unmapped: self.unmapped,
        }
    }

    /// `occurred` when the year, month and day are known and form a date; otherwise a
    /// sentence for the summary with what is known.
    fn occurred(&self) -> (Option<String>, Option<String>) {
        let date = self.veris.timeline.get().and_then(|t| t.incident.get());
        let Some(year) = date.and_then(|d| d.year.0).and_then(|y| i16::try_from(y).ok()) else {
            return (None, None);
        };
        let month = date
            .and_then(|d| d.month.0)
            .and_then(|m| i8::try_from(m).ok())
            .filter(|m| (1..=12).contains(m));
        let day = date.and_then(|d| d.day.0).and_then(|d| i8::try_from(d).ok());
        if let (Some(m), Some(d)) = (month, day) {
            if let Ok(date) = jiff::civil::Date::new(year, m, d) {
                return (Some(format!("{date}T00:00:00Z")), None);
            }
        }
        let note = match month {
            Some(m) => format!("VERIS dates the incident to {year:04}-{m:02} (day not recorded)."),
            None => format!("VERIS dates the incident to {year:04} (month and day not recorded)."),
        };
        (None, Some(note))
    }

    fn generated_title(&self, victim: Option<&str>) -> String {
        let actions: Vec<&str> = self.actions().map(|(a, _)| a).filter(|a| *a != "unknown").collect();
        let what = if actions.is_empty() {
            "Incident".to_owned()
        } else {
            let mut s = actions.join(" and ");
            if let Some(first) = s.get(..1) {
                s = format!("{}{}", first.to_ascii_uppercase(), &s[1..]);
            }
            format!("{s} incident")
        };
        let title = match victim {
            Some(v) => format!("{what} at {v}"),
            None => format!("{what} (VERIS)"),
        };
        cut_words(&title, TITLE_MAX)
    }
}

/// A value placed at the start of the VERIS file: the importer knows no finer place.
fn at_start<T>(value: T) -> Spanned<T> {
    Spanned::new(0..0, value)
}

impl Imported {
    /// The comments at the top of the file: where it comes from, where each fact comes
    /// from, and what was not mapped.
    fn header(&self) -> String {
        let mut out = String::with_capacity(2048);
        let _ = writeln!(
            out,
            "# Imported from a VERIS {} incident by `ctrlmap import veris`; the mapping is\n\
             # documented in docs/veris-mapping.md. Only facts VERIS records are stated.",
            comment_text(&self.schema)
        );
        if let Some(id) = &self.incident_id {
            let _ = writeln!(out, "# VERIS incident_id: {}", comment_text(id));
        }
        if !self.true_facts.is_empty() {
            let _ = writeln!(out, "#\n# Facts and the VERIS fields they come from:");
            for (fact, from) in &self.true_facts {
                let from: Vec<&str> = from.iter().map(String::as_str).collect();
                let _ = writeln!(out, "#   {fact} <- {}", comment_text(&from.join("; ")));
            }
        }
        if !self.unknown_facts.is_empty() {
            let _ = writeln!(out, "#\n# Stated unknown (VERIS suggests but does not establish them):");
            for (fact, why) in &self.unknown_facts {
                let why: Vec<&str> = why.iter().map(String::as_str).collect();
                let _ = writeln!(out, "#   {fact} <- {}", comment_text(&why.join("; ")));
            }
        }
        if !self.unmapped.is_empty() {
            let _ = writeln!(out, "#\n# Not mapped (no sure fact):");
            for (field, values) in &self.unmapped {
                let values: Vec<&str> = values.iter().map(String::as_str).collect();
                let _ = writeln!(out, "#   {}: {}", comment_text(field), comment_text(&values.join(", ")));
            }
        }
        out.push('\n');
        out
    }

    /// The incident as a TOML file: the spec's fields in the order of DESIGN §4, a
    /// section only when it has something, and a comment where VERIS says less than the
    /// field seems to (a day without a time, records rather than people, where the
    /// victim is rather than where people live).
    fn toml(&self) -> String {
        let spec = &self.spec;
        let mut doc = DocumentMut::new();
        let root = doc.as_table_mut();
        root.insert("id", string(spec.id.get_ref()));
        if let Some(mut key) = root.key_mut("id") {
            key.leaf_decor_mut().set_prefix(self.header());
        }
        root.insert("title", string(&spec.title));
        if let Some(summary) = &spec.summary {
            root.insert("summary", string(summary));
        }

        let mut timeline = Table::new();
        if let Some(occurred) = spec.timeline.occurred.as_ref().and_then(|o| o.get_ref().as_str()) {
            timeline.insert(
                "occurred",
                commented(string(occurred), "VERIS gives the day only: midnight UTC"),
            );
        }
        section(root, "timeline", timeline);

        let org = &spec.organization;
        let mut organization = Table::new();
        if let Some(name) = &org.name {
            organization.insert("name", string(name));
        }
        list(&mut organization, "sectors", &org.sectors, None);
        list(&mut organization, "established", &org.established, None);
        section(root, "organization", organization);

        let mut affected = Table::new();
        list(
            &mut affected,
            "residency",
            &spec.affected.residency,
            Some("assumed: where the victim is"),
        );
        if let Some(count) = &spec.affected.count {
            affected.insert(
                "count",
                commented(
                    Item::Value(Value::from(*count.get_ref())),
                    "VERIS data_total: records, not always people",
                ),
            );
        }
        section(root, "affected", affected);

        let mut data = Table::new();
        list(&mut data, "exposed", &spec.data.exposed, None);
        section(root, "data", data);

        let mut attack = Table::new();
        list(&mut attack, "vectors", &spec.attack.vectors, None);
        list(&mut attack, "actors", &spec.attack.actors, None);
        list(&mut attack, "impacts", &spec.attack.impacts, None);
        section(root, "attack", attack);

        let mut facts = Table::new();
        for (key, value) in &spec.facts {
            if let Some(text) = value.get_ref().as_str() {
                facts.insert(key.get_ref(), string(text));
            }
        }
        section(root, "facts", facts);
        doc.to_string()
    }
}

/// A TOML basic string, as ctrlmap has always written them (`toml_edit` would choose a
/// literal or multi-line string for text with quotes in it).
fn string(s: &str) -> Item {
    Item::Value(quote(s).parse::<Value>().unwrap_or_else(|_| Value::from(s)))
}

/// An item with a comment after it on its line.
fn commented(mut item: Item, comment: &str) -> Item {
    if let Some(value) = item.as_value_mut() {
        value.decor_mut().set_suffix(format!("   # {comment}"));
    }
    item
}

/// `key = [...]` on one line, when there are values.
fn list(table: &mut Table, key: &str, values: &[Spanned<String>], comment: Option<&str>) {
    if values.is_empty() {
        return;
    }
    let mut array: Array = values
        .iter()
        .filter_map(|v| string(v.get_ref()).into_value().ok())
        .collect();
    array.fmt();
    let item = Item::Value(Value::Array(array));
    table.insert(
        key,
        comment.map_or_else(|| item.clone(), |c| commented(item.clone(), c)),
    );
}

/// Adds a table when it has something.
fn section(root: &mut Table, name: &str, table: Table) {
    if !table.is_empty() {
        root.insert(name, Item::Table(table));
    }
}

/// The file name's stem, with characters other than letters, digits, `-`, `_` and `.`
/// replaced by `-`; else the VERIS `incident_id`.
fn incident_id(name: &str, incident_id: Option<&str>) -> String {
    let stem = Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_owned();
    let raw = if stem.is_empty() {
        incident_id.unwrap_or("veris-incident").to_owned()
    } else {
        stem
    };
    let id: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if id.is_empty() { "veris-incident".to_owned() } else { id }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_names() {
        assert_eq!(incident_id("a/b/x y.json", None), "x-y");
        assert_eq!(incident_id("", None), "veris-incident");
        assert_eq!(incident_id("", Some("a b")), "a-b");
    }

    #[test]
    fn whole_numbers() {
        let whole = |json: &str| serde_json::from_str::<input::Whole>(json).ok().and_then(|w| w.0);
        assert_eq!(whole("16000000000"), Some(16_000_000_000));
        assert_eq!(whole("16000000000.0"), Some(16_000_000_000));
        assert_eq!(whole("\" 12 \""), Some(12));
        assert_eq!(whole("-3"), None);
        assert_eq!(whole("1.5"), None);
        assert_eq!(whole("[1]"), None);
    }
}
