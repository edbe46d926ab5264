//! OSCAL catalog → one framework TOML file (DESIGN §3).
//!
//! Reads an OSCAL 1.0/1.1 JSON catalog: groups (possibly nested), controls, and
//! enhancements as nested controls, in document order. Each becomes a `[[control]]`
//! with the OSCAL id in lowercase (`ac-2`, `ac-2.1`), its title (an enhancement's is
//! prefixed with its parent's: `Account Management: Automated System Account
//! Management`), a one-sentence `summary` from the statement prose with parameters
//! written as placeholders in our wording (`[organization-defined frequency]`,
//! `[one or more of: a; b]`), and a `source` URL (the framework's plus `#id`). Items
//! marked `props[name=status] = withdrawn` get `status = "withdrawn"`.
//!
//! With an ATT&CK mapping file (the CTID "mappings explorer" JSON, `mapping_objects`
//! with `attack_object_id` and `capability_id` such as `CM-03`), each mapped control
//! gets `when = "technique:{…}"` with the techniques the taxonomy knows (the others are
//! listed in a comment), and active controls without a mapping become
//! `status = "reference"`: an incident's techniques then implicate only the controls
//! that mitigate them. Without mappings, active controls have no `when`.
//!
//! Every active or reference control gets one `review` obligation (`<id>.review`): a
//! standard's control is not a duty triggered by the incident, but after one the team
//! must establish whether each implicated control failed or held, and the report needs
//! an item to check off for that.
//!
//! The work is one pass over the catalog and one over the mappings, with hash lookups.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

use serde::Deserialize;

use super::{comment_text, file_error, first_sentence, json_error, quote, squeeze};
use crate::catalog::{valid_framework_id, valid_value};
use crate::diag::{Code, Diagnostic, FileId, SourceMap};
use crate::taxonomy::Taxonomy;

/// Default framework id for NIST SP 800-53.
const SP800_53_ID: &str = "nist-sp-800-53";
/// Source of NIST SP 800-53 rev5 when the catalog names no web address.
const SP800_53_URL: &str = "https://doi.org/10.6028/NIST.SP.800-53r5";
/// Longest summary, in characters.
const SUMMARY_MAX: usize = 300;
/// Statement prose gathered for a summary, in bytes.
const PROSE_ENOUGH: usize = 4 * SUMMARY_MAX;
/// How deep parameter placeholders may nest (a choice that inserts a parameter…).
const PARAM_DEPTH: usize = 8;

#[derive(Deserialize)]
struct Document<'a> {
    #[serde(borrow)]
    catalog: Option<Catalog<'a>>,
}

#[derive(Deserialize)]
struct Catalog<'a> {
    #[serde(borrow)]
    metadata: Metadata<'a>,
    #[serde(default, borrow)]
    params: Vec<Param<'a>>,
    #[serde(default, borrow)]
    controls: Vec<Control<'a>>,
    #[serde(default, borrow)]
    groups: Vec<Group<'a>>,
    #[serde(default, borrow, rename = "back-matter")]
    back_matter: Option<BackMatter<'a>>,
}

#[derive(Deserialize)]
struct Metadata<'a> {
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(borrow)]
    version: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "oscal-version")]
    oscal_version: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    links: Vec<Link<'a>>,
}

#[derive(Deserialize)]
struct Link<'a> {
    #[serde(borrow)]
    href: Cow<'a, str>,
    #[serde(borrow)]
    rel: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct BackMatter<'a> {
    #[serde(default, borrow)]
    resources: Vec<Resource<'a>>,
}

#[derive(Deserialize)]
struct Resource<'a> {
    #[serde(borrow)]
    uuid: Cow<'a, str>,
    #[serde(default, borrow)]
    rlinks: Vec<RLink<'a>>,
}

#[derive(Deserialize)]
struct RLink<'a> {
    #[serde(borrow)]
    href: Cow<'a, str>,
}

#[derive(Deserialize)]
struct Group<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(default, borrow)]
    params: Vec<Param<'a>>,
    #[serde(default, borrow)]
    groups: Vec<Group<'a>>,
    #[serde(default, borrow)]
    controls: Vec<Control<'a>>,
}

#[derive(Deserialize)]
struct Control<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(default, borrow)]
    params: Vec<Param<'a>>,
    #[serde(default, borrow)]
    props: Vec<Prop<'a>>,
    #[serde(default, borrow)]
    links: Vec<Link<'a>>,
    #[serde(default, borrow)]
    parts: Vec<Part<'a>>,
    #[serde(default, borrow)]
    controls: Vec<Control<'a>>,
}

#[derive(Deserialize)]
struct Prop<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    value: Cow<'a, str>,
}

#[derive(Deserialize)]
struct Part<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    prose: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    parts: Vec<Part<'a>>,
}

#[derive(Deserialize)]
struct Param<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    label: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    values: Vec<Cow<'a, str>>,
    #[serde(borrow)]
    select: Option<Select<'a>>,
}

#[derive(Deserialize)]
struct Select<'a> {
    #[serde(borrow, rename = "how-many")]
    how_many: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    choice: Vec<Cow<'a, str>>,
}

/// The CTID mapping file.
#[derive(Deserialize)]
struct Mappings<'a> {
    #[serde(borrow)]
    mapping_objects: Vec<MappingObject<'a>>,
}

#[derive(Deserialize)]
struct MappingObject<'a> {
    #[serde(borrow)]
    attack_object_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    capability_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    mapping_type: Option<Cow<'a, str>>,
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
}

/// What the mapping file says, by control id.
#[derive(Default)]
struct Mapped {
    /// Techniques of the taxonomy, by control.
    techniques: HashMap<String, BTreeSet<String>>,
    /// Techniques the taxonomy does not know, by control.
    skipped: HashMap<String, BTreeSet<String>>,
    /// Records used, by mapping type.
    by_type: BTreeMap<String, usize>,
    /// Records marked non-mappable.
    non_mappable: usize,
    /// Every technique named by a used record.
    all_techniques: BTreeSet<String>,
    /// Techniques not in the taxonomy.
    all_skipped: BTreeSet<String>,
}

/// Imports an OSCAL catalog (and optionally the CTID ATT&CK mappings for it) as one
/// framework TOML document. `id` overrides the framework id.
pub fn import(
    map: &SourceMap,
    catalog: FileId,
    attack_mappings: Option<FileId>,
    id: Option<&str>,
    taxonomy: &Taxonomy,
) -> Result<String, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let doc = match serde_json::from_str::<Document>(map.text(catalog)) {
        Ok(doc) => Some(doc),
        Err(e) => {
            diags.push(json_error(map, catalog, "the OSCAL catalog", &e));
            None
        }
    };
    let cat = match doc {
        Some(Document { catalog: Some(c) }) => Some(c),
        Some(Document { catalog: None }) => {
            diags.push(
                file_error(
                    catalog,
                    Code::NotAFramework,
                    "not an OSCAL catalog: no top-level `catalog` object",
                )
                .note("help: `ctrlmap import oscal` reads OSCAL catalogs in JSON, not profiles or other models"),
            );
            None
        }
        None => None,
    };
    let mapped = attack_mappings.and_then(|file| read_mappings(map, file, taxonomy, &mut diags));
    let framework_id = match id {
        Some(id) if valid_framework_id(id) => Some(id.to_owned()),
        Some(id) => {
            diags.push(
                Diagnostic::error(Code::InvalidId, format!("`{id}` is not a valid framework id"))
                    .note("help: use lowercase letters, digits, `-`, `_` and `.`, starting with a letter or digit"),
            );
            None
        }
        None => cat.as_ref().map(|c| default_id(&c.metadata.title)),
    };
    let (Some(cat), Some(framework_id)) = (cat, framework_id) else {
        return Err(diags);
    };
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut writer = Writer::new(&cat, framework_id, mapped);
    writer.text = map.text(catalog);
    writer.file = Some(catalog);
    writer.write().map_err(|d| vec![d])
}

/// Reads the CTID mapping file; techniques are checked against the taxonomy.
fn read_mappings(map: &SourceMap, file: FileId, taxonomy: &Taxonomy, diags: &mut Vec<Diagnostic>) -> Option<Mapped> {
    let doc = match serde_json::from_str::<Mappings>(map.text(file)) {
        Ok(doc) => doc,
        Err(e) => {
            let mut d = json_error(map, file, "the ATT&CK mapping file", &e);
            if e.is_data() {
                d = d.note("help: expected the CTID mappings explorer JSON: `{ \"mapping_objects\": [ { \"attack_object_id\": \"T1199\", \"capability_id\": \"AC-03\", ... } ] }`");
            }
            diags.push(d);
            return None;
        }
    };
    let mut out = Mapped::default();
    let mut bad = Vec::new();
    // Few distinct controls and techniques, many records: look each up once.
    let mut controls: HashMap<&str, Option<String>> = HashMap::new();
    let mut known: HashMap<&str, bool> = HashMap::new();
    for (i, m) in doc.mapping_objects.iter().enumerate() {
        if m.status.as_deref() == Some("non_mappable") {
            out.non_mappable += 1;
            continue;
        }
        let (Some(technique), Some(capability)) = (&m.attack_object_id, &m.capability_id) else {
            out.non_mappable += 1;
            continue;
        };
        let Some(control) = controls
            .entry(capability)
            .or_insert_with(|| control_id_of(capability))
            .clone()
        else {
            bad.push(format!("mapping_objects[{i}].capability_id `{capability}`"));
            continue;
        };
        let technique = technique.trim();
        *out.by_type
            .entry(m.mapping_type.as_deref().unwrap_or("unspecified").to_owned())
            .or_default() += 1;
        out.all_techniques.insert(technique.to_owned());
        if *known
            .entry(technique)
            .or_insert_with(|| technique_known(taxonomy, technique))
        {
            out.techniques.entry(control).or_default().insert(technique.to_owned());
        } else {
            out.all_skipped.insert(technique.to_owned());
            out.skipped.entry(control).or_default().insert(technique.to_owned());
        }
    }
    if !bad.is_empty() {
        let shown: Vec<&str> = bad.iter().take(5).map(String::as_str).collect();
        diags.push(
            file_error(
                file,
                Code::InvalidValue,
                format!(
                    "the ATT&CK mapping file names {} control{} that cannot be read: {}{}",
                    bad.len(),
                    if bad.len() == 1 { "" } else { "s" },
                    shown.join(", "),
                    if bad.len() > shown.len() { ", …" } else { "" }
                ),
            )
            .note("help: control ids look like `AC-03`, `AC-3` or `AC-02(01)`"),
        );
        return None;
    }
    Some(out)
}

fn technique_known(taxonomy: &Taxonomy, technique: &str) -> bool {
    valid_value(technique) && taxonomy.lookup(&format!("technique:{technique}")).is_some()
}

/// `CM-03` → `cm-3`, `AC-02(01)` → `ac-2.1`, `ac-2.1` → `ac-2.1`.
fn control_id_of(capability: &str) -> Option<String> {
    let text = capability.trim().to_ascii_lowercase();
    let (family, rest) = text.split_once('-')?;
    if family.is_empty() || !family.chars().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    let (number, enhancement) = match rest.split_once('(') {
        Some((n, e)) => (n.trim(), Some(e.strip_suffix(')')?.trim())),
        None => match rest.split_once('.') {
            Some((n, e)) => (n, Some(e)),
            None => (rest, None),
        },
    };
    let number = number.parse::<u32>().ok()?;
    match enhancement {
        Some(e) => Some(format!("{family}-{number}.{}", e.parse::<u32>().ok()?)),
        None => Some(format!("{family}-{number}")),
    }
}

/// `nist-sp-800-53` for SP 800-53, else a slug of the title.
fn default_id(title: &str) -> String {
    if title.contains("800-53") {
        return SP800_53_ID.to_owned();
    }
    let mut slug = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if slug.len() + word.len() + 1 > 48 && !slug.is_empty() {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    if slug.is_empty() {
        "oscal-catalog".to_owned()
    } else {
        slug
    }
}

/// A ctrlmap id for an OSCAL id: lowercase, any other character becomes `-`.
fn ctrlmap_id(oscal: &str) -> String {
    let id: String = oscal
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if id.is_empty() { "control".to_owned() } else { id }
}

struct Writer<'c> {
    cat: &'c Catalog<'c>,
    framework_id: String,
    source: String,
    mapped: Option<Mapped>,
    params: HashMap<&'c str, &'c Param<'c>>,
    ids: HashSet<String>,
    out: String,
    counts: Counts,
    /// The catalog's text and file, to point at an id that cannot be used.
    text: &'c str,
    file: Option<FileId>,
}

#[derive(Default)]
struct Counts {
    controls: usize,
    withdrawn: usize,
    reference: usize,
    mapped: usize,
}

impl<'c> Writer<'c> {
    /// Points a diagnostic at the `nth` (from 0) place where the id is written as a
    /// JSON string; JSON parsing keeps no positions, so the text is searched.
    fn at_id(&self, d: Diagnostic, id: &str, nth: usize) -> Diagnostic {
        let Some(file) = self.file else { return d };
        let needle = serde_json::to_string(id).unwrap_or_default();
        let start = self
            .text
            .match_indices(&needle)
            .nth(nth)
            .or_else(|| self.text.match_indices(&needle).next())
            .map_or(0, |(i, _)| i);
        d.at(
            crate::diag::Loc::new(file, start..start + needle.len().min(self.text.len() - start)),
            "",
        )
    }

    fn new(cat: &'c Catalog<'c>, framework_id: String, mapped: Option<Mapped>) -> Self {
        let mut params = HashMap::new();
        for p in &cat.params {
            params.insert(&*p.id, p);
        }
        let mut ids = HashSet::new();
        for c in &cat.controls {
            collect(c, &mut params, &mut ids);
        }
        let mut stack: Vec<&Group> = cat.groups.iter().collect();
        while let Some(g) = stack.pop() {
            for p in &g.params {
                params.insert(&*p.id, p);
            }
            for c in &g.controls {
                collect(c, &mut params, &mut ids);
            }
            stack.extend(g.groups.iter());
        }
        let source = source_url(cat);
        Writer {
            cat,
            framework_id,
            source,
            mapped,
            params,
            ids,
            out: String::with_capacity(1 << 20),
            counts: Counts::default(),
            text: "",
            file: None,
        }
    }

    fn write(mut self) -> Result<String, Diagnostic> {
        let cat = self.cat;
        let mut body = std::mem::take(&mut self.out);
        let mut seen = HashSet::new();
        for c in &cat.controls {
            self.control(c, None, &mut body, &mut seen)?;
        }
        for g in &cat.groups {
            self.group(g, &mut body, &mut seen, 0)?;
        }
        let mut out = String::with_capacity(body.len() + 4096);
        self.header(&mut out);
        out.push_str(&body);
        Ok(out)
    }

    fn header(&self, out: &mut String) {
        let m = &self.cat.metadata;
        let c = &self.counts;
        let _ = writeln!(out, "# Imported from an OSCAL catalog by `ctrlmap import oscal`.");
        let _ = writeln!(
            out,
            "# Catalog: {}{}{}.",
            comment_text(&squeeze(&m.title)),
            m.version
                .as_deref()
                .map(|v| format!(", version {}", comment_text(v)))
                .unwrap_or_default(),
            m.oscal_version
                .as_deref()
                .map(|v| format!(" (OSCAL {})", comment_text(v)))
                .unwrap_or_default()
        );
        let _ = writeln!(
            out,
            "# {} controls and enhancements: {} active, {} reference, {} withdrawn.",
            c.controls,
            c.controls - c.withdrawn - c.reference,
            c.reference,
            c.withdrawn
        );
        let _ = writeln!(
            out,
            "# Summaries are the first sentence of each statement, shortened; parameters are\n\
             # shown as [placeholders]. Each active or reference control has one `review`\n\
             # obligation: establish whether the control failed or held during the incident."
        );
        match &self.mapped {
            Some(mapped) => {
                let types: Vec<String> = mapped.by_type.iter().map(|(t, n)| format!("{n} {t}")).collect();
                let _ = writeln!(
                    out,
                    "#\n# ATT&CK mappings: {} records ({}), {} non-mappable; {} techniques, of which\n\
                     # {} are in the taxonomy. {} controls are mapped: their `when` lists the techniques\n\
                     # they address; active controls without a mapping have status \"reference\".",
                    mapped.by_type.values().sum::<usize>(),
                    types.join(", "),
                    mapped.non_mappable,
                    mapped.all_techniques.len(),
                    mapped.all_techniques.len() - mapped.all_skipped.len(),
                    c.mapped
                );
                if !mapped.all_skipped.is_empty() {
                    let skipped: Vec<&str> = mapped.all_skipped.iter().map(String::as_str).collect();
                    wrap_comment(out, "Techniques not in the taxonomy (left out): ", &skipped);
                }
                let mut missing: Vec<&str> = mapped
                    .techniques
                    .keys()
                    .chain(mapped.skipped.keys())
                    .filter(|id| !self.ids.contains(*id))
                    .map(String::as_str)
                    .collect();
                missing.sort_unstable();
                missing.dedup();
                if !missing.is_empty() {
                    wrap_comment(out, "Mapped controls not in this catalog (left out): ", &missing);
                }
            }
            None => {
                let _ = writeln!(
                    out,
                    "# No ATT&CK mappings: every active control applies whenever the framework does."
                );
            }
        }
        let _ = writeln!(out, "\n[framework]");
        let _ = writeln!(out, "id = {}", quote(&self.framework_id));
        let _ = writeln!(out, "title = {}", quote(&squeeze(&m.title)));
        let _ = writeln!(out, "kind = \"standard\"");
        let _ = writeln!(out, "source = {}", quote(&self.source));
    }

    fn group(
        &mut self,
        g: &'c Group,
        out: &mut String,
        seen: &mut HashSet<String>,
        depth: usize,
    ) -> Result<(), Diagnostic> {
        let label =
            g.id.as_deref()
                .map(|id| format!("{}: ", id.to_ascii_uppercase()))
                .unwrap_or_default();
        let _ = writeln!(
            out,
            "\n# {}{}{}",
            "  ".repeat(depth),
            comment_text(&label),
            comment_text(&squeeze(&g.title))
        );
        for c in &g.controls {
            self.control(c, None, out, seen)?;
        }
        for sub in &g.groups {
            self.group(sub, out, seen, depth + 1)?;
        }
        Ok(())
    }

    fn control(
        &mut self,
        c: &'c Control,
        parent_title: Option<&str>,
        out: &mut String,
        seen: &mut HashSet<String>,
    ) -> Result<(), Diagnostic> {
        let id = ctrlmap_id(&c.id);
        if id != c.id.to_ascii_lowercase() {
            return Err(self.at_id(
                Diagnostic::error(
                    Code::InvalidId,
                    format!("the OSCAL control id `{}` is not a usable id", c.id),
                )
                .note("help: OSCAL ids are tokens: letters, digits, `-`, `_` and `.`"),
                &c.id,
                0,
            ));
        }
        if !seen.insert(id.clone()) {
            return Err(self.at_id(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("the OSCAL catalog has two controls with the id `{id}` (ids are compared in lowercase)"),
                ),
                &c.id,
                1,
            ));
        }
        self.counts.controls += 1;
        let title = squeeze(&c.title);
        let full_title = match parent_title {
            Some(p) => format!("{p}: {title}"),
            None => title.clone(),
        };
        let label = c
            .props
            .iter()
            .find(|p| p.name == "label")
            .map_or_else(|| c.id.to_ascii_uppercase(), |p| squeeze(&p.value));
        let withdrawn = c
            .props
            .iter()
            .any(|p| p.name == "status" && p.value.eq_ignore_ascii_case("withdrawn"));
        let summary = if withdrawn {
            withdrawn_summary(c)
        } else {
            let prose = self.statement(c);
            if prose.is_empty() {
                format!("{title}.")
            } else {
                first_sentence(&prose, SUMMARY_MAX)
            }
        };
        let techniques = self
            .mapped
            .as_ref()
            .map(|m| (m.techniques.get(&id), m.skipped.get(&id)));
        let status = match (&techniques, withdrawn) {
            (_, true) => "withdrawn",
            (Some((None, _)), false) => "reference",
            _ => "active",
        };
        match status {
            "withdrawn" => self.counts.withdrawn += 1,
            "reference" => self.counts.reference += 1,
            _ => {}
        }
        let _ = writeln!(out, "\n[[control]]");
        let _ = writeln!(out, "id = {}", quote(&id));
        let _ = writeln!(out, "title = {}", quote(&full_title));
        let _ = writeln!(out, "summary = {}", quote(&summary));
        let _ = writeln!(out, "source = {}", quote(&format!("{}#{id}", self.source)));
        if status != "active" {
            let _ = writeln!(out, "status = \"{status}\"");
        }
        if let Some((known, skipped)) = techniques {
            if let Some(skipped) = skipped {
                let list: Vec<&str> = skipped.iter().map(String::as_str).collect();
                wrap_comment(out, "Also mapped, not in the taxonomy: ", &list);
            }
            if let Some(known) = known {
                if withdrawn {
                    let _ = writeln!(
                        out,
                        "# Mapped to {} technique{}, but withdrawn: no condition.",
                        known.len(),
                        if known.len() == 1 { "" } else { "s" }
                    );
                } else {
                    self.counts.mapped += 1;
                    let list: Vec<&str> = known.iter().map(String::as_str).collect();
                    let rule = if list.len() == 1 {
                        format!("technique:{}", list[0])
                    } else {
                        format!("technique:{{{}}}", list.join(", "))
                    };
                    let _ = writeln!(out, "when = {}", quote(&rule));
                }
            }
        }
        if !withdrawn {
            let mut ob_id = format!("{id}.review");
            while self.ids.contains(&ob_id) {
                ob_id.push('_');
            }
            let _ = writeln!(out, "\n[[control.obligation]]");
            let _ = writeln!(out, "id = {}", quote(&ob_id));
            let _ = writeln!(out, "title = \"control review\"");
            let _ = writeln!(out, "kind = \"review\"");
            let _ = writeln!(
                out,
                "action = {}",
                quote(&format!(
                    "Review whether {label} ({full_title}) failed or held during the incident, and record what was found."
                ))
            );
        }
        for sub in &c.controls {
            self.control(sub, Some(&full_title), out, seen)?;
        }
        Ok(())
    }

    /// The statement prose of a control, parts in document order, parameters
    /// substituted.
    fn statement(&self, c: &Control) -> String {
        let mut text = String::new();
        for part in c.parts.iter().filter(|p| p.name == "statement") {
            self.prose(part, &mut text);
        }
        text
    }

    fn prose(&self, part: &Part, text: &mut String) {
        // The summary is one sentence of at most SUMMARY_MAX characters: enough text
        // for it is enough.
        if text.len() > PROSE_ENOUGH {
            return;
        }
        if let Some(prose) = &part.prose {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&self.substitute(prose, 0));
        }
        for sub in &part.parts {
            if matches!(&*sub.name, "item" | "statement") {
                self.prose(sub, text);
            }
        }
    }

    /// Replaces `{{ insert: param, ID }}` with the parameter's placeholder.
    fn substitute(&self, prose: &str, depth: usize) -> String {
        let mut out = String::with_capacity(prose.len());
        let mut rest = prose;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                out.push_str(&rest[start..]);
                return out;
            };
            let inner = &after[..end];
            let mut fields = inner.split(',').map(str::trim);
            let kind = fields.next().unwrap_or("");
            let target = fields.next().unwrap_or("");
            if kind.strip_prefix("insert:").map(str::trim) == Some("param") {
                out.push_str(&self.placeholder(target, depth));
            } else {
                out.push_str(&rest[start..start + 2 + end + 2]);
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        out
    }

    fn placeholder(&self, id: &str, depth: usize) -> String {
        let Some(p) = self.params.get(id) else {
            return "[a value the organization defines]".to_owned();
        };
        if depth >= PARAM_DEPTH {
            return "[…]".to_owned();
        }
        if !p.values.is_empty() {
            return p.values.iter().map(|v| squeeze(v)).collect::<Vec<_>>().join(", ");
        }
        if let Some(select) = &p.select {
            let choices: Vec<String> = select
                .choice
                .iter()
                .map(|c| squeeze(&self.substitute(c, depth + 1)))
                .collect();
            let how = match select.how_many.as_deref() {
                Some("one-or-more") => "one or more of",
                _ => "one of",
            };
            return format!("[{how}: {}]", choices.join("; "));
        }
        match &p.label {
            Some(label) => format!("[{}]", squeeze(label)),
            None => "[a value the organization defines]".to_owned(),
        }
    }
}

fn collect<'c>(c: &'c Control<'c>, params: &mut HashMap<&'c str, &'c Param<'c>>, ids: &mut HashSet<String>) {
    ids.insert(ctrlmap_id(&c.id));
    for p in &c.params {
        params.insert(&*p.id, p);
    }
    for sub in &c.controls {
        collect(sub, params, ids);
    }
}

/// "Withdrawn; incorporated into ac-2." from the control's links.
fn withdrawn_summary(c: &Control) -> String {
    let mut targets: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for link in &c.links {
        let rel = link.rel.as_deref().unwrap_or("");
        let verb = match rel {
            "incorporated-into" => "incorporated into",
            "moved-to" => "moved to",
            _ => continue,
        };
        let Some(target) = link.href.strip_prefix('#') else {
            continue;
        };
        // `#ac-2_smt.k` names a part of ac-2; the control is what a reader looks up.
        let control = target.split('_').next().unwrap_or(target);
        let control = ctrlmap_id(control);
        let list = targets.entry(verb).or_default();
        if !list.contains(&control) {
            list.push(control);
        }
    }
    if targets.is_empty() {
        return "Withdrawn by the publisher.".to_owned();
    }
    let parts: Vec<String> = targets
        .iter()
        .map(|(verb, ids)| format!("{verb} {}", ids.join(", ")))
        .collect();
    format!("Withdrawn; {}.", parts.join("; "))
}

/// The catalog's web address: a metadata link (canonical first), directly or through
/// a back-matter resource; SP 800-53's DOI; else the OSCAL content repository.
fn source_url(cat: &Catalog) -> String {
    let resources: HashMap<&str, &Resource> = cat
        .back_matter
        .iter()
        .flat_map(|b| b.resources.iter())
        .map(|r| (&*r.uuid, r))
        .collect();
    let rank = |l: &Link| match l.rel.as_deref() {
        Some("canonical") => 0,
        Some("alternate") => 1,
        _ => 2,
    };
    let mut links: Vec<&Link> = cat.metadata.links.iter().collect();
    links.sort_by_key(|l| rank(l));
    for link in links {
        let candidates: Vec<&str> = match link.href.strip_prefix('#') {
            Some(uuid) => resources
                .get(uuid)
                .map(|r| r.rlinks.iter().map(|l| &*l.href).collect())
                .unwrap_or_default(),
            None => vec![&*link.href],
        };
        if let Some(url) = candidates.into_iter().find(|u| usable_url(u)) {
            return url.split('#').next().unwrap_or(url).to_owned();
        }
    }
    if cat.metadata.title.contains("800-53") {
        return SP800_53_URL.to_owned();
    }
    "https://pages.nist.gov/OSCAL/".to_owned()
}

fn usable_url(u: &str) -> bool {
    u.starts_with("https://") && !u.contains(|c: char| c.is_whitespace() || c.is_control() || c == '"')
}

/// Writes `# {lead}a, b, c` wrapped at about 90 columns.
fn wrap_comment(out: &mut String, lead: &str, items: &[&str]) {
    let mut line = format!("# {lead}");
    let mut first = true;
    for item in items {
        let item = comment_text(item);
        let piece = if first { item } else { format!(", {item}") };
        if line.len() + piece.len() > 90 && !first {
            out.push_str(&line);
            out.push_str(",\n");
            line = format!("#   {}", piece.trim_start_matches(", "));
        } else {
            line.push_str(&piece);
        }
        first = false;
    }
    out.push_str(&line);
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capability_ids() {
        assert_eq!(control_id_of("CM-03").as_deref(), Some("cm-3"));
        assert_eq!(control_id_of("AC-02(01)").as_deref(), Some("ac-2.1"));
        assert_eq!(control_id_of("ac-2.1").as_deref(), Some("ac-2.1"));
        assert_eq!(control_id_of("SC-46").as_deref(), Some("sc-46"));
        assert_eq!(control_id_of("XX"), None);
        assert_eq!(control_id_of("AC-x"), None);
    }

    #[test]
    fn ids() {
        assert_eq!(
            default_id("NIST Special Publication 800-53 Revision 5"),
            "nist-sp-800-53"
        );
        assert_eq!(default_id("My Catalog: v2"), "my-catalog-v2");
        assert_eq!(default_id("***"), "oscal-catalog");
        assert_eq!(ctrlmap_id("AC-2(1)"), "ac-2-1-");
    }
}
