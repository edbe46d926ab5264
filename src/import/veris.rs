//! VERIS incident JSON → incident TOML (DESIGN §4).
//!
//! Reads one VERIS 1.3.x incident (as in the VERIS Community Database) and writes the
//! facts it supports with certainty, following the table in `docs/veris-mapping.md`:
//! data varieties → `data:*`, actions → `vector:*`, actors → `actor:*`, attributes →
//! `impact:*`, NAICS industry → `sector:*`, victim country and US state →
//! `established:*` and `residency:*`, `data_total` → `affected.count`, and the incident
//! date → `timeline.occurred` when year, month and day are all known.
//!
//! A VERIS value with no sure counterpart gives no fact, or an explicit
//! `"kind:value" = "unknown"` in `[facts]` where it signals one (an `Unknown` data
//! variety: personal data may be involved). Only true and unknown facts are written, so
//! the result never contradicts itself. Comments at the top say where each fact comes
//! from and which values were not mapped. The incident id is the file name's stem:
//! VERIS `incident_id`s are not unique.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use super::{comment_text, cut_words, file_error, first_sentence, json_error, quote, quote_list, squeeze};
use crate::diag::{Code, Diagnostic, FileId, SourceMap};
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

/// The VERIS actions, in the order VERIS lists them.
const ACTIONS: &[&str] = &[
    "malware",
    "hacking",
    "social",
    "misuse",
    "physical",
    "error",
    "environmental",
    "unknown",
];

/// Top-level keys of a VERIS incident; a JSON object with none of them is not one.
const VERIS_KEYS: &[&str] = &[
    "action",
    "actor",
    "asset",
    "attribute",
    "victim",
    "timeline",
    "incident_id",
    "schema_version",
];

/// Imports a VERIS incident as incident TOML. The incident id is the stem of the file
/// name in `map`.
pub fn import(map: &SourceMap, file: FileId, taxonomy: &Taxonomy) -> Result<String, Vec<Diagnostic>> {
    let root: Value =
        serde_json::from_str(map.text(file)).map_err(|e| vec![json_error(map, file, "the VERIS incident", &e)])?;
    let Some(obj) = root.as_object() else {
        return Err(vec![file_error(
            file,
            Code::InvalidValue,
            "not a VERIS incident: expected a JSON object",
        )]);
    };
    if !VERIS_KEYS.iter().any(|k| obj.contains_key(*k)) {
        return Err(vec![
            file_error(
                file,
                Code::InvalidValue,
                "not a VERIS incident: none of `action`, `actor`, `attribute`, `victim`, `timeline` is present",
            )
            .note("help: `ctrlmap import veris` reads one VERIS 1.3 incident per JSON file"),
        ]);
    }
    let wrong = shape_errors(&root, map, file);
    if !wrong.is_empty() {
        return Err(wrong);
    }
    let mut b = Builder {
        taxonomy,
        root: &root,
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
    Ok(b.write(map.name(file)))
}

/// Imports a VERIS incident and loads the TOML it gives as an incident, the way
/// `batch` reads VERIS files; the TOML is kept in the source map for diagnostics.
pub fn to_incident(
    map: &mut SourceMap,
    file: FileId,
    taxonomy: &Taxonomy,
) -> Result<crate::incident::Incident, Vec<Diagnostic>> {
    let toml = import(map, file, taxonomy)?;
    let converted = map.add(format!("{} (imported from VERIS)", map.name(file)), toml);
    crate::incident::Incident::parse(converted, taxonomy, map)
}

/// The parts of a VERIS 1.3 incident the importer reads, with the JSON type each must
/// have: a wrong type is an error rather than a silently empty mapping.
const SHAPE: &[(&[&str], &str)] = &[
    (&["action"], "object"),
    (&["actor"], "object"),
    (&["asset"], "object"),
    (&["attribute"], "object"),
    (&["attribute", "confidentiality"], "object"),
    (&["attribute", "confidentiality", "data"], "array"),
    (&["attribute", "confidentiality", "data_total"], "number"),
    (&["attribute", "availability"], "object"),
    (&["timeline"], "object"),
    (&["timeline", "incident"], "object"),
    (&["victim"], "object"),
    (&["summary"], "string"),
];

fn shape_errors(root: &Value, map: &SourceMap, file: FileId) -> Vec<Diagnostic> {
    let text = map.text(file);
    let mut out = Vec::new();
    for (path, expected) in SHAPE {
        let mut v = Some(root);
        for key in *path {
            v = v.and_then(|x| x.get(*key));
        }
        let Some(v) = v else { continue };
        let ok = match *expected {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "number" => v.is_u64() || v.as_str().is_some_and(|s| s.trim().parse::<u64>().is_ok()),
            _ => v.is_string(),
        };
        if ok {
            continue;
        }
        // JSON values carry no position: point at the first place the key is written.
        let last = path.last().copied().unwrap_or_default();
        let needle = format!("\"{last}\"");
        let start = text.find(&needle).unwrap_or(0);
        out.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("not a VERIS 1.3 incident: `{}` should be a {expected}", path.join(".")),
            )
            .at(
                crate::diag::Loc::new(file, start..(start + needle.len()).min(text.len())),
                "",
            ),
        );
    }
    out
}

struct Builder<'a> {
    taxonomy: &'a Taxonomy,
    root: &'a Value,
    /// `kind:value` → the VERIS fields that state it.
    true_facts: BTreeMap<String, BTreeSet<String>>,
    /// `kind:value` stated unknown → why.
    unknown_facts: BTreeMap<String, BTreeSet<String>>,
    /// VERIS field → values with no fact.
    unmapped: BTreeMap<String, BTreeSet<String>>,
}

/// The strings of a value that is a string or an array of strings.
fn strs(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A whole number given as a JSON number or a numeric string.
fn whole(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64().or_else(|| {
            let f = n.as_f64()?;
            // Exact whole numbers below 2^53 only; anything else is not a count.
            (f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 9.0e15).then(|| format!("{f:.0}").parse().ok())?
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl<'a> Builder<'a> {
    fn get(&self, path: &[&str]) -> Option<&'a Value> {
        let mut v: &'a Value = self.root;
        for key in path {
            v = v.get(*key)?;
        }
        Some(v)
    }

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

    fn actions(&self) -> impl Iterator<Item = (&'static str, &'a Value)> + use<'a> {
        let action = self.root.get("action");
        ACTIONS
            .iter()
            .filter_map(move |a| action.and_then(|v| v.get(*a)).map(|v| (*a, v)))
    }

    fn has_action_variety(&self, action: &str, variety: &str) -> bool {
        strs(self.get(&["action", action, "variety"])).contains(&variety)
    }

    fn disclosure(&self) -> Option<&'a str> {
        self.get(&["attribute", "confidentiality", "data_disclosure"])
            .and_then(Value::as_str)
    }

    fn data(&mut self) {
        let Some(conf) = self.get(&["attribute", "confidentiality"]) else {
            return;
        };
        let varieties: Vec<String> = conf
            .get("data")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|d| d.get("variety").and_then(Value::as_str))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let disclosure = self.disclosure().unwrap_or("Unknown").to_owned();
        let field = "attribute.confidentiality.data.variety";
        if disclosure == "No" {
            for v in &varieties {
                self.skip(field, &format!("{v} (data_disclosure is No: nothing exposed)"));
            }
            return;
        }
        let sure = matches!(disclosure.as_str(), "Yes" | "Potentially");
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
        if let Some(states) = conf.get("state") {
            let states = strs(Some(states));
            let encrypted = !states.is_empty() && states.iter().all(|s| s.ends_with(" encrypted"));
            if encrypted {
                self.unknown(
                    "safeguard",
                    "data-encrypted",
                    "attribute.confidentiality.state: recorded as encrypted; strength and keys not known",
                );
            }
        }
    }

    fn vectors(&mut self) {
        let mut found: Vec<(&'static str, String)> = Vec::new();
        for (action, v) in self.actions() {
            for variety in strs(v.get("variety")) {
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
            for vector in strs(v.get("vector")) {
                if PARTNER_VECTORS.contains(&(action, vector)) {
                    found.push(("third-party", format!("action.{action}.vector {vector}")));
                }
            }
        }
        if self.get(&["actor", "partner"]).is_some() {
            found.push(("third-party", "actor.partner".to_owned()));
        }
        if strs(self.get(&["asset", "management"])).contains(&"External") {
            found.push(("third-party", "asset.management External".to_owned()));
        }
        if strs(self.get(&["attribute", "confidentiality", "data_victim"])).contains(&"Partner") {
            found.push((
                "third-party",
                "attribute.confidentiality.data_victim Partner".to_owned(),
            ));
        }
        if strs(self.get(&["victim", "secondary", "victim_id"]))
            .iter()
            .any(|s| !s.trim().is_empty())
        {
            found.push(("third-party", "victim.secondary.victim_id".to_owned()));
        }
        let insider = self.get(&["action", "misuse"]).is_some() && self.get(&["actor", "internal"]).is_some();
        if insider {
            found.push(("insider", "action.misuse by actor.internal".to_owned()));
        }
        // Varieties used here or by the impacts and the lost-device rule; the others
        // are listed as not mapped.
        for (action, v) in self.actions() {
            for variety in strs(v.get("variety")) {
                let used = VARIETY_VECTORS
                    .iter()
                    .any(|(a, name, _)| *a == action && *name == variety)
                    || (action == "hacking" && EXPLOITS.contains(&variety))
                    || (action == "misuse" && insider)
                    || USED_ELSEWHERE.contains(&(action, variety));
                if !used {
                    self.skip(&format!("action.{action}.variety"), variety);
                }
            }
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
        let assets: Vec<String> = self
            .get(&["asset", "assets"])
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|a| a.get("variety").and_then(Value::as_str))
                    .map(str::to_owned)
                    .collect()
            })
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
        for (veris, fact) in [
            ("external", "external"),
            ("internal", "internal"),
            ("partner", "partner"),
        ] {
            if self.get(&["actor", veris]).is_some() {
                self.state("actor", fact, &format!("actor.{veris}"));
                any = true;
            }
        }
        for variety in strs(self.get(&["actor", "external", "variety"])) {
            if matches!(variety, "Nation-state" | "State-affiliated") {
                self.state("actor", "nation-state", &format!("actor.external.variety {variety}"));
            }
        }
        if !any && self.get(&["actor", "unknown"]).is_some() {
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
                if strs(v.get("result")).contains(&"Exfiltrate") {
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
        let availability = strs(self.get(&["attribute", "availability", "variety"]));
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
        if strs(self.get(&["plus", "attribute", "confidentiality", "data_abuse"])).contains(&"Yes - Data ransomed") {
            self.state(
                "impact",
                "extortion",
                "plus.attribute.confidentiality.data_abuse Yes - Data ransomed",
            );
        }
        for v in strs(self.get(&["attribute", "integrity", "variety"])) {
            self.skip("attribute.integrity.variety", v);
        }
    }

    fn sector(&mut self) {
        let industry = match self.get(&["victim", "industry"]) {
            Some(Value::String(s)) => s.trim().to_owned(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return,
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
        let countries: Vec<String> = strs(self.get(&["victim", "country"]))
            .into_iter()
            .map(|c| c.trim().to_owned())
            .collect();
        for c in &countries {
            if c == "Unknown" || c.is_empty() {
                continue;
            }
            self.place(c, &format!("victim.country {c}"));
        }
        let us = countries.iter().any(|c| c == "US");
        for state in strs(self.get(&["victim", "state"])) {
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

    fn values(&self, kind: &str) -> Vec<&str> {
        let prefix = format!("{kind}:");
        self.true_facts
            .keys()
            .filter_map(|k| k.strip_prefix(prefix.as_str()))
            .collect()
    }

    fn write(mut self, name: &str) -> String {
        // A fact stated true needs no unknown beside it.
        let true_keys: BTreeSet<String> = self.true_facts.keys().cloned().collect();
        self.unknown_facts.retain(|k, _| !true_keys.contains(k));

        let root = self.root;
        let mut out = String::with_capacity(4096);
        let schema = root.get("schema_version").and_then(Value::as_str).unwrap_or("1.3");
        let _ = writeln!(
            out,
            "# Imported from a VERIS {} incident by `ctrlmap import veris`; the mapping is\n\
             # documented in docs/veris-mapping.md. Only facts VERIS records are stated.",
            comment_text(schema)
        );
        if let Some(id) = root.get("incident_id").and_then(Value::as_str) {
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

        let id = incident_id(name, root);
        let summary_text = root
            .get("summary")
            .and_then(Value::as_str)
            .map(squeeze)
            .unwrap_or_default();
        let victim = strs(self.get(&["victim", "victim_id"]))
            .first()
            .map(|s| squeeze(s))
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
        if let Some(kind) = root.get("security_incident").and_then(Value::as_str) {
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

        let _ = writeln!(out, "\nid = {}", quote(&id));
        let _ = writeln!(out, "title = {}", quote(&title));
        if !summary.is_empty() {
            let _ = writeln!(out, "summary = {}", quote(&summary));
        }
        if let Some(occurred) = occurred {
            let _ = writeln!(out, "\n[timeline]");
            let _ = writeln!(
                out,
                "occurred = {}   # VERIS gives the day only: midnight UTC",
                quote(&occurred)
            );
        }

        let sectors = self.values("sector");
        let established = self.values("established");
        if victim.is_some() || !sectors.is_empty() || !established.is_empty() {
            let _ = writeln!(out, "\n[organization]");
            if let Some(v) = &victim {
                let _ = writeln!(out, "name = {}", quote(v));
            }
            if !sectors.is_empty() {
                let _ = writeln!(out, "sectors = {}", quote_list(sectors));
            }
            if !established.is_empty() {
                let _ = writeln!(out, "established = {}", quote_list(established));
            }
        }

        let residency = self.values("residency");
        let count =
            whole(self.get(&["attribute", "confidentiality", "data_total"])).filter(|n| i64::try_from(*n).is_ok());
        if !residency.is_empty() || count.is_some() {
            let _ = writeln!(out, "\n[affected]");
            if !residency.is_empty() {
                let _ = writeln!(
                    out,
                    "residency = {}   # assumed: where the victim is",
                    quote_list(residency)
                );
            }
            if let Some(n) = count {
                let _ = writeln!(out, "count = {n}   # VERIS data_total: records, not always people");
            }
        }

        let exposed = self.values("data");
        if !exposed.is_empty() {
            let _ = writeln!(out, "\n[data]");
            let _ = writeln!(out, "exposed = {}", quote_list(exposed));
        }

        let sections = [
            ("vectors", self.values("vector")),
            ("actors", self.values("actor")),
            ("impacts", self.values("impact")),
        ];
        if sections.iter().any(|(_, v)| !v.is_empty()) {
            let _ = writeln!(out, "\n[attack]");
            for (key, values) in sections {
                if !values.is_empty() {
                    let _ = writeln!(out, "{key} = {}", quote_list(values));
                }
            }
        }

        if !self.unknown_facts.is_empty() {
            let _ = writeln!(out, "\n[facts]");
            for fact in self.unknown_facts.keys() {
                let _ = writeln!(out, "{} = \"unknown\"", quote(fact));
            }
        }
        out
    }

    /// `occurred` when the year, month and day are known and form a date; otherwise a
    /// sentence for the summary with what is known.
    fn occurred(&self) -> (Option<String>, Option<String>) {
        let t = self.get(&["timeline", "incident"]);
        let year = whole(t.and_then(|t| t.get("year")));
        let month = whole(t.and_then(|t| t.get("month")));
        let day = whole(t.and_then(|t| t.get("day")));
        let Some(year) = year.and_then(|y| i16::try_from(y).ok()) else {
            return (None, None);
        };
        let month = month
            .and_then(|m| i8::try_from(m).ok())
            .filter(|m| (1..=12).contains(m));
        let day = day.and_then(|d| i8::try_from(d).ok());
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

/// The file name's stem, with characters other than letters, digits, `-`, `_` and `.`
/// replaced by `-`; else the VERIS `incident_id`.
fn incident_id(name: &str, root: &Value) -> String {
    let stem = Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_owned();
    let raw = if stem.is_empty() {
        root.get("incident_id")
            .and_then(Value::as_str)
            .unwrap_or("veris-incident")
            .to_owned()
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
        let root = Value::Null;
        assert_eq!(incident_id("a/b/x y.json", &root), "x-y");
        assert_eq!(incident_id("", &root), "veris-incident");
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(
            whole(Some(&serde_json::json!(16_000_000_000_u64))),
            Some(16_000_000_000)
        );
        assert_eq!(whole(Some(&serde_json::json!("12"))), Some(12));
        assert_eq!(whole(Some(&serde_json::json!(-3))), None);
        assert_eq!(whole(Some(&serde_json::json!(1.5))), None);
    }
}
